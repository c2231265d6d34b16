package guest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestKernelArgsPassServerArgsToInit(t *testing.T) {
	got := KernelArgs("10.1.2.2/24", Run{Program: "kvstore-linux-batch", Args: []string{"--port", "11211", "--batch", "8"}})
	want := "console=ttyS0 panic=-1 quiet init_on_alloc=0 ukkv.ip=10.1.2.2/24 ukkv.run=kvstore-linux-batch -- --port 11211 --batch 8"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	got = KernelArgs("10.1.2.2/24", Run{Program: "memcached", Args: []string{"-U", "11211"}, ReadyUDP: 11211})
	want = "console=ttyS0 panic=-1 quiet init_on_alloc=0 ukkv.ip=10.1.2.2/24 ukkv.run=memcached ukkv.readyudp=11211 -- -U 11211"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// TestInitScriptParses runs busybox sh -n on the generated init.
func TestInitScriptParses(t *testing.T) {
	if _, err := os.Stat(busybox); err != nil {
		t.Skip("busybox missing: install the Debian package busybox-static (make deps)")
	}
	script := initScript(netModules)
	path := filepath.Join(t.TempDir(), "init")
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(busybox, "sh", "-n", path).CombinedOutput(); err != nil {
		t.Fatalf("init does not parse: %v: %s", err, out)
	}
	if !strings.Contains(script, "for m in "+strings.Join(netModules, " ")+"; do") {
		t.Error("modules not loaded in order")
	}
}

func TestSharedLibrariesOfStaticAndDynamic(t *testing.T) {
	if libs, err := sharedLibraries(busybox); err != nil || len(libs) != 0 {
		t.Errorf("static busybox: libs %v err %v", libs, err)
	}
	libs, err := sharedLibraries("/bin/ls")
	if err != nil {
		t.Fatal(err)
	}
	var libc, loader bool
	for _, l := range libs {
		libc = libc || strings.Contains(l, "libc.so")
		loader = loader || strings.Contains(l, "ld-linux")
	}
	if !libc || !loader {
		t.Errorf("ls libraries %v lack libc or the loader", libs)
	}
}
