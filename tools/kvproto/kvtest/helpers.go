package kvtest

import (
	"bytes"
	"errors"
	"strconv"
	"testing"

	"github.com/ukkv/ukkv/tools/kvproto"
)

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
