package cli

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/ukkv/ukkv/tools/variant"
)

// TestEveryRowIsAcceptedByEachCommand walks the registry and gives each
// row to run, boottime, compare and bench in a repository where nothing
// is built: a guest row must get past the name check of every command
// (and stop at what is missing: testpmd for run, its program or image
// for boottime and compare, --runs 0 for bench); a host row is taken by
// bench only.
func TestEveryRowIsAcceptedByEachCommand(t *testing.T) {
	bin := ukkvBinary(t)
	repo := fakeRepo(t)
	path := pathWith(t, "qemu-system-x86_64")
	for _, v := range variant.All() {
		for _, c := range []struct {
			args    []string
			guest   bool // the command takes guest rows only
			stopsAt []string
		}{
			{[]string{"run", v.Name}, true, []string{"dpdk-testpmd not found"}},
			{[]string{"boottime", v.Name}, true, []string{"run `make`", "run `ukkv build " + v.Name + "`", "install the Debian package"}},
			{[]string{"compare", v.Name}, true, []string{"run `make`", "run `ukkv build " + v.Name + "`", "install the Debian package"}},
			{[]string{"bench", v.Name, "--runs", "0"}, false, []string{"--runs 0: want at least 1"}},
		} {
			t.Run(strings.Join(c.args[:2], "/"), func(t *testing.T) {
				cmd := exec.Command(bin, c.args...)
				cmd.Dir = repo
				cmd.Env = []string{"PATH=" + path, "HOME=" + t.TempDir(), "UKKV_ACCEL=tcg"}
				out, err := cmd.CombinedOutput()
				if err == nil {
					t.Fatalf("succeeded in an empty repository:\n%s", out)
				}
				if c.guest && !v.InGuest() {
					if !strings.Contains(string(out), v.Name+" is a host row") {
						t.Errorf("host row not refused by name:\n%s", out)
					}
					return
				}
				for _, s := range c.stopsAt {
					if strings.Contains(string(out), s) {
						return
					}
				}
				t.Errorf("want a stop at one of %q, got:\n%s", c.stopsAt, out)
			})
		}
	}
}
