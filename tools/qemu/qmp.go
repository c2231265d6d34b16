package qemu

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
)

// QMP is a connection to a running QEMU's machine protocol socket
// (Machine.QMPSocket).
type QMP struct {
	conn net.Conn
	r    *bufio.Reader
}

// DialQMP connects to QEMU's QMP socket and leaves its greeting's
// capability negotiation behind.
func DialQMP(ctx context.Context, path string) (*QMP, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return nil, fmt.Errorf("QMP: %w", err)
	}
	q := &QMP{conn: conn, r: bufio.NewReader(conn)}
	if _, err := q.r.ReadBytes('\n'); err != nil { // the greeting
		conn.Close()
		return nil, fmt.Errorf("QMP greeting: %w", err)
	}
	if err := q.Execute("qmp_capabilities"); err != nil {
		conn.Close()
		return nil, err
	}
	return q, nil
}

// Execute runs a command without arguments ("stop", "cont") and waits
// for its answer; events that come first are skipped.
func (q *QMP) Execute(command string) error {
	req, _ := json.Marshal(map[string]string{"execute": command})
	if _, err := q.conn.Write(append(req, '\n')); err != nil {
		return fmt.Errorf("QMP %s: %w", command, err)
	}
	for {
		line, err := q.r.ReadBytes('\n')
		if err != nil {
			return fmt.Errorf("QMP %s: %w", command, err)
		}
		var ans struct {
			Return json.RawMessage `json:"return"`
			Error  *struct {
				Desc string `json:"desc"`
			} `json:"error"`
		}
		if err := json.Unmarshal(line, &ans); err != nil {
			return fmt.Errorf("QMP %s: %q: %w", command, line, err)
		}
		switch {
		case ans.Error != nil:
			return fmt.Errorf("QMP %s: %s", command, ans.Error.Desc)
		case ans.Return != nil:
			return nil
		}
	}
}

// Close ends the connection.
func (q *QMP) Close() error { return q.conn.Close() }
