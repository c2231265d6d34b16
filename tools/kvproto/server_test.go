package kvproto_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ukkv/ukkv/tools/kvproto"
	"github.com/ukkv/ukkv/tools/kvserver"
)

// itemOverhead is KV_ITEM_OVERHEAD of apps/kvstore/core/kv.h: a value may
// be DatagramMax - itemOverhead - len(key) bytes so its gets reply fits
// one datagram.
const itemOverhead = 60

// frontEnds are our Linux front ends, built by `make` into bin/.
var frontEnds = []string{"linux-single", "linux-batch"}

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
			c := dial(t, s.Addr)
			runClientSuite(t, c)
			t.Run("value-limit", func(t *testing.T) { checkValueLimit(t, c) })
			t.Run("amplification", func(t *testing.T) { checkAmplification(t, c) })
			t.Run("bad-datagrams", func(t *testing.T) { checkBadDatagrams(t, s.Addr, c) })
			if err := s.Stop(); err != nil {
				t.Fatalf("stop with SIGTERM: %v", err)
			}
		})
	}
}

func TestMemcached(t *testing.T) {
	s := startServer(t, memcachedSpec(t))
	c := dial(t, s.Addr)
	runClientSuite(t, c)
	t.Run("bad-datagrams", func(t *testing.T) { checkBadDatagrams(t, s.Addr, c) })
	t.Run("multi-datagram-reply", func(t *testing.T) {
		// memcached splits this reply; our server refuses such values.
		v := bytes.Repeat([]byte("0123456789"), 500)
		mustSet(t, c, "big", v, 0)
		checkGet(t, c, "big", v, 0)
	})
}

// runClientSuite is the behaviour every server must share with
// memcached, which is its reference.
func runClientSuite(t *testing.T, c *kvproto.Client) {
	t.Run("version", func(t *testing.T) {
		if v, err := c.Version(); err != nil || v == "" {
			t.Fatalf("version %q, %v", v, err)
		}
	})
	t.Run("miss", func(t *testing.T) { checkMiss(t, c, "never-set") })
	t.Run("set-get-overwrite", func(t *testing.T) {
		mustSet(t, c, "k1", []byte("one"), 7)
		checkGet(t, c, "k1", []byte("one"), 7)
		mustSet(t, c, "k1", []byte("uno\r\n"), 8)
		checkGet(t, c, "k1", []byte("uno\r\n"), 8)
		mustSet(t, c, "empty", []byte{}, 0)
		checkGet(t, c, "empty", []byte{}, 0)
	})
	t.Run("add", func(t *testing.T) {
		if err := c.Add("a1", []byte("first"), 0); err != nil {
			t.Fatalf("add of a new key: %v", err)
		}
		if err := c.Add("a1", []byte("second"), 0); !errors.Is(err, kvproto.ErrNotStored) {
			t.Fatalf("add of an existing key: %v, want NOT_STORED", err)
		}
		checkGet(t, c, "a1", []byte("first"), 0)
	})
	t.Run("replace", func(t *testing.T) {
		if err := c.Replace("r1", []byte("x"), 0); !errors.Is(err, kvproto.ErrNotStored) {
			t.Fatalf("replace of a missing key: %v, want NOT_STORED", err)
		}
		checkMiss(t, c, "r1")
		mustSet(t, c, "r1", []byte("old"), 0)
		if err := c.Replace("r1", []byte("new"), 3); err != nil {
			t.Fatalf("replace of an existing key: %v", err)
		}
		checkGet(t, c, "r1", []byte("new"), 3)
	})
	t.Run("delete", func(t *testing.T) {
		mustSet(t, c, "d1", []byte("x"), 0)
		if err := c.Delete("d1"); err != nil {
			t.Fatalf("delete: %v", err)
		}
		checkMiss(t, c, "d1")
		if err := c.Delete("d1"); !errors.Is(err, kvproto.ErrNotFound) {
			t.Fatalf("second delete: %v, want NOT_FOUND", err)
		}
	})
	t.Run("multi-get", func(t *testing.T) {
		mustSet(t, c, "m1", []byte("v1"), 1)
		mustSet(t, c, "m2", []byte("v2"), 2)
		got, err := c.Get("m1", "m-missing", "m2")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || string(got["m1"].Value) != "v1" || got["m2"].Flags != 2 {
			t.Fatalf("got %+v, want m1=v1 and m2=v2 (flags 2)", got)
		}
	})
	t.Run("gets-cas", func(t *testing.T) {
		mustSet(t, c, "c1", []byte("a"), 0)
		first := mustGets(t, c, "c1")
		mustSet(t, c, "c1", []byte("b"), 0)
		second := mustGets(t, c, "c1")
		if first.CAS == 0 || first.CAS == second.CAS || string(second.Value) != "b" {
			t.Fatalf("gets before and after overwrite: %+v %+v, want distinct non-zero CAS", first, second)
		}
	})
	t.Run("key-length", func(t *testing.T) {
		long := strings.Repeat("k", kvproto.KeyMax)
		mustSet(t, c, long, []byte("max"), 0)
		checkGet(t, c, long, []byte("max"), 0)
		tooLong := long + "k"
		if err := c.Set(tooLong, []byte("x"), 0); !isClientError(err) {
			t.Fatalf("set with a %d-byte key: %v, want CLIENT_ERROR", len(tooLong), err)
		}
		if _, err := c.Get(tooLong); !isClientError(err) {
			t.Fatalf("get with a %d-byte key: %v, want CLIENT_ERROR", len(tooLong), err)
		}
	})
	t.Run("errors", func(t *testing.T) {
		for _, cmd := range []string{"bogus\r\n", "get\r\n"} {
			reply, err := c.Raw([]byte(cmd))
			if err != nil || string(reply) != "ERROR\r\n" {
				t.Errorf("%q: reply %q %v, want ERROR", cmd, reply, err)
			}
		}
		if err := kvproto.ParseStorageReply(mustRaw(t, c, "set k 0 0 2\r\nabc\r\n")); !isClientError(err) {
			t.Errorf("short data block: %v, want CLIENT_ERROR", err)
		}
	})
	t.Run("stats", func(t *testing.T) {
		before := mustStat(t, c, "get_hits")
		mustSet(t, c, "s1", []byte("x"), 0)
		checkGet(t, c, "s1", []byte("x"), 0)
		if after := mustStat(t, c, "get_hits"); after != before+1 {
			t.Fatalf("get_hits went from %d to %d after one hit", before, after)
		}
	})
}

