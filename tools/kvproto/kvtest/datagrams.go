package kvtest

import (
	"bytes"
	"testing"

	"github.com/ukkv/ukkv/tools/kvproto"
)

// BadDatagrams sends datagrams no server should choke on, from
// another socket so that any answer cannot be mistaken for c's, then
// requires c to be served as before.
func BadDatagrams(t *testing.T, addr string, c *kvproto.Client) {
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
	other, err := kvproto.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	for name, dg := range bad {
		if err := other.SendRaw(dg); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		mustSet(t, c, "after-"+name, []byte(name), 0)
		checkGet(t, c, "after-"+name, []byte(name), 0)
	}
}
