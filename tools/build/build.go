// Package build turns the rendered app folders into Unikraft images, one
// build folder per variant, through a kraft or make backend, and records
// each image in a manifest beside it.
package build

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	log "github.com/sirupsen/logrus"

	"github.com/ukkv/ukkv/tools/kraftfile"
	"github.com/ukkv/ukkv/tools/render"
	"github.com/ukkv/ukkv/tools/sources"
	"github.com/ukkv/ukkv/tools/variant"
)

// Options of a build run.
type Options struct {
	RepoRoot string
	Cache    *sources.Cache
	Backend  Backend
	// Fallback builds the variants Backend refuses (kraft: the
	// app-elfloader ones), saying so; nil leaves them to fail.
	Fallback Backend
	// Parallel is how many variants build at once, and Jobs how many
	// compilers each runs; 0 means the core count.
	Parallel int
	Jobs     int
	// Progress gets a line when a build starts and ends, and the tail of
	// the log of a failed one.
	Progress io.Writer
}

// Result is the outcome of one variant's build.
type Result struct {
	Variant  string
	Manifest *Manifest // nil when the build failed
	Built    bool      // false when the image was already up to date
	Cold     bool      // built in a fresh folder: no earlier object was reused
	Err      error
}

// logTail is how many lines of a failed build's log are shown.
const logTail = 25

// Run builds the variants, several at once, and returns one result each,
// in the order given; the error names every failure.
func Run(ctx context.Context, opts Options, vs []*variant.Variant) ([]Result, error) {
	if err := opts.Cache.Verify(ctx); err != nil {
		return nil, err
	}
	cores := runtime.NumCPU()
	if opts.Parallel <= 0 {
		opts.Parallel = cores
	}
	if opts.Jobs <= 0 {
		opts.Jobs = cores
	}
	progress := &lockedWriter{w: opts.Progress}
	opts.Progress = progress
	results := make([]Result, len(vs))
	slots := make(chan struct{}, opts.Parallel)
	var wg sync.WaitGroup
	for i, v := range vs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			results[i] = buildOne(ctx, opts, v)
		}()
	}
	wg.Wait()
	var failed []string
	for _, r := range results {
		if r.Err != nil {
			failed = append(failed, r.Err.Error())
		}
	}
	if len(failed) > 0 {
		return results, errors.New(strings.Join(failed, "; "))
	}
	return results, nil
}

// buildOne builds one variant unless its manifest shows an image made
// from the same inputs.
func buildOne(ctx context.Context, opts Options, v *variant.Variant) Result {
	m, built, cold, err := buildIfStale(ctx, opts, v)
	return Result{Variant: v.Name, Manifest: m, Built: built, Cold: cold, Err: err}
}

// buildIfStale builds v unless its image is up to date, and says whether
// it built and whether the build folder was fresh.
func buildIfStale(ctx context.Context, opts Options, v *variant.Variant) (m *Manifest, built, cold bool, err error) {
	if v.Kind != variant.Unikraft {
		return nil, false, false, fmt.Errorf("variant %s is %s, not a Unikraft variant", v.Name, v.Kind)
	}
	cache, err := SourcesOf(ctx, opts.Cache, v)
	if err != nil {
		return nil, false, false, err
	}
	opts.Cache = cache
	opts.Backend = backendFor(opts, v)
	// A manifest that cannot be read vouches for no image: v is built.
	old, _ := ReadManifest(opts.RepoRoot, v.Name)
	// Taken before anything reads the inputs: the manifest records what
	// the build read, not what lies on disk once it is done.
	in, err := takeSnapshot(opts.RepoRoot, v, old.compiled())
	if err != nil {
		return nil, false, false, fmt.Errorf("variant %s: %w", v.Name, err)
	}
	kf, defconfig, err := loadKraftfile(in, v)
	if err != nil {
		return nil, false, false, err
	}
	fresh, err := upToDate(opts, v, defconfig, old, in)
	if err != nil {
		return nil, false, false, err
	}
	if fresh {
		return old, false, false, nil
	}
	glue := glueDigest(in, v)
	if err := dropIfGlueChanged(opts, v.Name, old, glue); err != nil {
		return nil, false, false, err
	}
	dir := Dir(opts.RepoRoot, v.Name)
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		cold = true
	}
	job := &Job{Kraftfile: kf, AppDir: render.AppDir(opts.RepoRoot, v.Name), Dir: dir, Cache: opts.Cache, Jobs: opts.Jobs}
	if v.App != "" {
		job.App, job.AppDir = v.App, cache.Path(v.App)
	}
	if m, err = runJob(ctx, opts, job, v.Name); err != nil {
		return nil, false, cold, err
	}
	m.Profile = v.ProfileName()
	m.GlueDigest = glue
	m.KConfigDigest = digestString(defconfig)
	if err := recordInputs(opts, v, defconfig, m, in); err != nil {
		return nil, false, cold, err
	}
	return m, true, cold, m.write(opts.RepoRoot)
}

