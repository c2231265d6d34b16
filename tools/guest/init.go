package guest

import (
	"fmt"
	"strings"
)

// initScript is the guest's /init: it loads the NIC modules, gives eth0
// the address of the kernel command line's ukkv.ip= and runs the program
// named by ukkv.run= with the arguments after "--", which the kernel
// hands to init. The program's output, its ready line included, goes to
// the serial console.
func initScript(modules []string) string {
	return fmt.Sprintf(`#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in %s; do
	insmod /lib/modules/$m.ko || echo "ukkv-init: insmod $m failed"
done
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	ukkv.ip=*) addr="${arg#ukkv.ip=}" ;;
	ukkv.run=*) run="${arg#ukkv.run=}" ;;
	esac
done
ip link set lo up
ip link set eth0 up
ip addr add "$addr" dev eth0
echo "ukkv-init: eth0 $addr, running $run $*"
exec "/bin/$run" "$@"
`, strings.Join(modules, " "))
}

// KernelArgs is the guest kernel command line that runs program (a name
// in the guest's /bin) with args, at addr (CIDR form) on eth0.
func KernelArgs(addr, program string, args []string) string {
	cmd := []string{"console=ttyS0", "panic=-1", "quiet", "ukkv.ip=" + addr, "ukkv.run=" + program}
	if len(args) > 0 {
		cmd = append(append(cmd, "--"), args...)
	}
	return strings.Join(cmd, " ")
}
