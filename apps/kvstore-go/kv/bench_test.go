package kv

import (
	"fmt"
	"testing"
)

// benchHandle answers the same request over and over on a table of
// 100,000 preloaded keys; -benchmem shows that a request allocates
// nothing.
func benchHandle(b *testing.B, payload string) {
	s, err := New(Config{Capacity: 200_000})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Preload(100_000, 32); err != nil {
		b.Fatal(err)
	}
	in := append([]byte{0, 1, 0, 0, 0, 1, 0, 0}, payload...)
	out := make([]byte, DatagramMax)
	b.ReportAllocs()
	for b.Loop() {
		if s.Handle(in, out) == 0 {
			b.Fatal("no reply")
		}
	}
}

func BenchmarkHandleGetHit(b *testing.B) { benchHandle(b, "get key:4711\r\n") }

func BenchmarkHandleGetMiss(b *testing.B) { benchHandle(b, "get nokey\r\n") }

func BenchmarkHandleSet(b *testing.B) {
	benchHandle(b, fmt.Sprintf("set key:4711 0 0 32\r\n%032d\r\n", 0))
}

func TestHandleAllocatesNothing(t *testing.T) {
	s, err := New(Config{Capacity: 16})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]byte, DatagramMax)
	for _, p := range []string{"set k 0 0 3\r\nabc\r\n", "gets k nokey\r\n", "delete k\r\n", "stats\r\n", "bogus\r\n"} {
		in := append([]byte{0, 1, 0, 0, 0, 1, 0, 0}, p...)
		if n := testing.AllocsPerRun(100, func() { s.Handle(in, out) }); n != 0 {
			t.Errorf("%q: %v allocations per request", p, n)
		}
	}
}
