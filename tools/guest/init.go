package guest

import (
	"fmt"
	"strconv"
	"strings"
)

// initScript is the guest's /init: it loads the NIC modules, gives eth0
// the address of the kernel command line's ukkv.ip= and runs the program
// named by ukkv.run= with the arguments after "--", which the kernel
// hands to init. The program's output, its ready line included, goes to
// the serial console. For a program that prints no ready line
// (memcached), ukkv.readyudp=PORT makes init print it once the program
// has bound that UDP port.
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
	ukkv.readyudp=*) readyudp="${arg#ukkv.readyudp=}" ;;
	esac
done
ip link set lo up
ip link set eth0 up
ip addr add "$addr" dev eth0
echo "ukkv-init: eth0 $addr, running $run $*"
[ -z "$readyudp" ] && exec "/bin/$run" "$@"
"/bin/$run" "$@" &
pid=$!
hex=$(printf '%%04X' "$readyudp")
while ! grep -q ":$hex " /proc/net/udp; do
	kill -0 $pid 2>/dev/null || { wait $pid; exit $?; }
	usleep 20000
done
echo "ready udp 0.0.0.0:$readyudp"
wait $pid
`, strings.Join(modules, " "))
}

// Run says what the guest's init runs.
type Run struct {
	// Program is a name in the guest's /bin.
	Program string
	Args    []string
	// ReadyUDP, for a program that prints no ready line, is the UDP port
	// whose binding init announces as "ready udp 0.0.0.0:PORT".
	ReadyUDP int
}

// KernelArgs is the guest kernel command line that runs r with addr (CIDR
// form) on eth0.
func KernelArgs(addr string, r Run) string {
	cmd := []string{"console=ttyS0", "panic=-1", "quiet", "ukkv.ip=" + addr, "ukkv.run=" + r.Program}
	if r.ReadyUDP > 0 {
		cmd = append(cmd, "ukkv.readyudp="+strconv.Itoa(r.ReadyUDP))
	}
	if len(r.Args) > 0 {
		cmd = append(append(cmd, "--"), r.Args...)
	}
	return strings.Join(cmd, " ")
}
