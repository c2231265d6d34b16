package symbols

import (
	"debug/dwarf"
	"debug/elf"
	"fmt"
	"path/filepath"
	"strings"
)

// DPDKLibrary is the Library of a DPDK program's functions that none
// of its own compile units defines: DPDK's PMD, mbuf, mempool and EAL,
// and the C library's functions other than the string ones.
const DPDKLibrary = "libdpdk"

// LibcLibrary is the Library of a socket program's functions that none
// of its own compile units defines: the C library, its system call
// wrappers among them.
const LibcLibrary = "libc"

// programLibrary is the Library of a program's own compile units.
const programLibrary = "app"

// GuestKernel is the function every address of a Linux guest's kernel
// (the upper half) is charged to: its symbols are not read.
var GuestKernel = Func{Name: "[guest kernel]", Library: "linux"}

// kernelBase is where the upper half of x86-64's address space, the
// kernel's, begins.
const kernelBase = 0xffff800000000000

// LoadProgram reads the functions of a static user-space program (a
// Linux row's server, built with debug information): each function of
// one of its own compile units is charged to that unit's object
// (kv.c -> kv.o), every other one to the libraries linked in, named
// others (DPDKLibrary, LibcLibrary), their string functions to libc.
// Addresses in the upper half are the guest kernel's.
func LoadProgram(path, others string) (*Table, error) {
	t, err := Load(path)
	if err != nil {
		return nil, err
	}
	f, err := elf.Open(path)
	if err != nil {
		return nil, fmt.Errorf("symbols of %s: %w", path, err)
	}
	defer f.Close()
	d, err := f.DWARF()
	if err != nil {
		return nil, fmt.Errorf("debug information of %s (built without -g?): %w", path, err)
	}
	units, err := compileUnits(d)
	if err != nil {
		return nil, fmt.Errorf("compile units of %s: %w", path, err)
	}
	for i := range t.funcs {
		fn := &t.funcs[i]
		fn.Library, fn.Object = others, ""
		if u := units.of(fn.Addr); u != "" {
			fn.Library, fn.Object = programLibrary, u
		} else if isStringFunc(strings.TrimLeft(fn.Name, "_")) {
			fn.Library = LibcLibrary
		}
	}
	t.kernel = &GuestKernel
	return t, nil
}

// unitRange is the code of one compile unit, named as its object.
type unitRange struct {
	low, high uint64
	object    string
}

type unitRanges []unitRange

func (u unitRanges) of(addr uint64) string {
	for _, r := range u {
		if addr >= r.low && addr < r.high {
			return r.object
		}
	}
	return ""
}

// compileUnits lists the code ranges of the compile units with debug
// information, each named as the object its source compiles to.
func compileUnits(d *dwarf.Data) (unitRanges, error) {
	var units unitRanges
	r := d.Reader()
	for {
		e, err := r.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			return units, nil
		}
		if e.Tag != dwarf.TagCompileUnit {
			r.SkipChildren()
			continue
		}
		name, _ := e.Val(dwarf.AttrName).(string)
		ranges, err := d.Ranges(e)
		if err != nil {
			return nil, err
		}
		obj := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name)) + ".o"
		for _, rg := range ranges {
			units = append(units, unitRange{rg[0], rg[1], obj})
		}
		r.SkipChildren()
	}
}
