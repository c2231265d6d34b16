package qemu

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
)

// FloorReadyLine is what the floor kernel prints before it halts.
const FloorReadyLine = "ukkv floor ready"

// The floor kernel is one file loaded whole at floorBase by QEMU's
// multiboot loader. Its layout, as offsets into the file:
const (
	floorBase    = 0x100000
	elfHdrSize   = 52
	progHdrSize  = 32
	multibootOff = elfHdrSize + progHdrSize // 84, 4-byte aligned as multiboot asks
	gdtOff       = multibootOff + 12        // null and 64-bit code descriptors
	gdtrOff      = gdtOff + 16
	code32Off    = gdtrOff + 8
	mxcsrOff     = 0x800  // the MXCSR value the SSE set-up loads
	pml4Off      = 0x1000 // identity map of the first 2 MiB: PML4, PDPT, PD
	pdptOff      = 0x2000
	pdOff        = 0x3000
	floorSize    = 0x4000
)

func addr(off int) uint32 { return floorBase + uint32(off) }

// code32 reads a memory-mapped device register, enables SSE and loads
// MXCSR, then switches from the protected mode the multiboot loader
// leaves us in to long mode, as real guests do: an accelerator that
// cannot emulate an MMIO access or ldmxcsr (where Unikraft images stop
// on a paravirtual KVM) or enter long mode stops here instead of
// printing the ready line.
func code32(code64Addr uint32) []byte {
	var c []byte
	put := func(b ...byte) { c = append(c, b...) }
	imm := func(v uint32) { c = binary.LittleEndian.AppendUint32(c, v) }
	put(0x0f, 0x20, 0xe0) // mov eax, cr4
	put(0x0d)             // or eax, OSFXSR | OSXMMEXCPT
	imm(0x600)            //
	put(0x0f, 0x22, 0xe0) // mov cr4, eax
	put(0x0f, 0xae, 0x15) // ldmxcsr [mxcsr]
	imm(addr(mxcsrOff))   //
	put(0x0f, 0x20, 0xe0) // mov eax, cr4
	put(0x83, 0xc8, 0x20) // or eax, PAE
	put(0x0f, 0x22, 0xe0) // mov cr4, eax
	put(0xb8)             // mov eax, pml4
	imm(addr(pml4Off))    //
	put(0x0f, 0x22, 0xd8) // mov cr3, eax
	put(0xb9)             // mov ecx, EFER
	imm(0xc0000080)       //
	put(0x0f, 0x32)       // rdmsr
	put(0x0d)             // or eax, LME
	imm(0x100)            //
	put(0x0f, 0x30)       // wrmsr
	put(0x0f, 0x20, 0xc0) // mov eax, cr0
	put(0x0d)             // or eax, PG | PE
	imm(0x80000001)       //
	put(0x0f, 0x22, 0xc0) // mov cr0, eax
	put(0x0f, 0x01, 0x15) // lgdt [gdtr]
	imm(addr(gdtrOff))    //
	put(0xea)             // jmp 0x08:code64
	imm(code64Addr)       //
	put(0x08, 0x00)       //
	return c
}

// code64 prints the NUL-terminated string at msgAddr on the first serial
// port, then halts for good.
func code64(msgAddr uint32) []byte {
	c := []byte{0xbe} // mov esi, msgAddr
	c = binary.LittleEndian.AppendUint32(c, msgAddr)
	return append(c,
		0xac,       // loop: lodsb
		0x84, 0xc0, // test al, al
		0x74, 0x07, // jz done
		0x66, 0xba, 0xf8, 0x03, // mov dx, 0x3f8
		0xee,       // out dx, al
		0xeb, 0xf4, // jmp loop
		0xfa,       // done: cli
		0xf4,       // hlt
		0xeb, 0xfd, // jmp hlt
	)
}

// FloorKernel returns a multiboot ELF32 kernel that enters long mode,
// prints FloorReadyLine on the serial console and halts: the guest that
// costs nothing, so that booting it measures QEMU's own share of a boot.
// It also serves as the accelerator probe.
func FloorKernel() []byte {
	code64Off := code32Off + len(code32(0))
	msgOff := code64Off + len(code64(0))
	msg := []byte(FloorReadyLine + "\r\n\x00")

	f := make([]byte, floorSize)
	le := binary.LittleEndian
	var h bytes.Buffer
	// ELF header: ELF32, little endian, executable, i386.
	h.Write([]byte{0x7f, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	for _, v := range []any{
		uint16(2), uint16(3), uint32(1), // type EXEC, machine 386, version
		addr(code32Off),                          // entry
		uint32(elfHdrSize), uint32(0), uint32(0), // phoff, shoff, flags
		uint16(elfHdrSize), uint16(progHdrSize), uint16(1), // ehsize, phentsize, phnum
		uint16(0), uint16(0), uint16(0), // shentsize, shnum, shstrndx
		// Program header: the whole file as one loadable segment, RWX.
		uint32(1), uint32(0), addr(0), addr(0),
		uint32(floorSize), uint32(floorSize), uint32(7), uint32(0x1000),
		// Multiboot header: magic, no flags (the loader reads the ELF), checksum.
		uint32(0x1badb002), uint32(0), uint32(0xe4524ffe),
		// GDT: null descriptor, 64-bit code segment.
		uint64(0), uint64(0x00209a0000000000),
		// GDTR: limit, base.
		uint16(15), addr(gdtOff),
	} {
		_ = binary.Write(&h, le, v) // writes to a bytes.Buffer cannot fail
	}
	copy(f, h.Bytes())
	copy(f[code32Off:], code32(addr(code64Off)))
	copy(f[code64Off:], code64(addr(msgOff)))
	copy(f[msgOff:], msg)
	le.PutUint32(f[mxcsrOff:], 0x1f80) // all exceptions masked: the reset value
	// Page tables: present and writable; the PD entry maps 2 MiB at 0.
	le.PutUint64(f[pml4Off:], uint64(addr(pdptOff))|3)
	le.PutUint64(f[pdptOff:], uint64(addr(pdOff))|3)
	le.PutUint64(f[pdOff:], 0x83)
	return f
}

// WriteFloorKernel writes FloorKernel to path.
func WriteFloorKernel(path string) error {
	if err := os.WriteFile(path, FloorKernel(), 0o644); err != nil {
		return fmt.Errorf("write floor kernel: %w", err)
	}
	return nil
}
