package kv

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// corpus is the C core's fuzzing corpus, the seeds of FuzzHandle too.
const corpus = "../../kvstore/tests/corpus/kv"

const fuzzCapacity = 8

// FuzzHandle feeds one datagram to Handle on a small table (so that
// "full" is reached) rebuilt per input, as apps/kvstore/tests/fuzz_kv.c
// does for the C core: the reply must stay within its buffer, echo the
// request id and end a line, and the table never holds more than its
// capacity.
func FuzzHandle(f *testing.F) {
	files, err := os.ReadDir(corpus)
	if err != nil {
		f.Fatalf("seeds: %v", err)
	}
	for _, e := range files {
		data, err := os.ReadFile(filepath.Join(corpus, e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	out := make([]byte, DatagramMax)
	f.Fuzz(func(t *testing.T, in []byte) {
		s, err := New(Config{Capacity: fuzzCapacity, AmpLimit: 16})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Preload(fuzzCapacity/2, 100); err != nil {
			t.Fatal(err)
		}
		n := s.Handle(in, out)
		checkReply(t, in, out, n)
		// the same request again, into a buffer too small for most replies
		small := out[:len(in)%64]
		n = s.Handle(in, small)
		checkReply(t, in, small, n)
		if st := s.Stats(); st.CurrItems > fuzzCapacity || st.CurrItems+uint64(len(s.freeItems)) != fuzzCapacity {
			t.Fatalf("%d items and %d free in a table of %d", st.CurrItems, len(s.freeItems), fuzzCapacity)
		}
	})
}

func checkReply(t *testing.T, in, out []byte, n int) {
	t.Helper()
	if n == 0 {
		return
	}
	if n > len(out) || n > DatagramMax || n < FrameHeaderLen+2 {
		t.Fatalf("reply of %d bytes into %d", n, len(out))
	}
	if out[0] != in[0] || out[1] != in[1] || !bytes.Equal(out[2:8], []byte{0, 0, 0, 1, 0, 0}) {
		t.Fatalf("frame header % x for request % x", out[:8], in[:8])
	}
	if !bytes.HasSuffix(out[:n], []byte("\r\n")) {
		t.Fatalf("reply %q does not end a line", out[:n])
	}
}
