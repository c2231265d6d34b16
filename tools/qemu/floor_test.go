package qemu

import (
	"bytes"
	"context"
	"debug/elf"
	"encoding/binary"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

func TestFloorKernelIsMultibootELF32(t *testing.T) {
	k := FloorKernel()
	f, err := elf.NewFile(bytes.NewReader(k))
	if err != nil {
		t.Fatalf("not an ELF: %v", err)
	}
	if f.Class != elf.ELFCLASS32 || f.Machine != elf.EM_386 || f.Type != elf.ET_EXEC {
		t.Errorf("class %v machine %v type %v, want ELF32 386 EXEC", f.Class, f.Machine, f.Type)
	}
	if len(f.Progs) != 1 || f.Progs[0].Paddr != floorBase || f.Progs[0].Filesz != uint64(len(k)) {
		t.Errorf("want one segment loading the whole file at %#x", floorBase)
	}
	le := binary.LittleEndian
	magic, flags, sum := le.Uint32(k[multibootOff:]), le.Uint32(k[multibootOff+4:]), le.Uint32(k[multibootOff+8:])
	if magic != 0x1badb002 || magic+flags+sum != 0 {
		t.Errorf("multiboot header %#x %#x %#x does not check", magic, flags, sum)
	}
	if !bytes.Contains(k, []byte(FloorReadyLine)) {
		t.Error("ready line not in the image")
	}
}

// TestFloorKernelBoots boots the floor kernel under TCG for real.
func TestFloorKernelBoots(t *testing.T) {
	if _, err := exec.LookPath(qemuBinary); err != nil {
		t.Skip("qemu-system-x86_64 missing: install the Debian package qemu-system-x86 (make deps)")
	}
	path := filepath.Join(t.TempDir(), "floor.elf")
	if err := WriteFloorKernel(path); err != nil {
		t.Fatal(err)
	}
	d, err := probeBoot(context.Background(), TCG, path)
	if err != nil {
		t.Fatalf("floor kernel did not print its line under TCG: %v", err)
	}
	if d <= 0 || d > probeTimeout {
		t.Errorf("implausible boot time %s", d)
	}
	t.Logf("floor boot under TCG: %s", d.Round(time.Millisecond))
}
