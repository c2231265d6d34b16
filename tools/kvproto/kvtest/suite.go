// Package kvtest is the client suite of the KV protocol, for the tests of
// every server: memcached as the reference, our Linux front ends, and the
// unikernel and guest variants. One copy of the checks serves them all.
package kvtest

import (
	"errors"
	"strings"
	"testing"

	"github.com/ukkv/ukkv/tools/kvproto"
)

// Common runs, as subtests, the behaviour every server must share with
// memcached, which is its reference. It uses keys of its own on a fresh
// server: stats and misses assume no other client.
func Common(t *testing.T, c *kvproto.Client) {
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
