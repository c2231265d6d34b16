package kvproto

import (
	"errors"
	"testing"
)

func datagram(id, seq, count uint16, payload string) []byte {
	return append(AppendHeader(nil, Header{RequestID: id, Seq: seq, Count: count}), payload...)
}

func TestAssemblerOutOfOrder(t *testing.T) {
	a := NewAssembler(9)
	steps := []struct {
		dg      []byte
		done    bool
		wantErr error
	}{
		{datagram(9, 2, 3, "c"), false, nil},
		{datagram(8, 0, 1, "stale"), false, ErrOtherRequest},
		{datagram(9, 0, 3, "a"), false, nil},
		{datagram(9, 0, 3, "dup"), false, nil},
		{datagram(9, 1, 4, "b"), false, ErrBadFrame},
		{[]byte{0, 9}, false, ErrShortDatagram},
		{datagram(9, 1, 3, "b"), true, nil},
	}
	for i, s := range steps {
		done, err := a.Add(s.dg)
		if done != s.done || !errors.Is(err, s.wantErr) {
			t.Fatalf("step %d: done=%v err=%v, want %v %v", i, done, err, s.done, s.wantErr)
		}
	}
	if got := string(a.Payload()); got != "abc" {
		t.Fatalf("payload %q, want \"abc\"", got)
	}
}

func TestAssemblerBadHeaders(t *testing.T) {
	for _, dg := range [][]byte{datagram(1, 0, 0, "x"), datagram(1, 3, 3, "x")} {
		a := NewAssembler(1)
		if done, err := a.Add(dg); done || !errors.Is(err, ErrBadFrame) {
			t.Errorf("% x: done=%v err=%v, want ErrBadFrame", dg, done, err)
		}
		if a.Done() {
			t.Errorf("% x: assembler done after a bad frame", dg)
		}
	}
}
