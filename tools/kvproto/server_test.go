package kvproto_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/ukkv/ukkv/tools/kvproto"
	"github.com/ukkv/ukkv/tools/kvproto/kvtest"
	"github.com/ukkv/ukkv/tools/kvserver"
)

// frontEnds are our Linux front ends and the Go server, built by `make`
// into bin/kvstore-NAME.
var frontEnds = []string{"linux-single", "linux-batch", "go"}

func frontEndSpec(t *testing.T, name string) kvserver.Spec {
	t.Helper()
	path, err := filepath.Abs(filepath.Join("..", "..", "bin", "kvstore-"+name))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s is missing: run `make`", path)
	}
	return kvserver.FrontEnd(name, path, "--capacity", "4096")
}

func memcachedSpec(t *testing.T) kvserver.Spec {
	t.Helper()
	path, err := exec.LookPath("memcached")
	if err != nil {
		t.Skip("memcached is missing: run `apt-get install memcached`")
	}
	return kvserver.Memcached(path)
}

// startServer starts spec and stops it when the test ends.
func startServer(t *testing.T, spec kvserver.Spec) *kvserver.Server {
	t.Helper()
	s, err := kvserver.Start(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop() })
	return s
}

func dial(t *testing.T, addr string) *kvproto.Client {
	t.Helper()
	c, err := kvproto.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestFrontEnds(t *testing.T) {
	for _, name := range frontEnds {
		t.Run(name, func(t *testing.T) {
			s := startServer(t, frontEndSpec(t, name))
			kvtest.Ours(t, s.Addr, dial(t, s.Addr))
			if err := s.Stop(); err != nil {
				t.Fatalf("stop with SIGTERM: %v", err)
			}
		})
	}
}

func TestMemcached(t *testing.T) {
	s := startServer(t, memcachedSpec(t))
	c := dial(t, s.Addr)
	kvtest.Common(t, c)
	t.Run("bad-datagrams", func(t *testing.T) { kvtest.BadDatagrams(t, s.Addr, c) })
	t.Run("multi-datagram-reply", func(t *testing.T) {
		// memcached splits this reply; our server refuses such values.
		v := bytes.Repeat([]byte("0123456789"), 500)
		if err := c.Set("big", v, 0); err != nil {
			t.Fatal(err)
		}
		got, err := c.Get("big")
		if err != nil || !bytes.Equal(got["big"].Value, v) {
			t.Fatalf("get of a %d-byte value: %d bytes, %v", len(v), len(got["big"].Value), err)
		}
	})
}

// TestBatchAnswersABurstFromOnePeer sends linux-batch a burst of gets
// from one socket, of two reply lengths in turns of three, without
// waiting: its batches then hold runs of equal replies to one peer,
// which leave as one GSO send each, and every request must still get
// its own reply, whole and alone in its datagram.
func TestBatchAnswersABurstFromOnePeer(t *testing.T) {
	s := startServer(t, frontEndSpec(t, "linux-batch"))
	conn, err := net.Dial("udp", s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	values := map[string]string{"a": "xyz", "bb": "0123456789"}
	for k, v := range values {
		if _, err := conn.Write(kvproto.Frame(0, []byte(fmt.Sprintf("set %s 0 0 %d\r\n%s\r\n", k, len(v), v)))); err != nil {
			t.Fatal(err)
		}
		if err := readReply(conn, 0, "STORED\r\n"); err != nil {
			t.Fatal(err)
		}
	}
	const burst = 120
	key := func(id int) string { return []string{"a", "bb"}[id/3%2] }
	for id := 1; id <= burst; id++ {
		if _, err := conn.Write(kvproto.Frame(uint16(id), []byte("get "+key(id)+"\r\n"))); err != nil {
			t.Fatal(err)
		}
	}
	for seen := 0; seen < burst; seen++ {
		buf := make([]byte, 2048)
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, err := conn.Read(buf)
		if err != nil {
			t.Fatalf("%d of %d replies: %v", seen, burst, err)
		}
		id := int(buf[0])<<8 | int(buf[1])
		k := key(id)
		want := fmt.Sprintf("VALUE %s 0 %d\r\n%s\r\nEND\r\n", k, len(values[k]), values[k])
		if id < 1 || id > burst || string(buf[8:n]) != want {
			t.Fatalf("reply to request %d: %q, want %q", id, buf[8:n], want)
		}
	}
}

func readReply(conn net.Conn, id int, want string) error {
	buf := make([]byte, 2048)
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err := conn.Read(buf)
	if err != nil {
		return err
	}
	if got := int(buf[0])<<8 | int(buf[1]); got != id || string(buf[8:n]) != want {
		return fmt.Errorf("reply %d %q, want %d %q", got, buf[8:n], id, want)
	}
	return nil
}

// TestBatchAnswersDatagramsJoinedOnReceipt sends linux-batch gets as
// one GSO send (UDP_SEGMENT) over loopback, equal datagrams and a
// shorter last: the kernel hands a socket that asked for UDP_GRO them
// joined, as a NIC's receive path joins a burst, and each must still
// be answered on its own.
func TestBatchAnswersDatagramsJoinedOnReceipt(t *testing.T) {
	s := startServer(t, frontEndSpec(t, "linux-batch"))
	conn, err := net.Dial("udp", s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write(kvproto.Frame(0, []byte("set k1 0 0 3\r\nxyz\r\n"))); err != nil {
		t.Fatal(err)
	}
	if err := readReply(conn, 0, "STORED\r\n"); err != nil {
		t.Fatal(err)
	}
	const joined = 30
	var burst []byte
	for id := 1; id <= joined; id++ {
		burst = append(burst, kvproto.Frame(uint16(id), []byte("get k1\r\n"))...)
	}
	burst = append(burst, kvproto.Frame(uint16(joined+1), []byte("get k\r\n"))...) // one byte shorter, a miss
	segment := len(burst) / joined
	raw, err := conn.(*net.UDPConn).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var optErr error
	if err := raw.Control(func(fd uintptr) {
		optErr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_UDP, udpSegment, segment)
	}); err != nil || optErr != nil {
		t.Skipf("this kernel sends no UDP GSO: %v %v", err, optErr)
	}
	if _, err := conn.Write(burst); err != nil {
		t.Fatal(err)
	}
	for seen := 0; seen <= joined; seen++ {
		buf := make([]byte, 2048)
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, err := conn.Read(buf)
		if err != nil {
			t.Fatalf("%d of %d replies: %v", seen, joined+1, err)
		}
		id, want := int(buf[0])<<8|int(buf[1]), "VALUE k1 0 3\r\nxyz\r\nEND\r\n"
		if id == joined+1 {
			want = "END\r\n"
		}
		if id < 1 || id > joined+1 || string(buf[8:n]) != want {
			t.Fatalf("reply to request %d: %q, want %q", id, buf[8:n], want)
		}
	}
}

// udpSegment is Linux's UDP_SEGMENT socket option, missing from syscall.
const udpSegment = 103
