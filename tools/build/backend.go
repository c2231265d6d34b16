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

	log "github.com/sirupsen/logrus"

	"github.com/ukkv/ukkv/tools/kraftfile"
	"github.com/ukkv/ukkv/tools/sources"
)

// Backend turns a Kraftfile into an image.
type Backend interface {
	Name() string
	// Version is the version of the backend's tool worth recording, or "".
	Version() string
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

// NewBackend returns the named backend; "" picks kraft when a kraft new
// enough is on PATH, else make. A kraft too old is refused.
func NewBackend(name string) (Backend, error) {
	switch name {
	case "":
		if _, err := exec.LookPath("kraft"); err != nil {
			return makeBackend{}, nil
		}
		b, err := NewBackend("kraft")
		if err != nil {
			log.Warnf("building with make: %v", err)
			return makeBackend{}, nil
		}
		return b, nil
	case "kraft":
		if _, err := exec.LookPath("kraft"); err != nil {
			return nil, fmt.Errorf("kraft is not on PATH: %s, or use --backend make", kraftInstall)
		}
		version, err := kraftVersion()
		if err != nil {
			return nil, err
		}
		return kraftBackend{version: version}, nil
	case "make":
		return makeBackend{}, nil
	}
	return nil, fmt.Errorf("unknown backend %q (valid: %s)", name, strings.Join(Backends, ", "))
}

// Make is Unikraft's own make, which builds every variant.
func Make() Backend { return makeBackend{} }

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
