package kvproto

import (
	"bytes"
	"errors"
	"reflect"
	"strconv"
	"testing"
)

// encodeValues writes items the way a server answers get/gets.
func encodeValues(items []Item, withCAS bool) []byte {
	var b []byte
	for _, it := range items {
		b = append(b, "VALUE "+it.Key+" "+strconv.FormatUint(uint64(it.Flags), 10)+" "+strconv.Itoa(len(it.Value))...)
		if withCAS {
			b = append(b, " "+strconv.FormatUint(it.CAS, 10)...)
		}
		b = append(b, "\r\n"...)
		b = append(b, it.Value...)
		b = append(b, "\r\n"...)
	}
	return append(b, "END\r\n"...)
}

// FuzzParseReply feeds arbitrary datagrams to the reassembler and every
// reply parser: none may panic, and whatever ParseValues accepts must
// survive a round trip through the server's encoding unchanged.
func FuzzParseReply(f *testing.F) {
	f.Add(datagram(1, 0, 1, "VALUE k 3 2\r\nhi\r\nEND\r\n"))
	f.Add(datagram(1, 0, 1, "VALUE k 3 2 77\r\nhi\r\nEND\r\n"))
	f.Add(datagram(1, 0, 1, "STAT pid 1\r\nEND\r\n"))
	f.Add(datagram(1, 0, 1, "CLIENT_ERROR bad data chunk\r\n"))
	f.Add(datagram(1, 1, 2, "VALUE k 0 1\r\n"))
	f.Add([]byte{0, 1})
	f.Fuzz(func(t *testing.T, dg []byte) {
		a := NewAssembler(1)
		done, err := a.Add(dg)
		if err != nil {
			if done || a.Done() {
				t.Fatalf("done after error %v", err)
			}
			return
		}
		if !done {
			return
		}
		p := a.Payload()
		if !bytes.Equal(p, dg[HeaderLen:]) {
			t.Fatalf("single-datagram payload %q, want %q", p, dg[HeaderLen:])
		}
		_ = ParseStorageReply(p)
		_ = ParseDeleteReply(p)
		_, _ = ParseVersionReply(p)
		_, _ = ParseStatsReply(p)
		for _, withCAS := range []bool{false, true} {
			items, err := ParseValues(p, withCAS)
			var se *ServerError
			if err != nil && !errors.Is(err, ErrMalformed) && !errors.As(err, &se) {
				t.Fatalf("ParseValues: unexpected error kind %v", err)
			}
			if err != nil {
				continue
			}
			if !ReplyComplete(p) {
				t.Fatalf("ParseValues accepts %q, ReplyComplete calls it incomplete", p)
			}
			again, err := ParseValues(encodeValues(items, withCAS), withCAS)
			if err != nil || !reflect.DeepEqual(again, items) {
				t.Fatalf("round trip of %+v: %+v %v", items, again, err)
			}
		}
	})
}