// loadKraftfile parses v's rendered Kraftfile as the snapshot in holds
// it, so that the build uses the Kraftfile its manifest records, and
// returns it with the defconfig it gives.
func loadKraftfile(in *snapshot, v *variant.Variant) (*kraftfile.Kraftfile, string, error) {
	path := filepath.Join(render.Root, v.Name, "Kraftfile")
	data, ok := in.content[path]
	if !ok {
		return nil, "", fmt.Errorf("variant %s: no %s; run `ukkv render`", v.Name, path)
	}
	kf, err := kraftfile.Parse(data)
	if err != nil {
		return nil, "", fmt.Errorf("variant %s: %s: %w", v.Name, path, err)
	}
	if kf.Name != v.ImageName() {
		return nil, "", fmt.Errorf("variant %s: its Kraftfile names %q", v.Name, kf.Name)
	}
	if err := render.Check(in.root, v); err != nil {
		log.Warnf("building %s from its Kraftfile as it is: %v", v.Name, err)
	}
	defconfig, err := Defconfig(kf)
	return kf, defconfig, err
}

// upToDate tells whether old, the manifest of v's last build (nil if
// none), describes an image that is in place and made from the inputs in
// the snapshot in, and says so on the progress.
func upToDate(opts Options, v *variant.Variant, defconfig string, old *Manifest, in *snapshot) (bool, error) {
	if old == nil {
		return false, nil
	}
	inputs, err := inputsDigest(opts, v, defconfig, old.Inputs, in)
	if err != nil {
		return false, fmt.Errorf("variant %s: %w", v.Name, err)
	}
	if old.InputsDigest != inputs || old.check(filepath.Join(opts.RepoRoot, old.Image)) != nil {
		return false, nil
	}
	fmt.Fprintf(opts.Progress, "build %s: up to date\n", v.Name)
	return true, nil
}

// recordInputs puts in m the files its build compiled and the digest of
// its inputs as the snapshot in, taken before the build, holds them.
func recordInputs(opts Options, v *variant.Variant, defconfig string, m *Manifest, in *snapshot) error {
	var err error
	if m.Inputs, err = compiledInputs(opts.RepoRoot, objectsDir(Dir(opts.RepoRoot, v.Name), m.Backend)); err != nil {
		return fmt.Errorf("variant %s: reading what it compiled: %w", v.Name, err)
	}
	if m.InputsDigest, err = inputsDigest(opts, v, defconfig, m.Inputs, in); err != nil {
		return fmt.Errorf("variant %s: %w", v.Name, err)
	}
	warnEditedDuringBuild(opts.RepoRoot, v, m.Inputs, in)
	return nil
}

// warnEditedDuringBuild names the inputs of v that changed since the
// snapshot in was taken: the image may hold their earlier text, which the
// manifest records, so the next build builds it again.
func warnEditedDuringBuild(repoRoot string, v *variant.Variant, compiled []string, in *snapshot) {
	now, err := takeSnapshot(repoRoot, v, compiled)
	if err != nil {
		log.Warnf("build %s: cannot tell whether its sources changed while it was built: %v", v.Name, err)
		return
	}
	if changed := now.changedSince(in, v, compiled); len(changed) > 0 {
		log.Warnf("build %s: %s changed while it was built; the next `ukkv build %s` builds it again",
			v.Name, strings.Join(changed, ", "), v.Name)
	}
}

