package kvproto

import (
	"errors"
	"net"
	"testing"
	"time"
)

// fakeServer answers each request with what reply returns for it, as a
// list of datagrams; it exists to test the client's own logic (id
// matching, reassembly, retries), not the protocol.
func fakeServer(t *testing.T, reply func(n int, h Header, payload []byte) [][]byte) string {
	t.Helper()
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	go func() {
		buf := make([]byte, 65536)
		for n := 0; ; n++ {
			size, from, err := conn.ReadFromUDP(buf)
			if err != nil {
				return
			}
			h, payload, err := DecodeHeader(buf[:size])
			if err != nil {
				continue
			}
			for _, dg := range reply(n, h, payload) {
				conn.WriteToUDP(dg, from)
			}
		}
	}()
	return conn.LocalAddr().String()
}

func dialFake(t *testing.T, addr string) *Client {
	t.Helper()
	c, err := Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestClientDiscardsStaleAndReassembles(t *testing.T) {
	addr := fakeServer(t, func(_ int, h Header, _ []byte) [][]byte {
		id := h.RequestID
		return [][]byte{
			datagram(id-1, 0, 1, "VALUE k 0 1\r\nX\r\nEND\r\n"), // stale
			// one message in two datagrams, out of order
			datagram(id, 1, 2, "lo\r\n"),
			datagram(id, 0, 2, "VALUE k 3 5\r\nhel"),
			// then, as memcached 1.6 does, the next value and END as
			// a message of their own
			datagram(id, 0, 1, "VALUE j 0 1\r\nJ\r\nEND\r\n"),
		}
	})
	c := dialFake(t, addr)
	got, err := c.Get("k", "j")
	if err != nil {
		t.Fatal(err)
	}
	if it := got["k"]; string(it.Value) != "hello" || it.Flags != 3 || string(got["j"].Value) != "J" || len(got) != 2 {
		t.Fatalf("got %+v, want k=hello flags 3 and j=J", got)
	}
}

func TestClientRetriesAfterLoss(t *testing.T) {
	addr := fakeServer(t, func(n int, h Header, _ []byte) [][]byte {
		if n == 0 {
			return nil // first request lost
		}
		return [][]byte{datagram(h.RequestID, 0, 1, "STORED\r\n")}
	})
	c := dialFake(t, addr)
	// Retries beyond the one needed keep a loaded machine from failing
	// the test; late replies to them are stale and must be ignored.
	c.Timeout = 200 * time.Millisecond
	c.Retries = 5
	if err := c.Set("k", []byte("v"), 0); err != nil {
		t.Fatalf("Set after one loss: %v", err)
	}
}

func TestClientTimesOut(t *testing.T) {
	addr := fakeServer(t, func(int, Header, []byte) [][]byte { return nil })
	c := dialFake(t, addr)
	c.Timeout = 50 * time.Millisecond
	c.Retries = 2
	start := time.Now()
	if _, err := c.Version(); !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("gave up after %v, before 3 attempts of 50ms", d)
	}
}

func TestClientTypedErrors(t *testing.T) {
	addr := fakeServer(t, func(_ int, h Header, p []byte) [][]byte {
		r := map[string]string{
			"add k 0 0 1\r\nv\r\n":     "NOT_STORED\r\n",
			"delete k\r\n":             "NOT_FOUND\r\n",
			"replace k 0 0 1\r\nv\r\n": "SERVER_ERROR out of memory\r\n",
		}[string(p)]
		return [][]byte{datagram(h.RequestID, 0, 1, r)}
	})
	c := dialFake(t, addr)
	if err := c.Add("k", []byte("v"), 0); !errors.Is(err, ErrNotStored) {
		t.Errorf("Add: %v, want ErrNotStored", err)
	}
	if err := c.Delete("k"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Delete: %v, want ErrNotFound", err)
	}
	var se *ServerError
	if err := c.Replace("k", []byte("v"), 0); !errors.As(err, &se) || se.Kind != "SERVER_ERROR" {
		t.Errorf("Replace: %v, want SERVER_ERROR", err)
	}
}
