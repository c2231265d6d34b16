package symbols

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ukkv/ukkv/tools/build"
	"github.com/ukkv/ukkv/tools/internal/testenv"
)

// buildImage compiles a tiny image the way Unikraft lays out a build:
// each library's objects under BUILD/LIB/, its linked BUILD/LIB.o, and
// the image from those. Both libraries define a static helper of the
// same name, as real libraries do.
func buildImage(t *testing.T) (dir, image string) {
	t.Helper()
	testenv.NeedCommands(t, map[string]string{"cc": "build-essential", "ld": "binutils"})
	dir = t.TempDir()
	srcs := map[string]string{
		"appkvstore/kv.c": `static int helper(int x) { return x * 3 + 1; }
int kv_handle(int x) { return helper(x) + helper(x + 1); }`,
		"libnolibc/string.c": `static int helper(int x) { return x + 7; }
void *memcpy(void *d, const void *s, unsigned long n) {
	char *a = d; const char *b = s; while (n--) *a++ = *b++ + helper(0); return d; }`,
		"libukboot/boot.S": `.text
.globl _start
_start: call kv_handle
bare_label: nop
	hlt`,
	}
	libs := map[string][]string{}
	for name, src := range srcs {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		obj := path[:len(path)-len(filepath.Ext(path))] + ".o"
		testenv.Run(t, "cc", "-O1", "-fno-inline", "-ffreestanding", "-c", "-o", obj, path)
		lib := filepath.Dir(name)
		libs[lib] = append(libs[lib], obj)
	}
	var linked []string
	for lib, objs := range libs {
		out := filepath.Join(dir, lib+".o")
		testenv.Run(t, "ld", append([]string{"-r", "-o", out}, objs...)...)
		linked = append(linked, out)
	}
	image = filepath.Join(dir, "image.dbg")
	testenv.Run(t, "ld", append([]string{"-static", "-e", "_start", "-o", image}, linked...)...)
	return dir, image
}

// address finds a symbol's address in the image by a name only it has.
func address(t *testing.T, tab *Table, name string) *Func {
	t.Helper()
	for i := range tab.funcs {
		if tab.funcs[i].Name == name {
			return &tab.funcs[i]
		}
	}
	t.Fatalf("no symbol %s in %v", name, tab.funcs)
	return nil
}

func TestAttributeNamesEachFunctionsLibraryAndObject(t *testing.T) {
	dir, image := buildImage(t)
	tab, err := Load(image)
	if err != nil {
		t.Fatal(err)
	}
	if err := tab.Attribute(dir); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, library, object string
		component             Component
	}{
		{"kv_handle", "appkvstore", "kv.o", KVCore},
		{"memcpy", "libnolibc", "string.o", LibcString},
		{"_start", "libukboot", "boot.o", Kernel},
	} {
		f := address(t, tab, c.name)
		// an address inside the function, not only its first byte
		got := tab.Lookup(f.Addr + f.Size/2)
		if got == nil || got.Name != c.name {
			t.Fatalf("Lookup(%#x) = %+v, want %s", f.Addr+f.Size/2, got, c.name)
		}
		if got.Library != c.library || got.Object != c.object {
			t.Errorf("%s: library %q object %q, want %q %q", c.name, got.Library, got.Object, c.library, c.object)
		}
		if comp := ComponentOf(got); comp != c.component {
			t.Errorf("%s: component %q, want %q", c.name, comp, c.component)
		}
	}
	// the two static helpers keep their own libraries
	libs := map[string]bool{}
	for _, f := range tab.funcs {
		if f.Name == "helper" {
			libs[f.Library] = true
		}
	}
	if !libs["appkvstore"] || !libs["libnolibc"] {
		t.Errorf("the static helpers were attributed to %v, want appkvstore and libnolibc", libs)
	}
}

func TestLookupTakesTheLabelBeforeUnsizedCode(t *testing.T) {
	_, image := buildImage(t)
	tab, err := Load(image)
	if err != nil {
		t.Fatal(err)
	}
	label := address(t, tab, "bare_label")
	if got := tab.Lookup(label.Addr + 1); got == nil || got.Name != "bare_label" {
		t.Errorf("Lookup just after bare_label = %+v", got)
	}
	if got := tab.Lookup(0); got != nil {
		t.Errorf("Lookup(0) = %+v, want nil below the first symbol", got)
	}
}

func TestAttributeWithoutObjectsSaysBuildFirst(t *testing.T) {
	tab := &Table{}
	if err := tab.Attribute(t.TempDir()); err == nil {
		t.Error("an empty build folder was taken")
	}
}

// TestLTOImageIsAttributedByPartialLinks: a size-profile image is built
// with link-time optimisation, whose per-object files hold no machine
// code; its functions are still put in their libraries.
func TestLTOImageIsAttributedByPartialLinks(t *testing.T) {
	repo := testenv.Repo(t)
	art, err := build.ArtifactsOf(repo, "raw-uknetdev@size")
	if err != nil {
		t.Skipf("raw-uknetdev@size is not built: %v (run `ukkv build raw-uknetdev --profile size`)", err)
	}
	tab, err := Load(art.Debug)
	if err != nil {
		t.Fatal(err)
	}
	if err := tab.Attribute(art.Objects); err != nil {
		t.Fatal(err)
	}
	libs := map[string]string{}
	for _, f := range tab.funcs {
		libs[f.Name] = f.Library
	}
	for fn, want := range map[string]string{"kvfe_serve": "appkvstore", "virtio_netdev_xmit": "libvirtio_net", "uk_sglist_append": "libuksglist"} {
		if libs[fn] != want {
			t.Errorf("%s in %q, want %s", fn, libs[fn], want)
		}
	}
}
