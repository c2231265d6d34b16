package build

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ukkv/ukkv/tools/kraftfile"
	"github.com/ukkv/ukkv/tools/render"
	"github.com/ukkv/ukkv/tools/variant"
)

func TestNewBackend(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if b, err := NewBackend(""); err != nil || b.Name() != "make" {
		t.Errorf("without kraft on PATH: %v %v, want make", b, err)
	}
	if _, err := NewBackend("kraft"); err == nil || !strings.Contains(err.Error(), "not on PATH") {
		t.Errorf("--backend kraft without kraft: %v", err)
	}
	standInKraft(t)
	if b, err := NewBackend(""); err != nil || b.Name() != "kraft" || b.Version() != "0.9.2 (stand-in)" {
		t.Errorf("with kraft on PATH: %v %v, want kraft 0.9.2", b, err)
	}
	if _, err := NewBackend("ninja"); err == nil || !strings.Contains(err.Error(), "kraft, make") {
		t.Errorf("unknown backend: %v", err)
	}
}

// A kraft that cannot read spec v0.6 is refused when asked for, and
// passed over for make when the backend is left to choose.
func TestNewBackendRefusesAnOldKraft(t *testing.T) {
	putKraft(t, "#!/bin/sh\necho 'kraft 0.6.7 (dc80d9c) go1.21.1 2023-09-01'\n")
	_, err := NewBackend("kraft")
	if err == nil || !strings.Contains(err.Error(), "0.6.7") || !strings.Contains(err.Error(), "0.7.0") {
		t.Errorf("kraft 0.6.7: %v, want a refusal naming 0.6.7 and 0.7.0", err)
	}
	if b, err := NewBackend(""); err != nil || b.Name() != "make" {
		t.Errorf("default backend with kraft 0.6.7: %v %v, want make", b, err)
	}
}

func TestParseKraftVersion(t *testing.T) {
	for _, c := range []struct {
		out, text string
		version   [3]int
		tooOld    bool
	}{
		{"kraft 0.9.2 (b7229cd8) go1.26.8 Tue Dec  1 15:07:52 UTC 2026\n", "0.9.2 (b7229cd8)", [3]int{0, 9, 2}, false},
		{"kraft v0.7.0 (da9b5df) go1.21.4 2023-11-20\n", "0.7.0 (da9b5df)", [3]int{0, 7, 0}, false},
		{"kraft 0.10.1-rc1 (0123abc) go1.23 today", "0.10.1-rc1 (0123abc)", [3]int{0, 10, 1}, false},
		{"kraft 1.0", "1.0", [3]int{1, 0, 0}, false},
		{"kraft 0.6.7 (dc80d9c) go1.21.1 2023-09-01", "0.6.7 (dc80d9c)", [3]int{0, 6, 7}, true},
		{"kraft 0.5.2", "0.5.2", [3]int{0, 5, 2}, true},
	} {
		v, text, err := parseKraftVersion(c.out)
		if err != nil || v != c.version || text != c.text {
			t.Errorf("%q: %v %q %v, want %v %q", c.out, v, text, err, c.version, c.text)
			continue
		}
		if err := checkKraftVersion(v, text); (err != nil) != c.tooOld {
			t.Errorf("%q: check %v, want too old: %v", c.out, err, c.tooOld)
		}
	}
	for _, out := range []string{"", "kraft No version provided (No commit provided) go1.26 now", "Usage: kraft"} {
		if _, _, err := parseKraftVersion(out); err == nil || !strings.Contains(err.Error(), "kraft version") {
			t.Errorf("%q: %v, want an error naming `kraft version`", out, err)
		}
	}
}

