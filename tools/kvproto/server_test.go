package kvproto_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ukkv/ukkv/tools/kvproto"
	"github.com/ukkv/ukkv/tools/kvproto/kvtest"
	"github.com/ukkv/ukkv/tools/kvserver"
)

// frontEnds are our Linux front ends and the Go server, built by `make`
// into bin/kvstore-NAME.
var frontEnds = []string{"linux-single", "linux-batch", "go"}

func frontEndSpec(t *testing.T, name string) kvserver.Spec {
	t.Helper()
	path, err := filepath.Abs(filepath.Join("..", "..", "bin", "kvstore-"+name))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s is missing: run `make`", path)
	}
	return kvserver.FrontEnd(name, path, "--capacity", "4096")
}

func memcachedSpec(t *testing.T) kvserver.Spec {
	t.Helper()
	path, err := exec.LookPath("memcached")
	if err != nil {
		t.Skip("memcached is missing: run `apt-get install memcached`")
	}
	return kvserver.Memcached(path)
}

// startServer starts spec and stops it when the test ends.
func startServer(t *testing.T, spec kvserver.Spec) *kvserver.Server {
	t.Helper()
	s, err := kvserver.Start(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop() })
	return s
}

func dial(t *testing.T, addr string) *kvproto.Client {
	t.Helper()
	c, err := kvproto.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestFrontEnds(t *testing.T) {
	for _, name := range frontEnds {
		t.Run(name, func(t *testing.T) {
			s := startServer(t, frontEndSpec(t, name))
			kvtest.Ours(t, s.Addr, dial(t, s.Addr))
			if err := s.Stop(); err != nil {
				t.Fatalf("stop with SIGTERM: %v", err)
			}
		})
	}
}

func TestMemcached(t *testing.T) {
	s := startServer(t, memcachedSpec(t))
	c := dial(t, s.Addr)
	kvtest.Common(t, c)
	t.Run("bad-datagrams", func(t *testing.T) { kvtest.BadDatagrams(t, s.Addr, c) })
	t.Run("multi-datagram-reply", func(t *testing.T) {
		// memcached splits this reply; our server refuses such values.
		v := bytes.Repeat([]byte("0123456789"), 500)
		if err := c.Set("big", v, 0); err != nil {
			t.Fatal(err)
		}
		got, err := c.Get("big")
		if err != nil || !bytes.Equal(got["big"].Value, v) {
			t.Fatalf("get of a %d-byte value: %d bytes, %v", len(v), len(got["big"].Value), err)
		}
	})
}
