package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ukkv/ukkv/tools/kraftfile"
	"github.com/ukkv/ukkv/tools/render"
	"github.com/ukkv/ukkv/tools/variant"
)

// kraftBackend runs KraftKit's `kraft build` on a copy of the rendered
// app folder in the build folder, so that kraft writes nothing into the
// committed app folder and builds of different variants never share a
// folder. kraft reads a Kraftfile whose sources point at the cache, so it
// neither downloads nor uses any other revision.
type kraftBackend struct {
	version string // what `kraft version` says, e.g. "0.9.2 (b7229cd8)"
}

func (kraftBackend) Name() string { return "kraft" }

func (k kraftBackend) Version() string { return k.version }

func (kraftBackend) Refuses(v *variant.Variant) error { return refuseApp(v.Name, v.App) }

// refuseApp refuses an app taken from the source cache (app-elfloader):
// it is no rendered folder that stageApp can copy, and kraft has not been
// proven on it.
func refuseApp(name, app string) error {
	if app == "" {
		return nil
	}
	return fmt.Errorf("the kraft backend cannot build %s, whose app is the pinned %s rather than a rendered folder: build it with --backend make", name, app)
}

// kraftEnv keeps kraft off the network and its output plain lines.
var kraftEnv = []string{"KRAFTKIT_NO_CHECK_UPDATES=true", "KRAFTKIT_LOG_TYPE=basic", "KRAFTKIT_NO_PROMPT=true"}

func (kraftBackend) Build(ctx context.Context, j *Job) error {
	if err := refuseApp(j.Kraftfile.Name, j.App); err != nil {
		return err
	}
	if err := stageApp(j); err != nil {
		return fmt.Errorf("copying the app folder for kraft: %w", err)
	}
	kraftDir := objectsDir(j.Dir, kraftBackend{}.Name())
	if err := placeArchives(j, kraftDir); err != nil {
		return err
	}
	t := j.Kraftfile.Targets[0]
	err := run(ctx, j, kraftEnv, "kraft", "build", "--no-prompt", "--plat", t.Plat, "--arch", t.Arch,
		"--no-update", "--jobs", strconv.Itoa(j.Jobs), j.Dir)
	if err != nil {
		return err
	}
	for _, suffix := range []string{"", ".dbg"} {
		name := filepath.Base(j.Image()) + suffix
		data, err := os.ReadFile(filepath.Join(kraftDir, name))
		if err != nil {
			return fmt.Errorf("kraft left no %s: %w", name, err)
		}
		if err := render.WriteFileAtomic(filepath.Join(j.Dir, name), data); err != nil {
			return err
		}
	}
	return nil
}

// stageApp makes the build folder kraft's app folder: the app folder's
// files (Makefile.uk, Config.uk, ...) as they are now, and the Kraftfile
// taken from the cache. It removes kraft's .config.<target>: kraft 0.9.2
// asks whether to configure again once that file exists, and fails
// without a terminal; without it kraft always configures from the
// Kraftfile, so a changed kconfig always reaches the image.
func stageApp(j *Job) error {
	// The app names its sources relative to its folder (../../apps/...):
	// the copy must lie as deep below the repository as the original.
	if filepath.Dir(filepath.Dir(j.Dir)) != filepath.Dir(filepath.Dir(j.AppDir)) {
		return fmt.Errorf("build folder %s is not beside the app folder %s", j.Dir, j.AppDir)
	}
	entries, err := os.ReadDir(j.AppDir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") || e.Name() == "Kraftfile" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(j.AppDir, e.Name()))
		if err != nil {
			return err
		}
		if err := render.WriteFileAtomic(filepath.Join(j.Dir, e.Name()), data); err != nil {
			return err
		}
	}
	configs, err := filepath.Glob(filepath.Join(j.Dir, ".config.*"))
	if err != nil {
		return err
	}
	for _, c := range configs {
		if err := os.Remove(c); err != nil {
			return err
		}
	}
	return writeCachedKraftfile(j, filepath.Join(j.Dir, "Kraftfile"))
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
