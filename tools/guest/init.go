package guest

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ukkv/ukkv/tools/variant"
)

// initScript is the guest's /init: it loads the NIC modules, gives eth0
// the address of the kernel command line's ukkv.ip= and runs the program
// named by ukkv.run= with the arguments after "--". The program's output, its ready line included, goes to
// the serial console. For a program that prints no ready line
// (memcached), ukkv.readyudp=PORT makes init print it once the program
// has bound that UDP port. For a DPDK program, ukkv.uio=1 hands the NIC
// to uio_pci_generic instead of configuring eth0 and keeps init beside
// the program, waking every 50 ms until it exits with its status;
// ukkv.hugepages=N reserves and mounts N hugepages.
func initScript(modules []string) string {
	return fmt.Sprintf(`#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in %s; do
	insmod /modules/$m.ko || echo "ukkv-init: insmod $m failed"
done
# The program's arguments are whatever follows the first " -- ": taken
# from /proc/cmdline, as the kernel drops a second "--" (DPDK's EAL/app
# separator) from init's own arguments.
set -f
cmdline=$(cat /proc/cmdline)
case "$cmdline" in
*" -- "*) set -- ${cmdline#* -- } ;;
*) set -- ;;
esac
for arg in ${cmdline%% -- *}; do
	case "$arg" in
	ukkv.ip=*) addr="${arg#ukkv.ip=}" ;;
	ukkv.run=*) run="${arg#ukkv.run=}" ;;
	ukkv.readyudp=*) readyudp="${arg#ukkv.readyudp=}" ;;
	ukkv.hugepages=*) hugepages="${arg#ukkv.hugepages=}" ;;
	ukkv.uio=1) uio=1 ;;
	esac
done
ip link set lo up
if [ -n "$uio" ]; then
	pci=$(basename "$(readlink -f /sys/class/net/eth0/device/..)")
	echo uio_pci_generic > "/sys/bus/pci/devices/$pci/driver_override"
	echo "$pci" > "/sys/bus/pci/devices/$pci/driver/unbind"
	echo "$pci" > /sys/bus/pci/drivers_probe
	echo "ukkv-init: NIC $pci handed to uio_pci_generic"
else
	ip link set eth0 up
	ip addr add "$addr" dev eth0
	echo "ukkv-init: eth0 $addr"
fi
if [ -n "$hugepages" ]; then
	echo "$hugepages" > /proc/sys/vm/nr_hugepages
	mkdir -p /dev/hugepages
	mount -t hugetlbfs nodev /dev/hugepages
fi
echo "ukkv-init: running $run $*"
[ -z "$readyudp$uio" ] && exec "/bin/$run" "$@"
# in the background but reading the console, as testpmd waits on it
"/bin/$run" "$@" </dev/console &
pid=$!
if [ -n "$readyudp" ]; then
	hex=$(printf '%%04X' "$readyudp")
	while ! grep -q ":$hex " /proc/net/udp; do
		kill -0 $pid 2>/dev/null || { wait $pid; exit $?; }
		usleep 20000
	done
	echo "%s0.0.0.0:$readyudp"
fi
# QEMU's TCG resizes its software TLB only when the guest flushes its
# TLB. A DPDK program polls and never switches address space, so init
# wakes every 50 ms (builtins only: no fork) and its switch flushes.
if [ -n "$uio" ]; then
	mkfifo /tick
	exec 3<>/tick
	while kill -0 $pid 2>/dev/null; do
		read -t 0.05 -u 3 _
	done
fi
wait $pid
`, strings.Join(modules, " "), variant.ReadyLine)
}

// Run says what the guest's init runs.
type Run struct {
	// Program is a name in the guest's /bin.
	Program string
	Args    []string
	// ReadyUDP, for a program that prints no ready line, is the UDP port
	// whose binding init announces as variant.ReadyLine + "0.0.0.0:PORT".
	ReadyUDP int
	// UIO hands the NIC to uio_pci_generic for a DPDK program (the
	// initramfs needs Options.DPDK); Hugepages reserves 2 MiB pages.
	UIO       bool
	Hugepages int
}

// kernelTuning are the guest kernel's settings beside the defaults.
// Debian turns on init_on_alloc, which zeroes every page and slab object
// the kernel allocates; upstream leaves it off. Under TCG a zeroing
// `rep stos` runs a byte at a time, and each received datagram's buffer
// and socket buffer were zeroed: 3,100 to 3,300 of 14,000 to 16,000
// guest instructions a request in the socket servers (`ukkv profile`).
var kernelTuning = []string{"init_on_alloc=0"}

// KernelArgs is the guest kernel command line that runs r with addr (CIDR
// form) on eth0.
func KernelArgs(addr string, r Run) string {
	cmd := append([]string{"console=ttyS0", "panic=-1", "quiet"}, kernelTuning...)
	cmd = append(cmd, "ukkv.ip="+addr, "ukkv.run="+r.Program)
	if r.ReadyUDP > 0 {
		cmd = append(cmd, "ukkv.readyudp="+strconv.Itoa(r.ReadyUDP))
	}
	if r.UIO {
		cmd = append(cmd, "ukkv.uio=1")
	}
	if r.Hugepages > 0 {
		cmd = append(cmd, "ukkv.hugepages="+strconv.Itoa(r.Hugepages))
	}
	if len(r.Args) > 0 {
		cmd = append(append(cmd, "--"), r.Args...)
	}
	return strings.Join(cmd, " ")
}
