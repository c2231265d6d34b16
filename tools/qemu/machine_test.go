package qemu

import (
	"strings"
	"testing"
)

func TestMachineArgs(t *testing.T) {
	m := Machine{Accel: TCG, MemoryMiB: 96, Kernel: "K", Initrd: "I", Append: "a b",
		VhostSocket: "/s/v.sock", MAC: "52:54:00:01:02:02", LegacyIRQ: true}
	got := strings.Join(m.Args(), " ")
	for _, want := range []string{
		"-accel tcg", "-m 96M", "-smp 1,maxcpus=2",
		"-object memory-backend-memfd,id=mem,size=96M,share=on -numa node,memdev=mem",
		"-kernel K", "-initrd I", "-append a b",
		"-chardev socket,id=vhost0,path=/s/v.sock",
		"-netdev vhost-user,id=n0,chardev=vhost0,vhostforce=on",
		"-device virtio-net-pci,netdev=n0,mac=52:54:00:01:02:02,vectors=0",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("args lack %q:\n%s", want, got)
		}
	}
	if !strings.Contains(got, "-cpu max") {
		t.Error("no -cpu max under TCG")
	}
	bare := strings.Join(Machine{Accel: KVM, MemoryMiB: 64, Kernel: "K"}.Args(), " ")
	for _, absent := range []string{"-initrd", "-append", "vhost-user", "vectors=0"} {
		if strings.Contains(bare, absent) {
			t.Errorf("bare machine has %q: %s", absent, bare)
		}
	}
	if !strings.Contains(bare, "-smp 1 ") {
		t.Errorf("KVM machine not a plain single vCPU: %s", bare)
	}
	if !strings.Contains(bare, "-cpu host,+invtsc") {
		t.Error("KVM without -cpu host,+invtsc (the TSC frequency leaf)")
	}
}
