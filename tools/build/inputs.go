package build

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// compiledInputs are the repository files the compiler read for an image,
// taken from the dependency files (.d) it wrote beside the objects: only
// these decide whether the image is stale, so that a change to one front
// end rebuilds only the variants that compile it. Files under the build
// folder (kraft's copy of the app folder, generated headers) are left out.
func compiledInputs(repoRoot, objects string) ([]string, error) {
	seen := map[string]bool{}
	buildRoot := filepath.Join(repoRoot, Root) + string(filepath.Separator)
	err := filepath.WalkDir(objects, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(e.Name(), ".d") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, dep := range depPrerequisites(string(data)) {
			rel, err := filepath.Rel(repoRoot, dep)
			if err == nil && filepath.IsAbs(dep) && !strings.HasPrefix(rel, "..") &&
				!strings.HasPrefix(dep, buildRoot) {
				seen[filepath.ToSlash(rel)] = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	files := make([]string, 0, len(seen))
	for f := range seen {
		files = append(files, f)
	}
	sort.Strings(files)
	return files, nil
}

// depPrerequisites lists the files a make dependency file names as
// prerequisites: every word that is not a target (ending in ':').
func depPrerequisites(dep string) []string {
	var files []string
	for _, word := range strings.Fields(strings.ReplaceAll(dep, "\\\n", " ")) {
		if !strings.HasSuffix(word, ":") && word != "\\" {
			files = append(files, filepath.Clean(word))
		}
	}
	return files
}

// isBuildGlue accepts the files that decide what an app compiles, which a
// change must reach even when no compiled file changed.
func isBuildGlue(name string) bool {
	return filepath.Ext(name) == ".uk"
}
