package sizes

import (
	"debug/elf"
	"fmt"
	"path/filepath"
	"strings"
)

// symbolKey finds a symbol across the link by name and size: a static
// symbol's name alone may be defined in several libraries.
type symbolKey struct {
	name string
	size uint64
}

// libraryIndex maps the sized symbols of a build's library objects to
// their library, by name and size and by name alone (size 0).
type libraryIndex map[symbolKey]string

// Unikraft breaks a Unikraft image down by library: dbg is the image's
// .dbg ELF, buildDir the folder holding each library LIB's partial link
// LIB.o, whose symbols name the library of each of the image's symbols.
func Unikraft(dbg, buildDir string) (*Breakdown, error) {
	idx, err := indexLibraries(buildDir)
	if err != nil {
		return nil, err
	}
	return ofELF(dbg, idx.owner)
}

func (idx libraryIndex) owner(s elf.Symbol) string {
	name := baseName(s.Name)
	if lib, ok := idx[symbolKey{name, s.Size}]; ok {
		return lib
	}
	if lib, ok := idx[symbolKey{name, 0}]; ok {
		return lib
	}
	return Unknown
}

// baseName strips the suffixes GCC gives clones and local copies of a
// symbol (foo.constprop.0, foo.lto_priv.0, foo.part.0, foo.cold).
func baseName(name string) string {
	if i := strings.IndexByte(name, '.'); i > 0 {
		return name[:i]
	}
	return name
}

func indexLibraries(buildDir string) (libraryIndex, error) {
	objs, err := filepath.Glob(filepath.Join(buildDir, "*.o"))
	if err != nil {
		return nil, err
	}
	idx := libraryIndex{}
	for _, o := range objs {
		lib := strings.TrimSuffix(filepath.Base(o), ".o")
		if strings.HasSuffix(lib, ".ld") {
			continue // the same library, linked again
		}
		if err := idx.add(o, lib); err != nil {
			return nil, err
		}
	}
	if len(idx) == 0 {
		return nil, fmt.Errorf("no library objects (LIB.o) with symbols in %s: build the variant first", buildDir)
	}
	return idx, nil
}

func (idx libraryIndex) add(path, lib string) error {
	f, err := elf.Open(path)
	if err != nil {
		return fmt.Errorf("library object %s: %w", path, err)
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		return nil // an object without symbols names nothing
	}
	for _, s := range syms {
		if s.Section == elf.SHN_UNDEF || s.Name == "" {
			continue
		}
		name := baseName(s.Name)
		for _, k := range []symbolKey{{name, s.Size}, {name, 0}} {
			if _, ok := idx[k]; !ok {
				idx[k] = lib
			}
		}
	}
	return nil
}

// WithProgram adds the program an elfloader image loads from its initrd,
// as one part of its own, by the loaded sections of its ELF file.
func (b *Breakdown) WithProgram(program string) error {
	pb, err := ofELF(program, func(elf.Symbol) string { return "" })
	if err != nil {
		return err
	}
	p := Part{Name: "program: " + filepath.Base(program)}
	for _, q := range pb.Parts {
		for c := range q.Bytes {
			p.Bytes[c] += q.Bytes[c]
		}
	}
	b.Parts = append(b.Parts, p)
	b.Size += pb.Size
	sortParts(b.Parts)
	return nil
}
