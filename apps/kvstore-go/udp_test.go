package main

import (
	"bytes"
	"net"
	"net/netip"
	"testing"

	"github.com/ukkv/ukkv/apps/kvstore-go/kv"
)

// TestAnswerAllocatesNothing serves round trips on loopback and counts
// the allocations of both sides together: a request must cost none.
func TestAnswerAllocatesNothing(t *testing.T) {
	store, err := kv.New(kv.Config{Capacity: 16})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Preload(4, 32); err != nil {
		t.Fatal(err)
	}
	server, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- answer(server, store) }()
	client, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	to := server.LocalAddr().(*net.UDPAddr).AddrPort()
	req := append([]byte{0, 9, 0, 0, 0, 1, 0, 0}, "get key:1\r\n"...)
	buf := make([]byte, 2048)
	roundTrip := func() {
		if _, err := client.WriteToUDPAddrPort(req, to); err != nil {
			t.Fatal(err)
		}
		n, _, err := client.ReadFromUDPAddrPort(buf)
		if err != nil || !bytes.Contains(buf[:n], []byte("VALUE key:1 0 32\r\n")) {
			t.Fatalf("reply %q, %v", buf[:n], err)
		}
	}
	roundTrip()
	if n := testing.AllocsPerRun(200, roundTrip); n != 0 {
		t.Errorf("%v allocations per round trip", n)
	}
	server.Close()
	if err := <-done; err != nil {
		t.Fatalf("answer after close: %v", err)
	}
}
