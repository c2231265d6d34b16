package build

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// digester is a sha256 that also takes named files and values, each
// framed by its name, so that moving content between them changes the sum.
type digester struct{ hash.Hash }

func newHash() *digester { return &digester{sha256.New()} }

func (d *digester) sum() string { return hex.EncodeToString(d.Sum(nil)) }

func (d *digester) value(name, value string) {
	fmt.Fprintf(d, "%s %d\n%s\n", name, len(value), value)
}

// file adds a file's name (relative to root) and content.
func (d *digester) file(root, rel string) error {
	f, err := os.Open(filepath.Join(root, rel))
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	fmt.Fprintf(d, "file %s %d\n", filepath.ToSlash(rel), fi.Size())
	_, err = io.Copy(d, f)
	return err
}

// tree adds every regular file under root/rel that keep accepts, in a
// fixed order, skipping hidden folders (kraft's .unikraft among them).
func (d *digester) tree(root, rel string, keep func(name string) bool) error {
	var files []string
	err := filepath.WalkDir(filepath.Join(root, rel), func(path string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && path != filepath.Join(root, rel) && strings.HasPrefix(e.Name(), ".") {
			return filepath.SkipDir
		}
		if e.Type().IsRegular() && keep(e.Name()) {
			r, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			files = append(files, r)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(files)
	for _, f := range files {
		if err := d.file(root, f); err != nil {
			return err
		}
	}
	return nil
}

func anyFile(string) bool { return true }

// isSource accepts what a C build reads, not what a host build leaves.
func isSource(name string) bool {
	switch filepath.Ext(name) {
	case ".c", ".h", ".S", ".s", ".ld", ".lds", ".uk":
		return true
	}
	return false
}
