// Package qemu builds qemu-system-x86_64 command lines for the guests and
// decides which accelerator they run on.
package qemu

import (
	"fmt"
	"os/exec"
	"strconv"
)

const qemuBinary = "qemu-system-x86_64"

// Accel is a QEMU accelerator.
type Accel string

// The accelerators the toolkit uses.
const (
	KVM Accel = "kvm"
	TCG Accel = "tcg"
)

// Machine is one guest's virtual machine.
type Machine struct {
	Accel     Accel
	MemoryMiB int
	Kernel    string
	Initrd    string // optional
	Append    string
	// VhostSocket is the vhost-user socket of the guest's NIC; empty
	// means no NIC.
	VhostSocket string
	MAC         string
	// LegacyIRQ gives the NIC legacy INTx instead of MSI-X: Linux guests
	// hang in the virtio probe over vhost-user under TCG without it.
	LegacyIRQ bool
	// Plugin, if set, is a TCG plugin QEMU loads: its file, then its
	// arguments, comma-separated (-plugin).
	Plugin string
	// QMPSocket, if set, is where QEMU serves its machine protocol
	// (DialQMP), to pause and resume the guest.
	QMPSocket string
}

// smp is the guest's one vCPU. Under TCG the machine also admits a
// second, never started: TCG emits the guest's memory barriers only when
// more than one vCPU may run, and without them the host reorders the
// guest's "arm the interrupt, check the ring" against the vhost-user
// backend's "fill the ring, check the arming". Both then miss, the
// interrupt is lost, and an interrupt-driven guest (lwIP over virtio)
// stops receiving for good once its ring is full. KVM runs the barriers.
func (m Machine) smp() string {
	if m.Accel == TCG {
		return "1,maxcpus=2"
	}
	return "1"
}

// Binary finds qemu-system-x86_64 or says which package has it.
func Binary() (string, error) {
	path, err := exec.LookPath(qemuBinary)
	if err != nil {
		return "", fmt.Errorf("%s not found: install the Debian package qemu-system-x86", qemuBinary)
	}
	return path, nil
}

// Args is QEMU's command line. The console is the first serial port on
// standard output. Guest memory is a shared memfd, which the vhost-user
// backend maps to reach the guest's rings and buffers.
func (m Machine) Args() []string {
	mem := strconv.Itoa(m.MemoryMiB)
	args := []string{
		"-accel", string(m.Accel),
		"-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
		"-m", mem + "M", "-smp", m.smp(),
		"-object", "memory-backend-memfd,id=mem,size=" + mem + "M,share=on",
		"-numa", "node,memdev=mem",
		"-chardev", "stdio,id=con,signal=off", "-serial", "chardev:con",
		"-kernel", m.Kernel,
	}
	// The host's CPU under KVM, with its invariant TSC: QEMU then tells
	// the guest the TSC's frequency (CPUID 0x40000010), which Unikraft
	// otherwise measures against the PIT for 100 ms at every boot (as it
	// must under TCG, which has no such leaf). Under TCG every feature
	// QEMU emulates, as Debian's DPDK needs SSE4.2 and qemu64 lacks it.
	if m.Accel == KVM {
		args = append(args, "-cpu", "host,+invtsc")
	} else {
		args = append(args, "-cpu", "max")
	}
	if m.Initrd != "" {
		args = append(args, "-initrd", m.Initrd)
	}
	if m.Append != "" {
		args = append(args, "-append", m.Append)
	}
	if m.Plugin != "" {
		args = append(args, "-plugin", m.Plugin)
	}
	if m.QMPSocket != "" {
		args = append(args, "-qmp", "unix:"+m.QMPSocket+",server=on,wait=off")
	}
	if m.VhostSocket != "" {
		nic := "virtio-net-pci,netdev=n0,mac=" + m.MAC
		if m.LegacyIRQ {
			nic += ",vectors=0"
		}
		args = append(args,
			"-chardev", "socket,id=vhost0,path="+m.VhostSocket,
			"-netdev", "vhost-user,id=n0,chardev=vhost0,vhostforce=on",
			"-device", nic)
	}
	return args
}
