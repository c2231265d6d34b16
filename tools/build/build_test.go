package build

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ukkv/ukkv/tools/kraftfile"
	"github.com/ukkv/ukkv/tools/render"
	"github.com/ukkv/ukkv/tools/sources"
	"github.com/ukkv/ukkv/tools/variant"
)

// repoRoot is the repository, seen from this package's folder.
const repoRoot = "../.."

// newRoot makes a repository root in a temporary folder: the app sources
// of the real one and freshly rendered app folders, so tests can break
// them freely.
func newRoot(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	var dirs []string
	for _, v := range variant.OfKind(variant.Unikraft) {
		dirs = append(dirs, v.AppInputs...)
	}
	slices.Sort(dirs)
	for _, dir := range slices.Compact(dirs) {
		entries, err := os.ReadDir(filepath.Join(repoRoot, dir))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Type().IsRegular() && isSource(e.Name()) {
				data, err := os.ReadFile(filepath.Join(repoRoot, dir, e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				writeFile(t, filepath.Join(root, dir, e.Name()), string(data))
			}
		}
	}
	if err := render.Write(root, variant.OfKind(variant.Unikraft)); err != nil {
		t.Fatal(err)
	}
	return root
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func lookup(t *testing.T, names ...string) []*variant.Variant {
	t.Helper()
	vs := make([]*variant.Variant, len(names))
	for i, name := range names {
		v, err := variant.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		vs[i] = v
	}
	return vs
}

func TestDefconfigCollectsTargetCoreAndLibraries(t *testing.T) {
	kf := &kraftfile.Kraftfile{
		Name:      "app",
		Unikraft:  kraftfile.Component{KConfig: map[string]string{"CONFIG_LIBUKNETDEV": "y"}},
		Libraries: map[string]kraftfile.Component{"lwip": {KConfig: map[string]string{"CONFIG_LIBLWIP": "y"}}},
		Targets:   []kraftfile.Target{{Plat: "qemu", Arch: "x86_64"}},
	}
	got, err := Defconfig(kf)
	if err != nil {
		t.Fatal(err)
	}
	want := "CONFIG_ARCH_X86_64=y\nCONFIG_KVM_VMM_QEMU=y\nCONFIG_LIBLWIP=y\nCONFIG_LIBUKNETDEV=y\nCONFIG_PLAT_KVM=y\n"
	if got != want {
		t.Errorf("defconfig:\n%s\nwant:\n%s", got, want)
	}
	kf.Targets[0].Plat = "nosuch"
	if _, err := Defconfig(kf); err == nil || !strings.Contains(err.Error(), "nosuch") {
		t.Errorf("unknown platform: %v", err)
	}
}

// emptyCache is a source cache with nothing pinned: enough for a backend
// that never opens the sources.
func emptyCache(t *testing.T) *sources.Cache {
	return &sources.Cache{Dir: filepath.Join(t.TempDir(), "cache")}
}

func TestImagePathRefusesAnImageThatIsNotTheManifests(t *testing.T) {
	standInKraft(t)
	root := newRoot(t)
	b, _ := NewBackend("kraft")
	opts := Options{RepoRoot: root, Cache: emptyCache(t), Backend: b, Progress: &bytes.Buffer{}}
	if _, err := ImagePath(root, "raw-uknetdev"); err == nil || !strings.Contains(err.Error(), "ukkv build raw-uknetdev") {
		t.Errorf("unbuilt variant: %v", err)
	}
	if _, err := Run(context.Background(), opts, lookup(t, "raw-uknetdev")); err != nil {
		t.Fatal(err)
	}
	path, err := ImagePath(root, "raw-uknetdev")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, "tampered\n")
	if _, err := ImagePath(root, "raw-uknetdev"); err == nil {
		t.Error("ImagePath accepted an image that does not match its manifest")
	}
}

func TestBrokenKraftfileIsRefusedWithoutManifest(t *testing.T) {
	standInKraft(t)
	root := newRoot(t)
	b, _ := NewBackend("kraft")
	opts := Options{RepoRoot: root, Cache: emptyCache(t), Backend: b, Progress: &bytes.Buffer{}}
	writeFile(t, filepath.Join(render.AppDir(root, "batched"), "Kraftfile"), "spec: v0.6\nname: batched\ntargets: [qemu]\n")
	_, err := Run(context.Background(), opts, lookup(t, "batched"))
	if err == nil || !strings.Contains(err.Error(), "Kraftfile") {
		t.Fatalf("broken Kraftfile: %v", err)
	}
	if _, err := os.Stat(ManifestPath(root, "batched")); !os.IsNotExist(err) {
		t.Errorf("a refused build left a manifest")
	}
}

func TestMissingSourcesAreNamed(t *testing.T) {
	root := newRoot(t)
	b, _ := NewBackend("make")
	cache := &sources.Cache{Dir: filepath.Join(t.TempDir(), "empty"), Sources: sources.Pinned}
	_, err := Run(context.Background(), Options{RepoRoot: root, Cache: cache, Backend: b, Progress: &bytes.Buffer{}}, lookup(t, "raw-uknetdev"))
	if err == nil || !strings.Contains(err.Error(), "ukkv sources fetch") || !strings.Contains(err.Error(), "ukkv sources import") {
		t.Errorf("missing sources: %v", err)
	}
	if _, err := os.Stat(Dir(root, "raw-uknetdev")); !os.IsNotExist(err) {
		t.Errorf("a build without sources made its build folder")
	}
}

// A build takes the optional sources only when its variant names them.
func TestSourceNamesAddOptionalOnesWhereNamed(t *testing.T) {
	cache := &sources.Cache{Sources: sources.Pinned}
	for name, want := range map[string]string{
		"lwip-socket":  "unikraft lib-lwip lwip",
		"raw-uknetdev": "unikraft lib-lwip lwip",
		"go-elfloader": "unikraft lib-lwip lwip app-elfloader lib-libelf",
	} {
		v, err := variant.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(sourceNames(cache, v), " "); got != want {
			t.Errorf("%s needs %s, want %s", name, got, want)
		}
	}
}

// kraft is not trusted with an app that is a cached source: it would
// write into the cache. The refusal says which backend to use.
func TestKraftBackendRefusesAnElfloaderApp(t *testing.T) {
	standInKraft(t)
	b, _ := NewBackend("kraft")
	opts := Options{RepoRoot: newRoot(t), Cache: emptyCache(t), Backend: b, Progress: &bytes.Buffer{}}
	_, err := Run(context.Background(), opts, lookup(t, "elfloader-single"))
	if err == nil || !strings.Contains(err.Error(), "--backend make") || !strings.Contains(err.Error(), "app-elfloader") {
		t.Errorf("kraft build of an elfloader variant: %v", err)
	}
}

func TestRepoRootFindsTheModule(t *testing.T) {
	abs, _ := filepath.Abs(repoRoot)
	got, err := RepoRoot()
	if err != nil || got != abs {
		t.Errorf("RepoRoot from %s: %q, %v, want %s", repoRoot, got, err, abs)
	}
	t.Chdir(t.TempDir())
	if _, err := RepoRoot(); err == nil {
		t.Error("found a ukkv repository in an empty folder")
	}
}

// A changed Makefile.uk rebuilds in a fresh folder, since make would keep
// objects compiled with the old flags; a changed C file keeps the folder.
func TestChangedBuildGlueBuildsInAFreshFolder(t *testing.T) {
	root := newRoot(t)
	var progress bytes.Buffer
	opts := Options{RepoRoot: root, Cache: emptyCache(t), Backend: imageWriter{}, Progress: &progress}
	vs := lookup(t, "raw-uknetdev")
	object := filepath.Join(Dir(root, "raw-uknetdev"), "kv.o")
	rebuild := func(changed string) Result {
		t.Helper()
		path := filepath.Join(root, "apps/kvstore/unikraft", changed)
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, path, string(src)+"\n")
		writeFile(t, object, "compiled with the old flags\n")
		results, err := Run(context.Background(), opts, vs)
		if err != nil {
			t.Fatalf("%v\n%s", err, progress.String())
		}
		return results[0]
	}
	if _, err := Run(context.Background(), opts, vs); err != nil {
		t.Fatal(err)
	}
	if r := rebuild("raw.c"); !r.Built || r.Cold || !fileExists(object) {
		t.Errorf("after a C change: built %v, cold %v, objects kept %v; want a warm rebuild", r.Built, r.Cold, fileExists(object))
	}
	if r := rebuild("Makefile.uk"); !r.Built || !r.Cold || fileExists(object) {
		t.Errorf("after a Makefile.uk change: built %v, cold %v, objects kept %v; want a fresh folder", r.Built, r.Cold, fileExists(object))
	}
	if !strings.Contains(progress.String(), "raw-uknetdev: its Config.uk or Makefile.uk changed") {
		t.Errorf("progress does not say why the folder was dropped:\n%s", progress.String())
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
