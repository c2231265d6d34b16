package main

import (
	"bytes"
	"io"
	"net"
	"net/netip"
	"testing"

	"github.com/ukkv/ukkv/apps/kvstore-go/kv"
)

// TestAnswerAllocatesNothing serves round trips on loopback and counts
// the allocations of both sides together: a request must cost none.
func TestAnswerAllocatesNothing(t *testing.T) {
	server, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
	if err != nil {
		t.Fatal(err)
	}
	to := server.LocalAddr().(*net.UDPAddr).AddrPort()
	checkRoundTrips(t, to, server, func(store *kv.Store) error { return answer(server, store) })
}

// TestAnswerBlockingAllocatesNothing is the same on the blocking socket
// of --io blocking, which Close must also stop while it waits.
func TestAnswerBlockingAllocatesNothing(t *testing.T) {
	server, port, err := listenBlocking(netip.MustParseAddr("127.0.0.1"), 0)
	if err != nil {
		t.Fatal(err)
	}
	to := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(port))
	checkRoundTrips(t, to, server, func(store *kv.Store) error { return answerBlocking(server, store) })
}

// checkRoundTrips runs serve in the background, sends it GETs at to and
// checks their replies and that they allocate nothing, then closes
// server and expects serve to end without an error.
func checkRoundTrips(t *testing.T, to netip.AddrPort, server io.Closer, serve func(*kv.Store) error) {
	t.Helper()
	store, err := kv.New(kv.Config{Capacity: 16})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Preload(4, 32); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- serve(store) }()
	client, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
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
