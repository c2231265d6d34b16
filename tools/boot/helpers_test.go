package boot

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/ukkv/ukkv/tools/internal/testenv"
	"github.com/ukkv/ukkv/tools/variant"
)

// needHost skips unless the test can run guests here: root, QEMU,
// testpmd and ip (TAP devices).
func needHost(t *testing.T) {
	t.Helper()
	testenv.NeedGuestHost(t)
	testenv.NeedNetAdmin(t)
}

// imageOf returns a variant's image or skips naming what to build.
func imageOf(t *testing.T, name string) *Image {
	t.Helper()
	repo, cache := testenv.Repo(t), testenv.Cache(t)
	v, err := variant.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	if v.Kind == variant.Unikraft {
		testenv.NeedSources(t, v)
	}
	img, err := ImageFor(context.Background(), repo, cache, v)
	if err != nil {
		if variant.IsMissing(err) {
			t.Skipf("%s cannot boot yet: %v", name, err)
		}
		t.Fatal(err)
	}
	return img
}

// boot starts img with testpmd and stops it at the end of the test.
func bootImage(t *testing.T, ctx context.Context, img *Image) *Guest {
	t.Helper()
	// every row serves on its default port: no server arguments
	g, err := Start(ctx, Options{Image: img, Accel: testenv.Accel(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = g.Stop() })
	t.Logf("%s ready after %s at %s", img.Name, g.BootTime().Round(time.Millisecond), g.Addr())
	return g
}

// leftovers are what a run owns on the host, to check that teardown
// removed them.
type leftovers struct {
	pids    []int
	dir     string
	tap     string
	dpdkDir string
	prefix  string
}

func leftoversOf(g *Guest) leftovers {
	l := leftovers{dir: g.Net.Dir, tap: g.Net.Tap, dpdkDir: "/var/run/dpdk/" + g.Net.Prefix, prefix: g.Net.Prefix,
		pids: []int{g.qemu.Pid()}}
	if sw, ok := g.backend.(*Switch); ok {
		l.pids = append(l.pids, sw.sw.Pid())
	}
	return l
}

// assertGone fails for every process, folder or TAP device still there.
func (l leftovers) assertGone(t *testing.T) {
	t.Helper()
	for _, pid := range l.pids {
		if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("process %d still exists after teardown", pid)
		}
	}
	for _, path := range []string{l.dir, l.dpdkDir, "/sys/class/net/" + l.tap} {
		if _, err := os.Stat(path); err == nil {
			t.Errorf("%s still exists after teardown", path)
		}
	}
	if files, _ := filepath.Glob("/dev/hugepages/" + l.prefix + "map_*"); len(files) > 0 {
		t.Errorf("hugepage files left after teardown: %v", files)
	}
}
