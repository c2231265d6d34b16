package kvtest

import (
	"bytes"
	"errors"
	"testing"

	"github.com/ukkv/ukkv/tools/kvproto"
)

// itemOverhead is KV_ITEM_OVERHEAD of apps/kvstore/core/kv.h: a value may
// be DatagramMax - itemOverhead - len(key) bytes so its gets reply fits
// one datagram.
const itemOverhead = 60

// Ours runs Common and the checks of our own server's documented limits
// and robustness, as subtests; addr is the server c talks to.
func Ours(t *testing.T, addr string, c *kvproto.Client) {
	Common(t, c)
	t.Run("value-limit", func(t *testing.T) { ValueLimit(t, c) })
	t.Run("amplification", func(t *testing.T) { Amplification(t, c) })
	t.Run("bad-datagrams", func(t *testing.T) { BadDatagrams(t, addr, c) })
}

// ValueLimit checks our documented bound: the largest value whose
// gets reply fits one datagram is stored, one byte more is refused.
func ValueLimit(t *testing.T, c *kvproto.Client) {
	// long enough that the get is no amplification (see Amplification)
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

// Amplification checks that a reply over 64 times its request
// (apps/kvstore/core/kv.h KV_AMP_LIMIT_DEFAULT) is refused and counted.
func Amplification(t *testing.T, c *kvproto.Client) {
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
