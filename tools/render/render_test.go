package render

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ukkv/ukkv/tools/kraftfile"
	"github.com/ukkv/ukkv/tools/sources"
	"github.com/ukkv/ukkv/tools/variant"
)

// repoRoot is the repository, seen from this package's folder.
const repoRoot = "../.."

// The committed app folders are the golden files: they must be exactly
// what the registry renders today.
func TestCommittedFilesMatchRegistry(t *testing.T) {
	for _, v := range variant.EveryProfile(variant.OfKind(variant.Unikraft)) {
		if err := Check(repoRoot, v); err != nil {
			t.Error(err)
		}
	}
}

func TestNoStrayAppFolders(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join(repoRoot, Root))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if v, err := variant.Lookup(e.Name()); err != nil || v.Kind != variant.Unikraft {
			t.Errorf("%s/%s is no Unikraft variant of the registry", Root, e.Name())
		}
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	vs := variant.OfKind(variant.Unikraft)
	if err := Write(a, vs); err != nil {
		t.Fatal(err)
	}
	if err := Write(b, vs); err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		files, _ := Files(v)
		for name := range files {
			x, _ := os.ReadFile(filepath.Join(AppDir(a, v.Name), name))
			y, _ := os.ReadFile(filepath.Join(AppDir(b, v.Name), name))
			if len(x) == 0 || !bytes.Equal(x, y) {
				t.Errorf("%s/%s differs between two renders", v.Name, name)
			}
		}
	}
}

// Each committed Kraftfile must read back as kraft expects it.
func TestKraftfilesParseBack(t *testing.T) {
	for _, v := range variant.OfKind(variant.Unikraft) {
		kf, err := kraftfile.Load(filepath.Join(AppDir(repoRoot, v.Name), "Kraftfile"))
		if err != nil {
			t.Fatal(err)
		}
		if kf.Spec != "v0.6" || kf.Name != v.Name {
			t.Errorf("%s: spec %q name %q", v.Name, kf.Spec, kf.Name)
		}
		if kf.Unikraft.Version != sources.Pinned[0].Ref {
			t.Errorf("%s: unikraft version %q, want %s", v.Name, kf.Unikraft.Version, sources.Pinned[0].Ref)
		}
		if !reflect.DeepEqual(kf.Targets, []kraftfile.Target{{Plat: "qemu", Arch: "x86_64"}}) {
			t.Errorf("%s: targets %v", v.Name, kf.Targets)
		}
		var wantLibs []string
		for _, lib := range v.Libraries {
			wantLibs = append(wantLibs, lib.Name)
			if got := kf.Libraries[lib.Name].KConfig; !reflect.DeepEqual(got, lib.KConfig) {
				t.Errorf("%s: library %s kconfig %v, want %v", v.Name, lib.Name, got, lib.KConfig)
			}
		}
		if got := kf.LibraryNames(); strings.Join(got, ",") != strings.Join(wantLibs, ",") {
			t.Errorf("%s: libraries %v, want %v", v.Name, got, wantLibs)
		}
		if !reflect.DeepEqual(kf.Unikraft.KConfig, v.KConfig) {
			t.Errorf("%s: unikraft kconfig %v, want %v", v.Name, kf.Unikraft.KConfig, v.KConfig)
		}
		for key := range kf.Unikraft.KConfig {
			if !strings.HasPrefix(key, "CONFIG_") {
				t.Errorf("%s: kconfig key %q", v.Name, key)
			}
		}
	}
}

// TestAppFolderLeadsToTheAppRelatively: the rendered Makefile.uk and
// Config.uk reach the app's own files by a path relative to the rendered
// folder, which exist, and name no path of this machine.
func TestAppFolderLeadsToTheAppRelatively(t *testing.T) {
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range variant.OfKind(variant.Unikraft) {
		if v.AppFolder == "" {
			continue // a pinned app brings its own files
		}
		files, err := Files(v)
		if err != nil {
			t.Fatal(err)
		}
		for name, want := range map[string]string{
			"Makefile.uk": "include $(APP_BASE)/../../" + v.AppFolder + "/Makefile.uk\n",
			"Config.uk":   "source \"$(UK_APP)/../../" + v.AppFolder + "/Config.uk\"\n",
		} {
			got := string(files[name])
			if !strings.HasSuffix(got, want) {
				t.Errorf("%s: %s does not end with %q:\n%s", v.Name, name, want, got)
			}
			if strings.Contains(got, repo) || strings.Contains(got, os.Getenv("HOME")+"/") {
				t.Errorf("%s: %s names a path of this machine:\n%s", v.Name, name, got)
			}
			if _, err := os.Stat(filepath.Join(repo, v.AppFolder, name)); err != nil {
				t.Errorf("%s: the app has no %s: %v", v.Name, name, err)
			}
		}
	}
}

func TestRawVariantHasNoLwIP(t *testing.T) {
	v, err := variant.Lookup("raw-uknetdev")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := Files(v)
	if bytes.Contains(bytes.ToLower(files["Kraftfile"]), []byte("lwip")) {
		t.Errorf("raw-uknetdev Kraftfile mentions lwIP:\n%s", files["Kraftfile"])
	}
}

// A variant that cannot be rendered stops the whole render before any
// file is written.
func TestWriteRefusesNonUnikraftVariantWritingNothing(t *testing.T) {
	dir := t.TempDir()
	err := Write(dir, []*variant.Variant{variant.OfKind(variant.Unikraft)[0], variant.OfKind(variant.LinuxGuest)[0]})
	if err == nil {
		t.Fatal("rendered a Linux guest variant")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed render left %v", entries)
	}
}

func TestWriteReplacesFilesWhole(t *testing.T) {
	dir := t.TempDir()
	v := variant.OfKind(variant.Unikraft)[0]
	app := AppDir(dir, v.Name)
	if err := os.MkdirAll(app, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(app, "Kraftfile"), []byte("stale, much longer than nothing at all\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(dir, []*variant.Variant{v}); err != nil {
		t.Fatal(err)
	}
	if err := Check(dir, v); err != nil {
		t.Error(err)
	}
	entries, _ := os.ReadDir(app)
	if len(entries) != 3 {
		t.Errorf("app folder holds %d entries, want the 3 rendered files (no temporaries)", len(entries))
	}
}

// An app taken from a pinned source brings its own Makefile.uk and
// Config.uk: only the Kraftfile, with libelf and lwIP, is rendered.
func TestElfloaderAppRendersOnlyItsKraftfile(t *testing.T) {
	v, err := variant.Lookup("go-elfloader")
	if err != nil {
		t.Fatal(err)
	}
	files, err := Files(v)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files["Kraftfile"] == nil {
		t.Errorf("rendered %d files, want the Kraftfile alone", len(files))
	}
	kf, err := Kraftfile(v)
	if err != nil {
		t.Fatal(err)
	}
	if got := kf.LibraryNames(); !reflect.DeepEqual(got, []string{"libelf", "lwip"}) {
		t.Errorf("libraries %v, want libelf then lwip", got)
	}
}
