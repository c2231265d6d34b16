package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ukkv/ukkv/tools/render"
)

// makeBackend drives Unikraft's own make: the Kraftfile's kconfig becomes
// a defconfig, then `make defconfig` and `make` run with A, L and O set.
type makeBackend struct{}

func (makeBackend) Name() string { return "make" }

// Version is "": Unikraft's make comes with the pinned sources.
func (makeBackend) Version() string { return "" }

func (makeBackend) Build(ctx context.Context, j *Job) error {
	defconfig, err := Defconfig(j.Kraftfile)
	if err != nil {
		return err
	}
	// Named so that no Unikraft goal or app folder file shadows it.
	defconfigPath := filepath.Join(j.Dir, "ukkv.defconfig")
	if err := render.WriteFileAtomic(defconfigPath, []byte(defconfig)); err != nil {
		return err
	}
	if err := placeArchives(j, j.Dir); err != nil {
		return err
	}
	args, err := makeArgs(j)
	if err != nil {
		return err
	}
	// A stale .config would hide a failed defconfig step.
	config := filepath.Join(j.Dir, ".config")
	if err := os.Remove(config); err != nil && !os.IsNotExist(err) {
		return err
	}
	if err := run(ctx, j, nil, "make", append(args, "UK_DEFCONFIG="+defconfigPath, "defconfig")...); err != nil {
		return fmt.Errorf("configuring: %w", err)
	}
	if _, err := os.Stat(config); err != nil {
		return fmt.Errorf("make defconfig wrote no %s", config)
	}
	if err := run(ctx, j, nil, "make", append(args, fmt.Sprintf("-j%d", j.Jobs))...); err != nil {
		return fmt.Errorf("compiling: %w", err)
	}
	return nil
}

// makeArgs points Unikraft's make at the cached core and libraries, and
// keeps all it writes, .config included (C), in the build folder. The
// image is named after the Kraftfile (N), not the app folder, which for
// app-elfloader is the cached source.
func makeArgs(j *Job) ([]string, error) {
	var libs []string
	for _, name := range j.Kraftfile.LibraryNames() {
		src, err := j.Cache.Lookup(render.LibrarySource(name))
		if err != nil {
			return nil, fmt.Errorf("library %s: %w", name, err)
		}
		libs = append(libs, j.Cache.Path(src.Name))
	}
	return []string{
		"-C", j.Cache.Path("unikraft"),
		"A=" + j.AppDir,
		"L=" + strings.Join(libs, ":"),
		"O=" + j.Dir,
		"C=" + filepath.Join(j.Dir, ".config"),
		"N=" + j.Kraftfile.Name,
	}, nil
}
