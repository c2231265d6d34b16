// Package symbols says what code of a guest image an address belongs
// to: its function, from the image's ELF symbol table; the object file
// and Unikraft library that function was compiled into, from the
// build's per-library objects; and so the component of the system it is
// part of (KV core, driver, network stack...).
package symbols

import (
	"debug/elf"
	"fmt"
	"sort"
)

// Func is one function of an image.
type Func struct {
	Name       string
	Addr, Size uint64
	// Library is the Unikraft library (its build folder, e.g.
	// "libnolibc" or "appkvstore") and Object the object file in it
	// ("string.o"); both empty when no object defines the function.
	Library, Object string
}

// Table is an image's functions by address.
type Table struct {
	funcs []Func // sorted by Addr
	// textEnd is where the image's code ends: an address above it is
	// no code of the image (a Linux guest's kernel, for one).
	textEnd uint64
	// kernel, for a user-space program, is what the upper half's
	// addresses are charged to.
	kernel *Func
}

// Load reads the code symbols of an ELF file (a Unikraft image's .dbg).
func Load(path string) (*Table, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, fmt.Errorf("symbols of %s: %w", path, err)
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		return nil, fmt.Errorf("symbols of %s: %w", path, err)
	}
	t := &Table{}
	for _, sec := range f.Sections {
		if sec.Flags&elf.SHF_EXECINSTR != 0 {
			t.textEnd = max(t.textEnd, sec.Addr+sec.Size)
		}
	}
	for _, s := range syms {
		if isCode(f, s) {
			t.funcs = append(t.funcs, Func{Name: s.Name, Addr: s.Value, Size: s.Size})
		}
	}
	t.sort()
	return t, nil
}

// isCode keeps named symbols of executable sections: functions, and the
// labels of assembly code, which often have no type or size.
func isCode(f *elf.File, s elf.Symbol) bool {
	typ := elf.ST_TYPE(s.Info)
	if s.Name == "" || (typ != elf.STT_FUNC && typ != elf.STT_NOTYPE) {
		return false
	}
	if int(s.Section) >= len(f.Sections) || s.Section == elf.SHN_UNDEF {
		return false
	}
	return f.Sections[s.Section].Flags&elf.SHF_EXECINSTR != 0
}

func (t *Table) sort() {
	// At one address a sized function wins over a bare label.
	sort.SliceStable(t.funcs, func(i, j int) bool {
		a, b := t.funcs[i], t.funcs[j]
		if a.Addr != b.Addr {
			return a.Addr < b.Addr
		}
		return a.Size > b.Size
	})
}

// Lookup is the function that holds addr: the one it falls into, else
// the nearest label before it (assembly without sizes); nil below the
// first or past the image's code; for a program, the guest kernel in
// the upper half.
func (t *Table) Lookup(addr uint64) *Func {
	if t.kernel != nil && addr >= kernelBase {
		return t.kernel
	}
	i := sort.Search(len(t.funcs), func(i int) bool { return t.funcs[i].Addr > addr })
	if i == 0 || addr >= t.textEnd {
		return nil
	}
	// the last symbol at or below addr; prefer one whose extent covers it
	last := i - 1
	for j := last; j >= 0 && t.funcs[j].Addr == t.funcs[last].Addr; j-- {
		if t.funcs[j].Size > 0 && addr < t.funcs[j].Addr+t.funcs[j].Size {
			return &t.funcs[j]
		}
	}
	return &t.funcs[last]
}
