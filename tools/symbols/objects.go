package symbols

import (
	"debug/elf"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// objectKey identifies a function across the link: a static function's
// name alone may be defined in several objects, rarely with the same
// size too.
type objectKey struct {
	name string
	size uint64
}

type origin struct{ library, object string }

// Attribute names the library and object of each function, from the
// object files of a Unikraft build folder: every library LIB is linked
// from BUILD/LIB.o, compiled from the objects under BUILD/LIB/.
func (t *Table) Attribute(buildDir string) error {
	origins, err := indexObjects(buildDir)
	if err != nil {
		return err
	}
	for i := range t.funcs {
		f := &t.funcs[i]
		o, ok := origins[objectKey{f.Name, f.Size}]
		if !ok {
			o, ok = origins[objectKey{f.Name, 0}]
		}
		if ok {
			f.Library, f.Object = o.library, o.object
		}
	}
	return nil
}

// indexObjects maps each code symbol of the build's objects to its
// origin, by name and size and by name alone (key size 0). The first
// object found wins a clash.
func indexObjects(buildDir string) (map[objectKey]origin, error) {
	libs, err := filepath.Glob(filepath.Join(buildDir, "*.o"))
	if err != nil {
		return nil, err
	}
	idx := map[objectKey]origin{}
	for _, l := range libs {
		lib := strings.TrimSuffix(filepath.Base(l), ".o")
		if strings.HasSuffix(lib, ".ld") {
			continue
		}
		if err := indexLibrary(idx, filepath.Join(buildDir, lib), lib); err != nil {
			return nil, err
		}
		// With link-time optimisation LIB/*.o hold only the compiler's
		// intermediate code: the library's partial link names its
		// functions, though not their objects.
		if err := indexObject(idx, l, origin{library: lib}); err != nil {
			return nil, err
		}
	}
	if len(idx) == 0 {
		return nil, fmt.Errorf("no library objects (LIB.o and LIB/*.o) in %s: build the variant first", buildDir)
	}
	return idx, nil
}

func indexLibrary(idx map[objectKey]origin, dir, lib string) error {
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".o") {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		return indexObject(idx, path, origin{library: lib, object: rel})
	})
	if os.IsNotExist(err) {
		return nil // a library of assembly alone, or an empty one
	}
	return err
}

func indexObject(idx map[objectKey]origin, path string, o origin) error {
	f, err := elf.Open(path)
	if err != nil {
		return nil // not an ELF object (a leftover of the build): nothing to learn
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		return nil
	}
	for _, s := range syms {
		if !isCode(f, s) {
			continue
		}
		for _, k := range []objectKey{{s.Name, s.Size}, {s.Name, 0}} {
			if _, ok := idx[k]; !ok {
				idx[k] = o
			}
		}
	}
	return nil
}
