package main

import (
	"errors"
	"fmt"
	"net"

	"github.com/ukkv/ukkv/apps/kvstore-go/kv"
)

// rxMax holds the largest UDP datagram: nothing is ever truncated.
const rxMax = 65536

// answer receives one datagram at a time, answers it from store and
// sends the reply, until conn is closed. The buffers are reused and the
// address calls allocate nothing, so a request costs no garbage.
func answer(conn *net.UDPConn, store *kv.Store) error {
	rx := make([]byte, rxMax)
	tx := make([]byte, kv.DatagramMax)
	for {
		n, peer, err := conn.ReadFromUDPAddrPort(rx)
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("receive: %w", err)
		}
		if m := store.Handle(rx[:n], tx); m > 0 {
			// a failed send loses one reply, as a lost datagram would
			conn.WriteToUDPAddrPort(tx[:m], peer)
		}
	}
}
