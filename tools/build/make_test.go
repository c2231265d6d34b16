package build

import (
	"bytes"
	"context"
	"debug/elf"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ukkv/ukkv/tools/kraftfile"
	"github.com/ukkv/ukkv/tools/render"
	"github.com/ukkv/ukkv/tools/sources"
	"github.com/ukkv/ukkv/tools/variant"
)

// realCache is the user's source cache, or a skip naming how to fill it.
func realCache(t *testing.T) *sources.Cache {
	t.Helper()
	cache, err := sources.Open()
	if err != nil {
		t.Skip(err)
	}
	if err := cache.Verify(context.Background()); err != nil {
		t.Skipf("real Unikraft builds need the source cache: %v", err)
	}
	return cache
}

// Builds the real variants that link the server from the real sources,
// checks their images, then proves a no-op rebuild, kraft's images equal
// to make's (when kraft is on PATH) and a failing compile. The elfloader
// images are left to `make unikraft-images`, whose builds the boot tests
// then run.
func TestMakeBuildsEveryVariant(t *testing.T) {
	if testing.Short() {
		t.Skip("real Unikraft builds take a minute; run without -short")
	}
	cache := realCache(t)
	root := newRoot(t)
	b, _ := NewBackend("make")
	var progress bytes.Buffer
	opts := Options{RepoRoot: root, Cache: cache, Backend: b, Progress: &progress}
	var vs []*variant.Variant
	for _, v := range variant.OfKind(variant.Unikraft) {
		if !v.Elfloader() {
			vs = append(vs, v)
		}
	}
	results, err := Run(context.Background(), opts, vs)
	if err != nil {
		t.Fatalf("%v\n%s", err, progress.String())
	}
	for _, r := range results {
		checkImage(t, root, cache, r)
	}

	start := time.Now()
	results, err = Run(context.Background(), opts, vs)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Built {
			t.Errorf("no-op rebuild built %s", r.Variant)
		}
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("no-op rebuild took %v, want under 3 s", took)
	}

	makeImages := map[string]string{}
	for _, r := range results {
		makeImages[r.Variant] = r.Manifest.SHA256
	}
	t.Run("kraft builds the same images", func(t *testing.T) { checkKraftMatchesMake(t, root, opts, vs, makeImages) })
	t.Run("size profile", func(t *testing.T) { checkSizeProfile(t, root, cache, opts, results) })
	t.Run("failing compile", func(t *testing.T) { checkFailingCompile(t, root, opts) })
}

// checkSizeProfile builds each variant of perf in the size profile,
// from its own Kraftfile beside the perf one: a sound image, smaller.
func checkSizeProfile(t *testing.T, root string, cache *sources.Cache, opts Options, perf []Result) {
	size, err := variant.LookupProfile("size")
	if err != nil {
		t.Fatal(err)
	}
	var vs []*variant.Variant
	for _, r := range perf {
		v, _ := variant.Lookup(r.Variant)
		vs = append(vs, v.InProfile(size))
	}
	if err := render.Write(root, vs); err != nil {
		t.Fatal(err)
	}
	results, err := Run(context.Background(), opts, vs)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range results {
		checkImage(t, root, cache, r)
		if r.Variant != perf[i].Variant+"@size" || r.Manifest.Bytes >= perf[i].Manifest.Bytes {
			t.Errorf("%s: %d bytes, not smaller than %s's %d", r.Variant, r.Manifest.Bytes, perf[i].Variant, perf[i].Manifest.Bytes)
		}
	}
}

func checkImage(t *testing.T, root string, cache *sources.Cache, r Result) {
	t.Helper()
	m := r.Manifest
	image := filepath.Join(root, m.Image)
	if !r.Built || m.Backend != "make" || m.Variant != r.Variant {
		t.Errorf("%s: result %+v", r.Variant, r)
	}
	size, sum, err := fileDigest(image)
	if err != nil || size != m.Bytes || sum != m.SHA256 {
		t.Errorf("%s: image %d bytes sha256 %s (%v), manifest says %d %s", r.Variant, size, sum, err, m.Bytes, m.SHA256)
	}
	v, _ := variant.Lookup(r.Variant)
	if used, err := SourcesOf(context.Background(), cache, v); err != nil || !reflect.DeepEqual(m.Sources, used.Revisions()) {
		t.Errorf("%s: manifest sources %v", r.Variant, m.Sources)
	}
	kf, err := kraftfile.Load(filepath.Join(render.AppDir(root, r.Variant), "Kraftfile"))
	if err != nil {
		t.Fatal(err)
	}
	defconfig, _ := Defconfig(kf)
	if m.KConfigDigest != digestString(defconfig) {
		t.Errorf("%s: kconfig digest %s is not the defconfig's", r.Variant, m.KConfigDigest)
	}
	onDisk, err := ReadManifest(root, r.Variant)
	if err != nil || !reflect.DeepEqual(onDisk, m) {
		t.Errorf("%s: manifest on disk %+v (%v), want %+v", r.Variant, onDisk, err, m)
	}

	// The image QEMU boots is the x86_64 kernel with the 32-bit ELF header
	// Unikraft gives it for multiboot; the .dbg beside it is the kernel as
	// linked, symbols and all.
	img, err := elf.Open(image)
	if err != nil {
		t.Fatalf("%s: image is no ELF: %v", r.Variant, err)
	}
	img.Close()
	dbg, err := elf.Open(image + ".dbg")
	if err != nil {
		t.Fatalf("%s: %v", r.Variant, err)
	}
	defer dbg.Close()
	if dbg.Class != elf.ELFCLASS64 || dbg.Machine != elf.EM_X86_64 {
		t.Errorf("%s: kernel is %v %v, want ELFCLASS64 x86-64", r.Variant, dbg.Class, dbg.Machine)
	}
	syms, err := dbg.Symbols()
	if err != nil {
		t.Fatal(err)
	}
	var lwip []string
	for _, s := range syms {
		if strings.Contains(strings.ToLower(s.Name), "lwip") {
			lwip = append(lwip, s.Name)
		}
	}
	wantLwip := len(kf.Libraries) > 0
	if wantLwip != (len(lwip) > 0) {
		t.Errorf("%s: %d lwIP symbols (%.5v...), want lwIP: %v", r.Variant, len(lwip), lwip, wantLwip)
	}
}

func checkFailingCompile(t *testing.T, root string, opts Options) {
	src := filepath.Join(root, "apps/kvstore/unikraft/socket.c")
	data, _ := os.ReadFile(src)
	writeFile(t, src, string(data)+"\nthis is not C;\n")
	var progress bytes.Buffer
	opts.Progress = &progress
	_, err := Run(context.Background(), opts, lookup(t, "lwip-socket"))
	if err == nil {
		t.Fatal("a syntax error built")
	}
	logPath := filepath.Join(Dir(root, "lwip-socket"), "build.log")
	if !strings.Contains(err.Error(), logPath) || !strings.Contains(progress.String(), "error:") {
		t.Errorf("failure names no log or shows no compiler error: %v\n%s", err, progress.String())
	}
	if _, err := os.Stat(ManifestPath(root, "lwip-socket")); !os.IsNotExist(err) {
		t.Error("a failed build left its manifest")
	}
	entries, _ := os.ReadDir(Dir(root, "lwip-socket"))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("a failed build left %s", e.Name())
		}
	}
	if _, err := ImagePath(root, "lwip-socket"); err == nil {
		t.Error("ImagePath vouches for the image of a failed build")
	}
}
