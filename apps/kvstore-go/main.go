// Command kvstore-go is the KV server written in Go: the C core's
// memcached UDP protocol and table (package kv) behind a plain UDP
// socket of Go's standard library, one receive and one send per request.
// It runs unmodified on Linux and, built as a static PIE, on Unikraft's
// ELF loader.
package main

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"syscall"

	log "github.com/sirupsen/logrus"

	"github.com/ukkv/ukkv/apps/kvstore-go/kv"
)

const prog = "kvstore-go"

func main() {
	o, err := parseFlags(prog, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, errHelp):
		os.Exit(0)
	case err != nil:
		os.Exit(2)
	}
	if err := serve(o, os.Stdout); err != nil {
		log.Errorf("%s: %v", prog, err)
		os.Exit(1)
	}
}

// serve builds the table, binds the socket, prints the ready line and
// answers until SIGINT or SIGTERM, then prints the stats line.
func serve(o options, stdout io.Writer) error {
	// a per-run seed: colliding keys cannot be crafted offline
	store, err := kv.New(kv.Config{Capacity: o.capacity, HashSeed: rand.Uint64(), Alloc: hugePages})
	if err != nil {
		return err
	}
	if err := store.Preload(o.preload, o.valueSize); err != nil {
		return fmt.Errorf("cannot preload %d keys of %d bytes into %d items", o.preload, o.valueSize, o.capacity)
	}
	if o.blocking {
		err = serveBlocking(o, store, stdout)
	} else {
		err = servePoller(o, store, stdout)
	}
	if err != nil {
		return err
	}
	printStats(stdout, store.Stats())
	return nil
}

// servePoller binds a socket of Go's standard library, prints the ready
// line and answers until the socket is closed.
func servePoller(o options, store *kv.Store, stdout io.Writer) error {
	// udp4: the guest stacks this runs on have no IPv6
	conn, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(o.addr, uint16(o.port))))
	if err != nil {
		return fmt.Errorf("cannot bind udp %s:%d: %w", o.addr, o.port, err)
	}
	stopOnSignal(conn)
	fmt.Fprintf(stdout, "ready udp %s:%d\n", o.addr, conn.LocalAddr().(*net.UDPAddr).Port)
	return answer(conn, store)
}

// serveBlocking is servePoller on a blocking socket (--io blocking).
func serveBlocking(o options, store *kv.Store, stdout io.Writer) error {
	conn, port, err := listenBlocking(o.addr, uint16(o.port))
	if err != nil {
		return fmt.Errorf("cannot bind udp %s:%d: %w", o.addr, o.port, err)
	}
	stopOnSignal(conn)
	fmt.Fprintf(stdout, "ready udp %s:%d\n", o.addr, port)
	return answerBlocking(conn, store)
}

// stopOnSignal closes conn on SIGINT or SIGTERM, which ends answering.
func stopOnSignal(conn io.Closer) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-sig
		conn.Close()
	}()
}

// printStats prints the stats line of the C front ends, field by field.
func printStats(w io.Writer, st kv.Stats) {
	fmt.Fprintf(w, "stats cmd_get=%d get_hits=%d get_misses=%d cmd_set=%d cmd_delete=%d errors=%d amp_refused=%d dropped=%d bytes_read=%d bytes_written=%d curr_items=%d\n",
		st.CmdGet, st.GetHits, st.GetMisses, st.CmdSet, st.CmdDelete, st.Errors, st.AmpRefused, st.Dropped, st.BytesRead, st.BytesWritten, st.CurrItems)
}
