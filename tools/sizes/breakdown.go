// Package sizes says where an image's bytes go: code, read-only data,
// data and bss per Unikraft library (from the image's .dbg ELF and the
// per-library objects of its build), and for the Linux guest its kernel,
// modules, initramfs and server.
package sizes

import (
	"debug/elf"
	"fmt"
	"sort"
)

// Class is a kind of loaded bytes.
type Class int

// The classes, in the order reports list them.
const (
	Text Class = iota
	ROData
	Data
	BSS
	nClasses
)

// ClassNames name the classes in reports.
var ClassNames = [nClasses]string{"text", "rodata", "data", "bss"}

// Part is one library (or other part) of an image and its bytes by class.
type Part struct {
	Name  string
	Bytes [nClasses]int64
	// Whole, when set, is a part counted as a file (the Linux guest's
	// kernel and initramfs), not by class.
	Whole int64
}

// Total is the part's bytes of every class.
func (p Part) Total() int64 {
	t := p.Whole
	for _, b := range p.Bytes {
		t += b
	}
	return t
}

// Breakdown is one image's parts, largest first.
type Breakdown struct {
	Image string
	Parts []Part
	// Size is the image's size measured apart from the parts: the loaded
	// size of its ELF segments (PT_LOAD memory sizes), or its files'
	// bytes for the Linux guest.
	Size int64
}

// Sum adds up the parts.
func (b *Breakdown) Sum() int64 {
	var s int64
	for _, p := range b.Parts {
		s += p.Total()
	}
	return s
}

// Part returns the named part, or nil.
func (b *Breakdown) Part(name string) *Part {
	for i := range b.Parts {
		if b.Parts[i].Name == name {
			return &b.Parts[i]
		}
	}
	return nil
}

// Names of the parts not of one library.
const (
	// Unwind is .eh_frame and its index, which no symbol names.
	Unwind = "unwind tables"
	// Unnamed is what lies between named symbols: string literals,
	// alignment padding, the linker's tables.
	Unnamed = "unnamed (strings, padding, tables)"
	// Unknown holds symbols that no library object defines (the linker's
	// own, or objects outside the libraries).
	Unknown = "symbols of no library"
)

// classOf sorts a loaded section into a class by its type and flags.
func classOf(s *elf.Section) Class {
	switch {
	case s.Type == elf.SHT_NOBITS:
		return BSS
	case s.Flags&elf.SHF_EXECINSTR != 0:
		return Text
	case s.Flags&elf.SHF_WRITE != 0:
		return Data
	}
	return ROData
}

// loaded says whether a section takes room in the loaded image. A
// thread-local .tbss does not: it is the zeroed tail of the TLS block
// each thread gets, and its addresses overlap the sections after it.
func loaded(s *elf.Section) bool {
	return s.Flags&elf.SHF_ALLOC != 0 && (s.Flags&elf.SHF_TLS == 0 || s.Type != elf.SHT_NOBITS)
}

// loadedSize is the sum of the memory sizes of the file's PT_LOAD
// segments: the bytes the image occupies once loaded.
func loadedSize(f *elf.File) int64 {
	var n int64
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD {
			n += int64(p.Memsz)
		}
	}
	return n
}

type padding struct {
	class Class
	bytes int64
}

// segmentPadding is the bytes of each loaded segment that no loaded
// section covers: the alignment between its sections.
func segmentPadding(f *elf.File) []padding {
	var pads []padding
	for _, p := range f.Progs {
		if p.Type != elf.PT_LOAD || p.Memsz == 0 {
			continue
		}
		var inside uint64
		for _, s := range f.Sections {
			if loaded(s) && s.Addr >= p.Vaddr && s.Addr+s.Size <= p.Vaddr+p.Memsz {
				inside += s.Size
			}
		}
		c := ROData
		switch {
		case p.Flags&elf.PF_X != 0:
			c = Text
		case p.Flags&elf.PF_W != 0:
			c = Data
		}
		if p.Memsz > inside {
			pads = append(pads, padding{c, int64(p.Memsz - inside)})
		}
	}
	return pads
}

// symbolsBySection lists the named symbols of each loaded section, by
// address. A label without a size (assembly code and its tables) is
// given the bytes up to the next symbol or the section's end.
func symbolsBySection(f *elf.File) (map[elf.SectionIndex][]elf.Symbol, error) {
	syms, err := f.Symbols()
	if err != nil {
		return nil, err
	}
	by := map[elf.SectionIndex][]elf.Symbol{}
	for _, s := range syms {
		typ := elf.ST_TYPE(s.Info)
		if s.Name == "" || typ == elf.STT_SECTION || typ == elf.STT_FILE ||
			s.Section == elf.SHN_UNDEF || s.Section >= elf.SHN_LORESERVE || int(s.Section) >= len(f.Sections) {
			continue
		}
		by[s.Section] = append(by[s.Section], s)
	}
	for i, ss := range by {
		sort.SliceStable(ss, func(i, j int) bool { return ss[i].Value < ss[j].Value })
		end := f.Sections[i].Addr + f.Sections[i].Size
		for j := range ss {
			if ss[j].Size > 0 {
				continue
			}
			next := end
			if j+1 < len(ss) {
				next = ss[j+1].Value
			}
			ss[j].Size = next - min(next, ss[j].Value)
		}
	}
	return by, nil
}

// ownerFunc names the part a symbol belongs to.
type ownerFunc func(elf.Symbol) string

// ofELF breaks the loaded sections of an ELF file down by owner: each
// sized symbol's bytes go to its owner (an address two symbols share,
// once), unwind tables to Unwind, and the bytes no symbol covers to
// Unnamed.
func ofELF(path string, owner ownerFunc) (*Breakdown, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, fmt.Errorf("size breakdown of %s: %w", path, err)
	}
	defer f.Close()
	by, err := symbolsBySection(f)
	if err != nil {
		return nil, fmt.Errorf("size breakdown of %s: %w", path, err)
	}
	parts := map[string]*Part{}
	add := func(name string, c Class, n int64) {
		if n <= 0 {
			return
		}
		p, ok := parts[name]
		if !ok {
			p = &Part{Name: name}
			parts[name] = p
		}
		p.Bytes[c] += n
	}
	for i, s := range f.Sections {
		if !loaded(s) || s.Size == 0 {
			continue
		}
		c := classOf(s)
		if s.Name == ".eh_frame" || s.Name == ".eh_frame_hdr" {
			add(Unwind, c, int64(s.Size))
			continue
		}
		covered := s.Addr // bytes below are counted
		end := s.Addr + s.Size
		for _, sym := range by[elf.SectionIndex(i)] {
			lo, hi := max(sym.Value, covered), min(sym.Value+sym.Size, end)
			if hi <= lo {
				continue
			}
			add(Unnamed, c, int64(lo-covered))
			add(owner(sym), c, int64(hi-lo))
			covered = hi
		}
		add(Unnamed, c, int64(end-covered))
	}
	for _, pad := range segmentPadding(f) {
		add(Unnamed, pad.class, pad.bytes)
	}
	b := &Breakdown{Image: path, Size: loadedSize(f)}
	for _, p := range parts {
		b.Parts = append(b.Parts, *p)
	}
	sortParts(b.Parts)
	return b, nil
}

// sortParts orders parts largest first, names breaking ties.
func sortParts(ps []Part) {
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].Total() != ps[j].Total() {
			return ps[i].Total() > ps[j].Total()
		}
		return ps[i].Name < ps[j].Name
	})
}
