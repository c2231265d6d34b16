package memcaslap_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/ukkv/ukkv/tools/kvproto"
	"github.com/ukkv/ukkv/tools/kvserver"
	"github.com/ukkv/ukkv/tools/memcaslap"
)

func options(addr string) memcaslap.Options {
	return memcaslap.Options{Server: addr, Duration: 3 * time.Second, Threads: 1, Concurrency: 8, Window: 1024}
}

// capacity must hold every key memcaslap sets: each of its sets (a tenth
// of the requests) stores a new key, so 3 s at 300k requests/s need 90k.
// The table's memory is only touched as it fills.
const capacity = "262144"

// minOps is far below what any working server manages in 3 s, even on a
// loaded machine, and far above what memcaslap counts against silence.
const minOps = 1000

func lookMemcaslap(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("memcaslap")
	if err != nil {
		t.Skip("memcaslap is missing: run `apt-get install libmemcached-tools`")
	}
	return path
}

func TestMemcaslapAgainstFrontEnds(t *testing.T) {
	for _, name := range []string{"linux-single", "linux-batch"} {
		t.Run(name, func(t *testing.T) {
			path, err := filepath.Abs(filepath.Join("..", "..", "bin", "kvstore-"+name))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(path); err != nil {
				t.Skipf("%s is missing: run `make`", path)
			}
			runClean(t, kvserver.FrontEnd(name, path, "--capacity", capacity))
		})
	}
}

func TestMemcaslapAgainstMemcached(t *testing.T) {
	path, err := exec.LookPath("memcached")
	if err != nil {
		t.Skip("memcached is missing: run `apt-get install memcached`")
	}
	runClean(t, kvserver.Memcached(path))
}

func runClean(t *testing.T, spec kvserver.Spec) {
	tool := lookMemcaslap(t)
	s, err := kvserver.Start(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop() })
	sum, out, err := memcaslap.Run(context.Background(), tool, options(s.Addr))
	if err != nil {
		t.Fatalf("%v\n%s", err, tail(out))
	}
	if err := sum.Check(minOps); err != nil {
		t.Fatalf("%s under memcaslap: %v\n%s", spec.Name, err, tail(out))
	}
	t.Logf("%s: %d requests in %.1f s, %d get misses", spec.Name, sum.Ops, sum.Seconds, sum.GetMisses)
	checkServerCounts(t, s.Addr, sum)
}

func checkServerCounts(t *testing.T, addr string, sum memcaslap.Summary) {
	c, err := kvproto.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	stats, err := c.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if err := sum.CheckServer(stats, options(addr).Concurrency); err != nil {
		t.Fatal(err)
	}
}

// tail keeps failure messages short: error replies can fill megabytes.
func tail(out []byte) []byte {
	const keep = 2000
	if len(out) > keep {
		return out[len(out)-keep:]
	}
	return out
}
