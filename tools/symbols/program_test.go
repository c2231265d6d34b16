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

	tab, err := LoadProgram(prog)
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
	if f := tab.Lookup(0xffffffff81000000); f != nil {
		t.Errorf("a kernel address is charged to %+v, want no function", f)
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
	if _, err := LoadProgram(prog); err == nil {
		t.Error("a program without symbols or debug information was taken")
	}
}
