package render

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/ukkv/ukkv/tools/variant"
)

// Write renders each variant into its app folder under repoRoot. Every
// variant is rendered before anything is written, and each file is
// replaced whole by a rename, so a failure leaves no half-written file.
func Write(repoRoot string, vs []*variant.Variant) error {
	rendered := make([]map[string][]byte, len(vs))
	for i, v := range vs {
		files, err := Files(v)
		if err != nil {
			return err
		}
		rendered[i] = files
	}
	for i, v := range vs {
		dir := AppDir(repoRoot, v.Name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("rendering %s: %w", v.Name, err)
		}
		for _, name := range sortedNames(rendered[i]) {
			if err := WriteFileAtomic(filepath.Join(dir, name), rendered[i][name]); err != nil {
				return fmt.Errorf("rendering %s: %w", v.Name, err)
			}
		}
	}
	return nil
}

// Check compares the app folder of v under repoRoot with a fresh render
// and names the files that differ.
func Check(repoRoot string, v *variant.Variant) error {
	files, err := Files(v)
	if err != nil {
		return err
	}
	for _, name := range sortedNames(files) {
		path := filepath.Join(AppDir(repoRoot, v.Name), name)
		got, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("%s: %w; run `ukkv render`", v.Name, err)
		}
		if !bytes.Equal(got, files[name]) {
			return fmt.Errorf("%s differs from the registry; run `ukkv render`", path)
		}
	}
	return nil
}

func sortedNames(files map[string][]byte) []string {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// WriteFileAtomic writes data to a temporary file beside path, then
// renames it over path: readers see the old file or the new one, never
// a part. Build manifests are published the same way.
func WriteFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
