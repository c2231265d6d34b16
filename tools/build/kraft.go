package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/ukkv/ukkv/tools/kraftfile"
	"github.com/ukkv/ukkv/tools/render"
)

// kraftBackend runs KraftKit's `kraft build` on the rendered app folder.
// kraft reads a copy of the Kraftfile whose sources point at the cache,
// so it neither downloads nor uses any other revision.
type kraftBackend struct{}

func (kraftBackend) Name() string { return "kraft" }

func (kraftBackend) Build(ctx context.Context, j *Job) error {
	// kraft builds in, and writes into, the app folder: here that would be
	// the shared source cache, and this path has not been proven.
	if j.App != "" {
		return fmt.Errorf("the kraft backend cannot build %s, whose app is the pinned %s rather than a rendered folder: build it with --backend make", j.Kraftfile.Name, j.App)
	}
	kfPath := filepath.Join(j.Dir, "Kraftfile")
	if err := writeCachedKraftfile(j, kfPath); err != nil {
		return err
	}
	// kraft builds in the app folder's .unikraft/build (gitignored).
	kraftDir := filepath.Join(j.AppDir, ".unikraft", "build")
	if err := placeArchives(j, kraftDir); err != nil {
		return err
	}
	t := j.Kraftfile.Targets[0]
	err := run(ctx, j, []string{"KRAFTKIT_NO_CHECK_UPDATES=true", "KRAFTKIT_LOG_TYPE=basic"},
		"kraft", "build", "--plat", t.Plat, "--arch", t.Arch, "--kraftfile", kfPath,
		"--no-update", "--jobs", strconv.Itoa(j.Jobs), j.AppDir)
	if err != nil {
		return err
	}
	built := filepath.Join(kraftDir, filepath.Base(j.Image()))
	data, err := os.ReadFile(built)
	if err != nil {
		return fmt.Errorf("kraft left no image: %w", err)
	}
	return render.WriteFileAtomic(j.Image(), data)
}

// writeCachedKraftfile writes the job's Kraftfile with the core and every
// library taken from the source cache.
func writeCachedKraftfile(j *Job, path string) error {
	kf := *j.Kraftfile
	kf.Unikraft = fromCache(kf.Unikraft, j.Cache.Path("unikraft"))
	kf.Libraries = map[string]kraftfile.Component{}
	for name, lib := range j.Kraftfile.Libraries {
		kf.Libraries[name] = fromCache(lib, j.Cache.Path(render.LibrarySource(name)))
	}
	data, err := kf.Marshal()
	if err != nil {
		return err
	}
	return render.WriteFileAtomic(path, data)
}

func fromCache(c kraftfile.Component, path string) kraftfile.Component {
	return kraftfile.Component{Source: path, KConfig: c.KConfig}
}
