package guest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// buildC compiles a one-line C program with the given link flags, or skips.
func buildC(t *testing.T, flags ...string) string {
	t.Helper()
	if _, err := exec.LookPath("cc"); err != nil {
		t.Skip("cc missing: install the Debian package build-essential (make deps)")
	}
	dir := t.TempDir()
	src, out := filepath.Join(dir, "p.c"), filepath.Join(dir, "p")
	if err := os.WriteFile(src, []byte("int main(void) { return 0; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command("cc", append(flags, "-o", out, src)...).CombinedOutput(); err != nil {
		t.Skipf("cc %v cannot link here: %v: %s", flags, err, b)
	}
	return out
}

func TestCheckStaticPIE(t *testing.T) {
	if err := CheckStaticPIE(buildC(t, "-static-pie", "-fPIE")); err != nil {
		t.Errorf("static PIE refused: %v", err)
	}
	if err := CheckStaticPIE(buildC(t, "-static", "-no-pie")); err == nil || !strings.Contains(err.Error(), "not position-independent") {
		t.Errorf("static non-PIE: %v, want a refusal", err)
	}
	if err := CheckStaticPIE(buildC(t, "-pie", "-fPIE")); err == nil || !strings.Contains(err.Error(), "dynamic loader") {
		t.Errorf("dynamic PIE: %v, want a refusal", err)
	}
}

// The root filesystem is a plain (uncompressed) newc archive holding the
// program at the given path, executable: Debian's cpio reads it back.
func TestWriteRootfs(t *testing.T) {
	if _, err := exec.LookPath("cpio"); err != nil {
		t.Skip("cpio missing: install the Debian package cpio (make deps)")
	}
	prog := buildC(t, "-static-pie", "-fPIE")
	path := filepath.Join(t.TempDir(), "rootfs.cpio")
	if err := WriteRootfs(path, prog, "/server"); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command("cpio", "-t", "-v", "--quiet")
	cmd.Stdin = f
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("cpio -t: %v: %s", err, out)
	}
	if !strings.Contains(string(out), "-rwxr-xr-x") || !strings.HasSuffix(strings.TrimSpace(string(out)), " server") {
		t.Errorf("listing:\n%s\nwant an executable server", out)
	}
	if err := WriteRootfs(path, buildC(t, "-static", "-no-pie"), "/server"); err == nil {
		t.Error("a non-PIE program was put into a root filesystem")
	}
}
