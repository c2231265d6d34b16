package dpdk

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"time"
)

// vhost-user protocol: a message header is request, flags, payload size.
const (
	vhostGetFeatures = 1
	vhostVersion     = 0x1
	vhostReply       = 0x4
)

// AwaitVhostBackend returns once the backend at socket answers a
// vhost-user request. DPDK's vhost library adds its listening socket to
// the poll set of its event thread without waking it, so a connection
// waits until that thread's poll times out (up to a second): without
// this wait, QEMU would spend that second in its start-up and the boot
// times would count it.
func AwaitVhostBackend(ctx context.Context, socket string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	var d net.Dialer
	for {
		conn, err := d.DialContext(ctx, "unix", socket)
		if err == nil {
			err = getFeatures(conn, deadline)
			conn.Close()
			if err == nil {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("vhost-user backend at %s does not answer: %w", socket, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// getFeatures asks for the backend's feature bits and reads the reply.
func getFeatures(conn net.Conn, deadline time.Time) error {
	_ = conn.SetDeadline(deadline)
	le := binary.LittleEndian
	req := make([]byte, 12)
	le.PutUint32(req[0:], vhostGetFeatures)
	le.PutUint32(req[4:], vhostVersion)
	if _, err := conn.Write(req); err != nil {
		return err
	}
	reply := make([]byte, 12+8)
	if _, err := io.ReadFull(conn, reply); err != nil {
		return err
	}
	if le.Uint32(reply[0:]) != vhostGetFeatures || le.Uint32(reply[4:])&vhostReply == 0 || le.Uint32(reply[8:]) != 8 {
		return fmt.Errorf("unexpected vhost-user reply % x", reply)
	}
	return nil
}
