package guest

import (
	"bytes"
	"debug/elf"
	"fmt"
)

// WriteRootfs writes an uncompressed newc archive holding only program,
// at the path at: the root filesystem Unikraft's app-elfloader extracts
// into its ramfs (Unikraft's cpio reader takes no compression).
func WriteRootfs(path, program, at string) error {
	if err := CheckStaticPIE(program); err != nil {
		return err
	}
	a := newArchive()
	if err := addHostFile(a, program, at); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := a.writeTo(&buf); err != nil {
		return err
	}
	return writeAtomic(path, buf.Bytes())
}

// CheckStaticPIE accepts the only kind of executable app-elfloader runs
// from a root filesystem holding nothing else: position-independent
// (ELF type DYN) with no program interpreter.
func CheckStaticPIE(path string) error {
	f, err := elf.Open(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	if f.Type != elf.ET_DYN {
		return fmt.Errorf("%s is not position-independent (ELF type %s): app-elfloader refuses it; link it with -static-pie", path, f.Type)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("%s needs a dynamic loader: app-elfloader's root filesystem has none; link it with -static-pie", path)
		}
	}
	return nil
}
