package build

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/ukkv/ukkv/tools/kraftfile"
	"github.com/ukkv/ukkv/tools/sources"
)

// Backend turns a Kraftfile into an image.
type Backend interface {
	Name() string
	// Build makes the image Job.Image(), writing all output to Job.Log.
	Build(ctx context.Context, j *Job) error
}

// Job is one variant's build, as a backend sees it.
type Job struct {
	Kraftfile *kraftfile.Kraftfile
	AppDir    string // the rendered app folder, or the App source's
	// App is the pinned source the app is taken from (app-elfloader),
	// "" for an app rendered from the registry.
	App   string
	Dir   string // the build folder
	Cache *sources.Cache
	Jobs  int // parallel compiler jobs
	Log   io.Writer
}

// Image is where the backend leaves the image: Unikraft names it
// <name>_<plat>-<arch> in the build folder.
func (j *Job) Image() string {
	t := j.Kraftfile.Targets[0]
	return filepath.Join(j.Dir, fmt.Sprintf("%s_%s-%s", j.Kraftfile.Name, t.Plat, t.Arch))
}

// Backends names the backends `ukkv build --backend` takes.
var Backends = []string{"kraft", "make"}

// NewBackend returns the named backend; "" picks kraft when it is on
// PATH, else make.
func NewBackend(name string) (Backend, error) {
	if name == "" {
		name = "make"
		if _, err := exec.LookPath("kraft"); err == nil {
			name = "kraft"
		}
	}
	switch name {
	case "kraft":
		return kraftBackend{}, nil
	case "make":
		return makeBackend{}, nil
	}
	return nil, fmt.Errorf("unknown backend %q (valid: %s)", name, strings.Join(Backends, ", "))
}

// run runs a build command with its output in the job's log and standard
// input closed (Unikraft's make would otherwise wait in menuconfig). It
// runs in its own process group so that a cancel stops the compilers too.
func run(ctx context.Context, j *Job, env []string, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = j.Log, j.Log
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	fmt.Fprintf(j.Log, "+ %s %s\n", name, strings.Join(args, " "))
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// placeArchives puts each prepared source archive a library of the job
// downloads during its build into buildDir/lib<library>/, where
// Unikraft's fetch step finds it and skips the download. A library named
// X takes the archive of the pinned source named X (lwip: the lwIP fork).
func placeArchives(j *Job, buildDir string) error {
	for _, lib := range j.Kraftfile.LibraryNames() {
		src, err := j.Cache.Lookup(lib)
		if err != nil || src.Archive == "" {
			continue
		}
		dir := filepath.Join(buildDir, "lib"+lib)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		dst := filepath.Join(dir, src.Archive)
		os.Remove(dst)
		if err := os.Link(j.Cache.ArchivePath(src), dst); err != nil {
			if err := copyFile(j.Cache.ArchivePath(src), dst); err != nil {
				return fmt.Errorf("placing the %s archive: %w", lib, err)
			}
		}
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(dst)
		return err
	}
	return out.Close()
}
