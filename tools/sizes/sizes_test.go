package sizes

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/ukkv/ukkv/tools/build"
	"github.com/ukkv/ukkv/tools/internal/testenv"
	"github.com/ukkv/ukkv/tools/variant"
)

// Two libraries of known sizes, as Unikraft links them: each compiled,
// then partially linked into LIB.o, then all linked into the image.
var testLibraries = map[string]string{
	"libbig": `
char big_pool[64 * 1024];
int big_count = 7;
void _start(void) { for (;;) big_pool[big_count]++; }
`,
	"libtable": `
const unsigned long table[2048] = { 1, 2, 3 };
unsigned long table_lookup(unsigned i) { return table[i & 2047]; }
`,
}

// buildImage links testLibraries into an image the way Unikraft does and
// returns the image and the folder of the LIB.o objects.
func buildImage(t *testing.T) (image, dir string) {
	testenv.NeedCommands(t, map[string]string{"gcc": "gcc", "ld": "binutils"})
	dir = t.TempDir()
	var objs []string
	for lib, src := range testLibraries {
		c := filepath.Join(dir, lib+".c")
		if err := os.WriteFile(c, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		o := filepath.Join(dir, lib, "code.o")
		os.MkdirAll(filepath.Dir(o), 0o755)
		testenv.Run(t, "gcc", "-O2", "-fno-asynchronous-unwind-tables", "-ffreestanding", "-c", "-o", o, c)
		testenv.Run(t, "ld", "-r", "-o", filepath.Join(dir, lib+".o"), o)
		objs = append(objs, filepath.Join(dir, lib+".o"))
	}
	image = filepath.Join(dir, "image.dbg")
	testenv.Run(t, "gcc", append([]string{"-nostdlib", "-static", "-no-pie", "-o", image}, objs...)...)
	return image, dir
}

func TestUnikraftBreakdownOfKnownImage(t *testing.T) {
	image, dir := buildImage(t)
	b, err := Unikraft(image, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Check(0.01); err != nil {
		t.Error(err)
	}
	if b.Parts[0].Name != "libbig" {
		t.Errorf("largest part %q, want libbig: %+v", b.Parts[0].Name, b.Parts)
	}
	big, table := b.Part("libbig"), b.Part("libtable")
	if big == nil || table == nil {
		t.Fatalf("libraries not both named: %+v", b.Parts)
	}
	if big.Bytes[BSS] != 64*1024 || big.Bytes[Data] != 4 || big.Bytes[Text] == 0 {
		t.Errorf("libbig: %v, want 65536 bss, 4 data and some code", big.Bytes)
	}
	if table.Bytes[ROData] != 2048*8 || table.Bytes[Text] == 0 || table.Bytes[BSS]+table.Bytes[Data] != 0 {
		t.Errorf("libtable: %v, want 16384 rodata, some code, nothing writable", table.Bytes)
	}
}

func TestBreakdownWithoutObjectsSaysBuild(t *testing.T) {
	image, _ := buildImage(t)
	if _, err := Unikraft(image, t.TempDir()); err == nil {
		t.Error("a folder without library objects was accepted")
	}
}

// TestLinuxSplitsTheInitramfs: the gzipped initramfs's bytes go to
// modules, server and the rest in proportion, and add up exactly.
func TestLinuxSplitsTheInitramfs(t *testing.T) {
	dir := t.TempDir()
	kernel := filepath.Join(dir, "vmlinuz")
	os.WriteFile(kernel, make([]byte, 5000), 0o644)
	var cpio bytes.Buffer
	for _, f := range []struct {
		name string
		size int
	}{{"modules/virtio_net.ko", 3000}, {"bin/kvstore", 1000}, {"bin/busybox", 2000}, {"TRAILER!!!", 0}} {
		fmt.Fprintf(&cpio, "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x", 1, 0o100644, 0, 0, 1, 0, f.size, 0, 0, 0, 0, len(f.name)+1, 0)
		cpio.WriteString(f.name + "\x00")
		cpio.Write(make([]byte, int(pad4(int64(110+len(f.name)+1))-int64(110+len(f.name)+1))+int(pad4(int64(f.size)))))
	}
	initrd := filepath.Join(dir, "initrd.img")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(cpio.Bytes())
	zw.Close()
	os.WriteFile(initrd, gz.Bytes(), 0o644)
	b, err := Linux(kernel, initrd, "kvstore")
	if err != nil {
		t.Fatal(err)
	}
	if b.Sum() != b.Size || b.Size != 5000+int64(gz.Len()) {
		t.Errorf("sum %d, size %d, want both %d", b.Sum(), b.Size, 5000+gz.Len())
	}
	mods, server := b.Part(LinuxModules), b.Part(LinuxServer)
	if mods == nil || server == nil || mods.Whole < 3*server.Whole-3 || mods.Whole > 3*server.Whole+3 {
		t.Errorf("modules %+v, server %+v: want modules three times the server", mods, server)
	}
}

// TestBuiltImagesAddUp: every built Unikraft image of this repository,
// in every build profile, breaks down within 1%, its largest library
// named; an elfloader row's kernel with the program it loads too.
func TestBuiltImagesAddUp(t *testing.T) {
	repo := testenv.Repo(t)
	checked := 0
	for _, v := range variant.EveryProfile(variant.OfKind(variant.Unikraft)) {
		art, err := build.ArtifactsOf(repo, v.Name)
		if err != nil {
			continue
		}
		b, err := Unikraft(art.Debug, art.Objects)
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		if b.Parts[0].Name != "libkvmplat" || b.Part("appkvstore") == nil && !v.Elfloader() {
			t.Errorf("%s: largest part %q (want libkvmplat, with its boot stacks), app named: %v", v.Name, b.Parts[0].Name, b.Part("appkvstore") != nil)
		}
		if program, err := v.ProgramPath(repo); v.Elfloader() && err == nil {
			if err := b.WithProgram(program); err != nil {
				t.Fatalf("%s: %v", v.Name, err)
			}
			if b.Part("program: "+filepath.Base(program)) == nil {
				t.Errorf("%s: no part for its program %s", v.Name, program)
			}
		}
		if err := b.Check(0.01); err != nil {
			t.Error(err)
		}
		// every loaded byte is counted once, thread-local ones included
		if b.Sum() != b.Size {
			t.Errorf("%s: parts add up to %d bytes, the loaded image is %d", v.Name, b.Sum(), b.Size)
		}
		checked++
	}
	if checked == 0 {
		t.Skip("no Unikraft image is built: run `ukkv build all`")
	}
}