// checkValueLimit checks our documented bound: the largest value whose
// gets reply fits one datagram is stored, one byte more is refused.
func checkValueLimit(t *testing.T, c *kvproto.Client) {
	// long enough that the get is no amplification (see checkAmplification)
	key := "value-limit-0123456789"
	max := kvproto.DatagramMax - itemOverhead - len(key)
	v := bytes.Repeat([]byte{'v'}, max)
	mustSet(t, c, key, v, 0)
	checkGet(t, c, key, v, 0)
	err := c.Set(key, append(v, 'v'), 0)
	var se *kvproto.ServerError
	if !errors.As(err, &se) || se.Kind != "SERVER_ERROR" {
		t.Fatalf("set of %d bytes: %v, want SERVER_ERROR", max+1, err)
	}
	checkGet(t, c, key, v, 0)
}

// checkAmplification checks that a reply over 64 times its request
// (apps/kvstore/core/kv.h KV_AMP_LIMIT_DEFAULT) is refused and counted.
func checkAmplification(t *testing.T, c *kvproto.Client) {
	request := len(kvproto.Frame(0, []byte("get a\r\n")))
	mustSet(t, c, "a", bytes.Repeat([]byte{'x'}, 64*request), 0)
	before := mustStat(t, c, "amp_refused")
	_, err := c.Get("a")
	var se *kvproto.ServerError
	if !errors.As(err, &se) || se.Kind != "SERVER_ERROR" {
		t.Fatalf("get of a value 64 times the request: %v, want SERVER_ERROR", err)
	}
	if after := mustStat(t, c, "amp_refused"); after != before+1 {
		t.Fatalf("amp_refused went from %d to %d", before, after)
	}
}

// checkBadDatagrams sends datagrams no server should choke on, from
// another socket so that any answer cannot be mistaken for c's, then
// requires c to be served as before.
func checkBadDatagrams(t *testing.T, addr string, c *kvproto.Client) {
	bad := map[string][]byte{
		"empty":        {},
		"truncated":    {0, 1, 0, 0, 0, 1, 0},
		"header-only":  kvproto.Frame(2, nil),
		"garbage":      bytes.Repeat([]byte{0xff, 0x00, 0x13, 0x0a}, 100),
		"multi-part":   append(kvproto.AppendHeader(nil, kvproto.Header{RequestID: 3, Count: 2}), "get k1\r\n"...),
		"unterminated": kvproto.Frame(4, []byte("get k1")),
		"oversized":    kvproto.Frame(5, append([]byte("set big 0 0 9000\r\n"), bytes.Repeat([]byte{'x'}, 9002)...)),
		"max-udp":      bytes.Repeat([]byte{'g'}, 65507),
	}
	other := dial(t, addr)
	for name, dg := range bad {
		if err := other.SendRaw(dg); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		mustSet(t, c, "after-"+name, []byte(name), 0)
		checkGet(t, c, "after-"+name, []byte(name), 0)
	}
}

func isClientError(err error) bool {
	var se *kvproto.ServerError
	return errors.As(err, &se) && se.Kind == "CLIENT_ERROR"
}

func mustSet(t *testing.T, c *kvproto.Client, key string, v []byte, flags uint32) {
	t.Helper()
	if err := c.Set(key, v, flags); err != nil {
		t.Fatalf("set %.20q (%d bytes): %v", key, len(v), err)
	}
}

func mustRaw(t *testing.T, c *kvproto.Client, cmd string) []byte {
	t.Helper()
	reply, err := c.Raw([]byte(cmd))
	if err != nil {
		t.Fatalf("%q: %v", cmd, err)
	}
	return reply
}

func mustGets(t *testing.T, c *kvproto.Client, key string) kvproto.Item {
	t.Helper()
	got, err := c.Gets(key)
	if err != nil || len(got) != 1 {
		t.Fatalf("gets %q: %+v %v", key, got, err)
	}
	return got[key]
}

func mustStat(t *testing.T, c *kvproto.Client, name string) uint64 {
	t.Helper()
	stats, err := c.Stats()
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.ParseUint(stats[name], 10, 64)
	if err != nil {
		t.Fatalf("stat %s = %q: %v", name, stats[name], err)
	}
	return n
}

func checkGet(t *testing.T, c *kvproto.Client, key string, want []byte, flags uint32) {
	t.Helper()
	got, err := c.Get(key)
	if err != nil {
		t.Fatalf("get %.20q: %v", key, err)
	}
	it, ok := got[key]
	if !ok || len(got) != 1 || !bytes.Equal(it.Value, want) || it.Flags != flags {
		t.Fatalf("get %.20q: %+v, want %d bytes with flags %d", key, got, len(want), flags)
	}
}

func checkMiss(t *testing.T, c *kvproto.Client, key string) {
	t.Helper()
	if got, err := c.Get(key); err != nil || len(got) != 0 {
		t.Fatalf("get %q: %+v %v, want a miss", key, got, err)
	}
}
