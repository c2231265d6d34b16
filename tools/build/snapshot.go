package build

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ukkv/ukkv/tools/render"
	"github.com/ukkv/ukkv/tools/variant"
)

// snapshot holds an app's input files as they were at one moment. Taken
// before a build, it is what the build read: the manifest's digest comes
// from it, so a file edited while the build runs makes the next build
// stale instead of vouching for an image made from the old text. It keeps
// the content, not a digest of it, so the inputs digest stays the one an
// earlier manifest recorded; an app's sources are a few hundred KiB.
type snapshot struct {
	root string
	// trees lists, sorted, the files found under each folder walked.
	trees map[string][]string
	// content is each file's text, by path relative to root.
	content map[string][]byte
}

// takeSnapshot reads v's rendered app folder, the source files of its
// app folders, and the files its last build compiled (compiled), which
// may lie elsewhere in the repository.
func takeSnapshot(root string, v *variant.Variant, compiled []string) (*snapshot, error) {
	s := &snapshot{root: root, trees: map[string][]string{}, content: map[string][]byte{}}
	if err := s.walk(filepath.Join(render.Root, v.Name), anyFile); err != nil {
		return nil, err
	}
	for _, dir := range v.AppInputs {
		if err := s.walk(dir, isSource); err != nil {
			return nil, err
		}
	}
	for _, f := range compiled {
		if _, ok := s.content[f]; ok {
			continue
		}
		if err := s.read(f); err != nil && !os.IsNotExist(err) {
			return nil, fmt.Errorf("reading the app's inputs: %w", err)
		}
	}
	return s, nil
}

// walk reads every regular file under dir that keep accepts, skipping
// hidden folders (kraft's .unikraft among them).
func (s *snapshot) walk(dir string, keep func(name string) bool) error {
	top := filepath.Join(s.root, dir)
	var files []string
	err := filepath.WalkDir(top, func(path string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && path != top && strings.HasPrefix(e.Name(), ".") {
			return filepath.SkipDir
		}
		if !e.Type().IsRegular() || !keep(e.Name()) {
			return nil
		}
		rel, err := filepath.Rel(s.root, path)
		if err == nil {
			files = append(files, rel)
			err = s.read(rel)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("reading the app's inputs: %w", err)
	}
	slices.Sort(files)
	s.trees[dir] = files
	return nil
}

func (s *snapshot) read(rel string) error {
	data, err := os.ReadFile(filepath.Join(s.root, rel))
	if err == nil {
		s.content[rel] = data
	}
	return err
}

// tree lists the files found under dir that keep accepts.
func (s *snapshot) tree(dir string, keep func(name string) bool) []string {
	var files []string
	for _, f := range s.trees[dir] {
		if keep(filepath.Base(f)) {
			files = append(files, f)
		}
	}
	return files
}

// file is rel's content in the snapshot. A file the snapshot lacks did not
// exist when it was taken, or was compiled for the first time by the build
// that followed, from outside the app's folders: the build made or found
// it, so its content now is the best record of what it read.
func (s *snapshot) file(rel string) ([]byte, error) {
	if data, ok := s.content[rel]; ok {
		return data, nil
	}
	return os.ReadFile(filepath.Join(s.root, rel))
}

// inputFiles are the files inputsDigest covers, in its order: the
// rendered app folder, then the app folders' sources, or only their
// Config.uk and Makefile.uk files once a build has named what it compiled
// (compiled), then those.
func (s *snapshot) inputFiles(v *variant.Variant, compiled []string) []string {
	files := s.tree(filepath.Join(render.Root, v.Name), anyFile)
	keep := isSource
	if len(compiled) > 0 {
		keep = isBuildGlue
	}
	for _, dir := range v.AppInputs {
		files = append(files, s.tree(dir, keep)...)
	}
	return append(files, compiled...)
}

// changedSince names the input files whose content differs between an
// earlier snapshot and s, or that exist in only one of them.
func (s *snapshot) changedSince(earlier *snapshot, v *variant.Variant, compiled []string) []string {
	var changed []string
	for _, f := range append(earlier.inputFiles(v, compiled), s.inputFiles(v, compiled)...) {
		was, errWas := earlier.file(f)
		now, errNow := s.file(f)
		if (errWas == nil) != (errNow == nil) || !bytes.Equal(was, now) {
			changed = append(changed, f)
		}
	}
	slices.Sort(changed)
	return slices.Compact(changed)
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
