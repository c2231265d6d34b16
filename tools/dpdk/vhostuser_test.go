package dpdk

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeBackend answers each GET_FEATURES on socket with reply.
func fakeBackend(t *testing.T, reply func(req []byte) []byte) string {
	t.Helper()
	socket := filepath.Join(t.TempDir(), "vhost.sock")
	l, err := net.Listen("unix", socket)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			req := make([]byte, 12)
			if _, err := io.ReadFull(c, req); err == nil {
				_, _ = c.Write(reply(req))
			}
			c.Close()
		}
	}()
	return socket
}

func TestAwaitVhostBackendAcceptsAFeaturesReply(t *testing.T) {
	socket := fakeBackend(t, func(req []byte) []byte {
		if binary.LittleEndian.Uint32(req) != vhostGetFeatures {
			return nil
		}
		r := make([]byte, 20)
		binary.LittleEndian.PutUint32(r[0:], vhostGetFeatures)
		binary.LittleEndian.PutUint32(r[4:], vhostVersion|vhostReply)
		binary.LittleEndian.PutUint32(r[8:], 8)
		return r
	})
	if err := AwaitVhostBackend(context.Background(), socket, 5*time.Second); err != nil {
		t.Fatal(err)
	}
}

func TestAwaitVhostBackendRefusesSilenceAndGarbage(t *testing.T) {
	garbage := fakeBackend(t, func([]byte) []byte { return make([]byte, 20) })
	for name, socket := range map[string]string{
		"garbage":   garbage,
		"no socket": filepath.Join(t.TempDir(), "none.sock"),
	} {
		err := AwaitVhostBackend(context.Background(), socket, 300*time.Millisecond)
		if err == nil || !strings.Contains(err.Error(), "does not answer") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