// SourcesOf is the part of the cache a build of v needs, or an error
// naming what is missing and how to get it.
func SourcesOf(ctx context.Context, c *sources.Cache, v *variant.Variant) (*sources.Cache, error) {
	sub, err := c.Only(sourceNames(c, v))
	if err == nil {
		err = sub.Verify(ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("variant %s: %w", v.Name, err)
	}
	return sub, nil
}

// sourceNames are the sources a build of v needs: every required one, and
// the optional ones it names as its app or as a library.
func sourceNames(c *sources.Cache, v *variant.Variant) []string {
	named := map[string]bool{v.App: true}
	for _, lib := range v.Libraries {
		named[render.LibrarySource(lib.Name)] = true
	}
	var names []string
	for _, s := range c.Sources {
		if !s.Optional || named[s.Name] {
			names = append(names, s.Name)
		}
	}
	return names
}

// refuser is a backend that cannot build every variant.
type refuser interface {
	// Refuses says why the backend cannot build v, or nil.
	Refuses(v *variant.Variant) error
}

// backendFor is the backend that builds v: the fallback, if there is
// one, where the chosen backend refuses v.
func backendFor(opts Options, v *variant.Variant) Backend {
	r, ok := opts.Backend.(refuser)
	if !ok || opts.Fallback == nil {
		return opts.Backend
	}
	if err := r.Refuses(v); err != nil {
		fmt.Fprintf(opts.Progress, "build %s: %v; building it with %s\n", v.Name, err, opts.Fallback.Name())
		return opts.Fallback
	}
	return opts.Backend
}

// runJob runs the backend with its output in build.log and describes the
// image it made. The old manifest goes first: while a build runs or after
// it failed, no manifest vouches for the folder's image.
func runJob(ctx context.Context, opts Options, job *Job, name string) (*Manifest, error) {
	if err := os.MkdirAll(job.Dir, 0o755); err != nil {
		return nil, err
	}
	if err := os.Remove(ManifestPath(opts.RepoRoot, name)); err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	logPath := filepath.Join(job.Dir, "build.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	job.Log = logFile
	rel := relTo(opts.RepoRoot, logPath)
	fmt.Fprintf(opts.Progress, "build %s: started (%s backend, log %s)\n", name, opts.Backend.Name(), rel)
	start := time.Now()
	err = opts.Backend.Build(ctx, job)
	if err == nil {
		if _, serr := os.Stat(job.Image()); serr != nil {
			err = fmt.Errorf("no image at %s", job.Image())
		}
	}
	if err != nil {
		fmt.Fprintf(opts.Progress, "build %s: FAILED after %.1f s; last lines of %s:\n%s",
			name, time.Since(start).Seconds(), rel, tail(logPath, logTail))
		return nil, fmt.Errorf("build of %s failed: %w (log: %s)", name, err, logPath)
	}
	secs := time.Since(start).Seconds()
	size, sum, err := fileDigest(job.Image())
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(opts.Progress, "build %s: done in %.1f s\n", name, secs)
	return &Manifest{
		Variant:        name,
		Image:          relTo(opts.RepoRoot, job.Image()),
		Bytes:          size,
		SHA256:         sum,
		Sources:        opts.Cache.Revisions(),
		BuildSeconds:   secs,
		Backend:        opts.Backend.Name(),
		BackendVersion: opts.Backend.Version(),
	}, nil
}

// inputsDigest covers everything an image is made of: the rendered app
// folder, the kconfig, the pinned source revisions, the backend with its
// version, and the app's own sources: the files its last build compiled
// (compiled) with the Config.uk and Makefile.uk files that chose them, or,
// before a build has said which, every source file in the app's folders.
// The files' content is the snapshot in's.
func inputsDigest(opts Options, v *variant.Variant, defconfig string, compiled []string, in *snapshot) (string, error) {
	d := newHash()
	d.value("backend", opts.Backend.Name())
	if version := opts.Backend.Version(); version != "" {
		d.value("backend version", version)
	}
	d.value("defconfig", defconfig)
	for _, s := range opts.Cache.Sources {
		d.value("source "+s.Name, s.Revision())
	}
	for _, f := range in.inputFiles(v, compiled) {
		data, err := in.file(f)
		switch {
		case os.IsNotExist(err):
			d.value("missing", f)
		case err != nil:
			return "", fmt.Errorf("reading the app's inputs: %w", err)
		default:
			d.content(f, data)
		}
	}
	return d.sum(), nil
}

// glueDigest covers the app's Config.uk and Makefile.uk files, in its
// rendered folder and its source folders, as the snapshot in holds them.
func glueDigest(in *snapshot, v *variant.Variant) string {
	d := newHash()
	for _, dir := range append([]string{filepath.Join(render.Root, v.Name)}, v.AppInputs...) {
		for _, f := range in.tree(dir, isBuildGlue) {
			d.content(f, in.content[f])
		}
	}
	return d.sum()
}

// dropIfGlueChanged removes the build folder of the image m describes
// (nil: none) when the app's Config.uk or Makefile.uk files changed since:
// its objects were compiled with flags those files no longer give.
func dropIfGlueChanged(opts Options, name string, m *Manifest, glue string) error {
	if m == nil || m.GlueDigest == glue {
		return nil
	}
	fmt.Fprintf(opts.Progress, "build %s: its Config.uk or Makefile.uk changed; building in a fresh folder, since make does not recompile for changed flags\n", name)
	if err := os.RemoveAll(Dir(opts.RepoRoot, name)); err != nil {
		return fmt.Errorf("variant %s: removing its stale build folder: %w", name, err)
	}
	return nil
}

func digestString(s string) string {
	d := newHash()
	io.WriteString(d, s)
	return d.sum()
}

// tail returns the last n lines of a file.
func tail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error() + "\n"
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return "  " + strings.Join(lines, "\n  ") + "\n"
}

// relTo names path relative to the repository when it lies inside it.
func relTo(root, path string) string {
	if rel, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return path
}

// lockedWriter lets parallel builds print whole lines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