// putKraft puts a script named kraft first on PATH.
func putKraft(t *testing.T, script string) {
	t.Helper()
	bin := t.TempDir()
	writeFile(t, filepath.Join(bin, "kraft"), script)
	if err := os.Chmod(filepath.Join(bin, "kraft"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// standInKraft puts a `kraft` on PATH that records its arguments, leaves
// an image (its Kraftfile's text) and .dbg where kraft 0.9.2 would, and
// fails as kraft 0.9.2 does without a terminal when the folder it builds
// is already configured.
func standInKraft(t *testing.T) (argsFile string) {
	t.Helper()
	argsFile = filepath.Join(t.TempDir(), "args")
	putKraft(t, `#!/bin/sh
if [ "$1" = version ]; then echo 'kraft 0.9.2 (stand-in) go1.26.8 today'; exit 0; fi
printf '%s\n' "$@" >> "`+argsFile+`"
echo --- >> "`+argsFile+`"
for app; do :; done
name=$(sed -n 's/^name: //p' "$app/Kraftfile")
config="$app/.config.${name}_qemu-x86_64"
if [ -s "$config" ]; then
	echo 'could not complete build: running prompt: error creating cancelreader' >&2
	exit 1
fi
echo configured > "$config"
mkdir -p "$app/.unikraft/build"
cp "$app/Kraftfile" "$app/.unikraft/build/${name}_qemu-x86_64"
cp "$app/Kraftfile" "$app/.unikraft/build/${name}_qemu-x86_64.dbg"
`)
	return argsFile
}

func TestKraftBackendCommandLineAndNoOpRebuild(t *testing.T) {
	args := standInKraft(t)
	root := newRoot(t)
	cache := emptyCache(t)
	b, _ := NewBackend("kraft")
	var progress bytes.Buffer
	opts := Options{RepoRoot: root, Cache: cache, Backend: b, Jobs: 3, Progress: &progress}
	app, dir := render.AppDir(root, "lwip-socket"), Dir(root, "lwip-socket")
	appFiles := listFiles(t, app)
	results, err := Run(context.Background(), opts, lookup(t, "lwip-socket"))
	if err != nil {
		t.Fatalf("%v\n%s", err, progress.String())
	}
	want := strings.Join([]string{"build", "--no-prompt", "--plat", "qemu", "--arch", "x86_64",
		"--no-update", "--jobs", "3", dir, "---", ""}, "\n")
	got, _ := os.ReadFile(args)
	if string(got) != want {
		t.Errorf("kraft ran with\n%s\nwant\n%s", got, want)
	}
	// kraft builds a copy of the app folder whose Kraftfile's sources are
	// the cache's; the committed folder is left as it was.
	for _, name := range []string{"Makefile.uk", "Config.uk"} {
		orig, _ := os.ReadFile(filepath.Join(app, name))
		copied, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(orig, copied) {
			t.Errorf("%s in the build folder: %v, want the app folder's", name, err)
		}
	}
	kf, err := kraftfile.Load(filepath.Join(dir, "Kraftfile"))
	if err != nil {
		t.Fatal(err)
	}
	if kf.Unikraft.Source != cache.Path("unikraft") || kf.Libraries["lwip"].Source != cache.Path("lib-lwip") {
		t.Errorf("kraft's Kraftfile points at %q and %q, want the cache", kf.Unikraft.Source, kf.Libraries["lwip"].Source)
	}
	if kf.Libraries["lwip"].KConfig["CONFIG_LIBLWIP"] != "y" {
		t.Errorf("kraft's Kraftfile lost the kconfig: %+v", kf.Libraries["lwip"])
	}
	m := results[0].Manifest
	if m == nil || !results[0].Built || m.Backend != "kraft" || m.BackendVersion != "0.9.2 (stand-in)" ||
		m.Image != "build/lwip-socket/lwip-socket_qemu-x86_64" {
		t.Fatalf("result %+v manifest %+v", results[0], m)
	}
	path, err := ImagePath(root, "lwip-socket")
	if err != nil || path != filepath.Join(root, m.Image) {
		t.Errorf("ImagePath: %q, %v", path, err)
	}

	// Nothing changed: kraft is not run again.
	results, err = Run(context.Background(), opts, lookup(t, "lwip-socket"))
	if err != nil || results[0].Built {
		t.Errorf("second build: built %v, %v", results[0].Built, err)
	}
	if again, _ := os.ReadFile(args); string(again) != want {
		t.Errorf("second build ran kraft again")
	}
	// A changed app source is rebuilt, though kraft configured the folder
	// before: nothing waits for an answer.
	writeFile(t, filepath.Join(root, "apps/kvstore/unikraft/socket.c"), "/* changed */\n")
	results, err = Run(context.Background(), opts, lookup(t, "lwip-socket"))
	if err != nil || !results[0].Built {
		t.Errorf("build after a source change: built %v, %v\n%s", results[0].Built, err, progress.String())
	}
	// A changed kconfig reaches the Kraftfile kraft reads.
	kfPath := filepath.Join(app, "Kraftfile")
	text, _ := os.ReadFile(kfPath)
	writeFile(t, kfPath, strings.Replace(string(text), `CONFIG_LIBUKDEBUG_ENABLE_ASSERT: "n"`, `CONFIG_LIBUKDEBUG_ENABLE_ASSERT: "y"`, 1))
	if _, err := Run(context.Background(), opts, lookup(t, "lwip-socket")); err != nil {
		t.Fatal(err)
	}
	if image, _ := os.ReadFile(path); !strings.Contains(string(image), `CONFIG_LIBUKDEBUG_ENABLE_ASSERT: "y"`) {
		t.Errorf("the changed kconfig did not reach kraft:\n%s", image)
	}
	if after := listFiles(t, app); !slices.Equal(after, appFiles) {
		t.Errorf("kraft builds changed the app folder: %v, was %v", after, appFiles)
	}
}

// listFiles names everything in a folder, hidden files and folders too.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(path string, e os.DirEntry, err error) error {
		rel, _ := filepath.Rel(dir, path)
		names = append(names, rel)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// checkKraftMatchesMake builds every variant with the real kraft in the
// root where make built them (makeImages: sha256 by variant), and checks
// kraft's images are make's, byte for byte; then a no-op, a C change and
// a kconfig change, with the app folders left as they were.
func checkKraftMatchesMake(t *testing.T, root string, opts Options, vs []*variant.Variant, makeImages map[string]string) {
	if _, err := exec.LookPath("kraft"); err != nil {
		t.Skip("kraft is not on PATH: install kraftkit's kraft (README, \"Building with kraft\") to run the kraft backend tests")
	}
	b, err := NewBackend("kraft")
	if err != nil {
		t.Fatal(err)
	}
	opts.Backend = b
	var progress bytes.Buffer
	opts.Progress = &progress
	build := func(want ...string) map[string]*Manifest {
		t.Helper()
		results, err := Run(context.Background(), opts, vs)
		if err != nil {
			t.Fatalf("%v\n%s", err, progress.String())
		}
		var built []string
		ms := map[string]*Manifest{}
		for _, r := range results {
			if r.Built {
				built = append(built, r.Variant)
			}
			ms[r.Variant] = r.Manifest
		}
		if !slices.Equal(built, want) {
			t.Errorf("kraft built %v, want %v", built, want)
		}
		return ms
	}
	var apps [][]string
	for _, v := range vs {
		apps = append(apps, listFiles(t, render.AppDir(root, v.Name)))
	}
	var names []string
	for _, v := range vs {
		names = append(names, v.Name)
	}

	for name, m := range build(names...) {
		if m.SHA256 != makeImages[name] || m.Backend != "kraft" || m.BackendVersion != b.Version() {
			t.Errorf("%s: kraft's image %s (%s %s), make's %s", name, m.SHA256, m.Backend, m.BackendVersion, makeImages[name])
		}
	}
	build()

	raw := filepath.Join(root, "apps/kvstore/unikraft/raw.c")
	src, _ := os.ReadFile(raw)
	writeFile(t, raw, string(src)+"\nint ukkv_test_changed;\n")
	before := build("raw-uknetdev")["raw-uknetdev"]

	kfPath := filepath.Join(render.AppDir(root, "raw-uknetdev"), "Kraftfile")
	kf, _ := os.ReadFile(kfPath)
	writeFile(t, kfPath, strings.Replace(string(kf), `CONFIG_LIBUKDEBUG_ENABLE_ASSERT: "n"`, `CONFIG_LIBUKDEBUG_ENABLE_ASSERT: "y"`, 1))
	after := build("raw-uknetdev")["raw-uknetdev"]
	if after.SHA256 == before.SHA256 {
		t.Error("enabling assertions left raw-uknetdev's image as it was")
	}
	config, _ := os.ReadFile(filepath.Join(Dir(root, "raw-uknetdev"), ".config.raw-uknetdev_qemu-x86_64"))
	if !strings.Contains(string(config), "CONFIG_LIBUKDEBUG_ENABLE_ASSERT=y") {
		t.Error("kraft's .config lacks the changed kconfig")
	}
	for i, v := range vs {
		if after := listFiles(t, render.AppDir(root, v.Name)); !slices.Equal(after, apps[i]) {
			t.Errorf("kraft builds changed kraftfiles/%s: %v, was %v", v.Name, after, apps[i])
		}
	}
}

// imageWriter is a backend that writes a one-line image.
type imageWriter struct{}

func (imageWriter) Name() string    { return "writer" }
func (imageWriter) Version() string { return "" }
func (imageWriter) Build(_ context.Context, j *Job) error {
	return os.WriteFile(j.Image(), []byte("image\n"), 0o644)
}

// With a fallback, what kraft refuses is built by the fallback, and the
// progress says so.
func TestKraftRefusalGoesToTheFallback(t *testing.T) {
	standInKraft(t)
	b, _ := NewBackend("kraft")
	var progress bytes.Buffer
	root := newRoot(t)
	opts := Options{RepoRoot: root, Cache: emptyCache(t), Backend: b, Fallback: imageWriter{}, Progress: &progress}
	results, err := Run(context.Background(), opts, lookup(t, "elfloader-single", "raw-uknetdev"))
	if err != nil {
		t.Fatalf("%v\n%s", err, progress.String())
	}
	if m := results[0].Manifest; m.Backend != "writer" || !strings.Contains(progress.String(), "elfloader-single: the kraft backend cannot build") {
		t.Errorf("elfloader-single built by %s; progress:\n%s", m.Backend, progress.String())
	}
	if m := results[1].Manifest; m.Backend != "kraft" {
		t.Errorf("raw-uknetdev built by %s, want kraft", m.Backend)
	}
}
