package symbols

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ukkv/ukkv/tools/internal/testenv"
)

// TestLoadProgramChargesOwnUnitsLibrariesAndKernel builds a static
// program as linux-dpdk is built: its own units with -g, a library
// without; a kernel address past its code is no function of it.
func TestLoadProgramChargesOwnUnitsLibrariesAndKernel(t *testing.T) {
	testenv.NeedCommands(t, map[string]string{"cc": "build-essential"})
	dir := t.TempDir()
	srcs := map[string]string{
		"kv.c":  `int kv_handle(int x) { return x * 3 + 1; }`,
		"pkt.c": `int pkt_parse(int x) { return x + 7; }`,
		"ring.c": `int rte_ring_dequeue(int x) { return x - 1; }
void *memset_erms(void *d, int c, unsigned long n) { char *p = d; while (n--) *p++ = c; return d; }`,
		"main.c": `int kv_handle(int); int pkt_parse(int); int rte_ring_dequeue(int);
int main(int argc, char **argv) { (void)argv; return kv_handle(argc) + pkt_parse(argc) + rte_ring_dequeue(argc); }`,
	}
	for name, src := range srcs {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// the library, as DPDK's packaged archives, carries no debug information
	testenv.Run(t, "cc", "-O1", "-c", "-o", filepath.Join(dir, "ring.o"), filepath.Join(dir, "ring.c"))
	prog := filepath.Join(dir, "prog")
	testenv.Run(t, "cc", "-O1", "-g", "-fno-inline", "-static", "-o", prog,
		filepath.Join(dir, "main.c"), filepath.Join(dir, "kv.c"), filepath.Join(dir, "pkt.c"), filepath.Join(dir, "ring.o"))

	tab, err := LoadProgram(prog, DPDKLibrary)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]Component{
		"kv_handle": KVCore, "pkt_parse": Packet, "main": FrontEnd,
		"rte_ring_dequeue": Driver, "memset_erms": LibcString,
	} {
		f := address(t, tab, name)
		if got := ComponentOf(tab.Lookup(f.Addr)); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if f := tab.Lookup(0xffffffff81000000); f != &GuestKernel || ComponentOf(f) != Kernel {
		t.Errorf("a kernel address is charged to %+v, want the guest kernel", f)
	}
}

// TestLoadProgramOfASocketServerChargesTheRestToLibc: a socket server
// links only the C library beside its own units; its system call
// wrappers are libc's (kernel and other), its string functions libc's
// string functions, and the upper half the guest kernel.
func TestLoadProgramOfASocketServerChargesTheRestToLibc(t *testing.T) {
	testenv.NeedCommands(t, map[string]string{"cc": "build-essential"})
	dir := t.TempDir()
	src := filepath.Join(dir, "main.c")
	code := `#include <string.h>
#include <unistd.h>
int main(int argc, char **argv) { return (int)write(1, argv[0], strlen(argv[0])) + argc; }`
	if err := os.WriteFile(src, []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	prog := filepath.Join(dir, "prog")
	testenv.Run(t, "cc", "-O1", "-g", "-static", "-o", prog, src)
	tab, err := LoadProgram(prog, LibcLibrary)
	if err != nil {
		t.Fatal(err)
	}
	// strlen is an ifunc: glibc's SSE2 memchr is linked in whatever the CPU
	for name, want := range map[string]Component{"main": FrontEnd, "write": Kernel, "__memchr_sse2": LibcString} {
		f := address(t, tab, name)
		if got := tab.Lookup(f.Addr); ComponentOf(got) != want || name != "main" && got.Library != LibcLibrary {
			t.Errorf("%s: %+v (%q), want %q", name, got, ComponentOf(got), want)
		}
	}
	if f := tab.Lookup(0xffffffff81000000); f != &GuestKernel {
		t.Errorf("a kernel address is charged to %+v, want the guest kernel", f)
	}
	if f := tab.Lookup(0x7fff00000000); f != nil {
		t.Errorf("a user address past the program (the vDSO) is charged to %+v, want no function", f)
	}
}

func TestLoadProgramWithoutDebugInformationSaysSo(t *testing.T) {
	testenv.NeedCommands(t, map[string]string{"cc": "build-essential"})
	dir := t.TempDir()
	src := filepath.Join(dir, "main.c")
	if err := os.WriteFile(src, []byte(`int main(void) { return 0; }`), 0o644); err != nil {
		t.Fatal(err)
	}
	prog := filepath.Join(dir, "prog")
	testenv.Run(t, "cc", "-O1", "-s", "-static", "-o", prog, src)
	if _, err := LoadProgram(prog, LibcLibrary); err == nil {
		t.Error("a program without symbols or debug information was taken")
	}
}
