package kvproto_test

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ukkv/ukkv/tools/kvproto"
	"github.com/ukkv/ukkv/tools/kvserver"
)

// cCorpus is the C core's fuzzing corpus: one datagram per file.
const cCorpus = "../../apps/kvstore/tests/corpus/kv"

// TestGoServerMatchesC sends the same datagrams, in the same order, to
// the C front end and the Go server, both with a small preloaded table,
// and requires byte-identical replies (or no reply from either): the
// C core's fuzzing corpus, then requests at the limits of both. The
// stats lines both print on SIGTERM must then be identical too.
func TestGoServerMatchesC(t *testing.T) {
	args := []string{"--capacity", "8", "--preload", "4", "--value-size", "100"}
	var conns []*net.UDPConn
	var servers []*kvserver.Server
	for _, name := range []string{"linux-single", "go"} {
		spec := frontEndSpec(t, name)
		extra := spec.Args
		spec.Args = func(port string) []string { return append(extra(port), args...) }
		s := startServer(t, spec)
		servers = append(servers, s)
		conn, err := net.Dial("udp", s.Addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		conns = append(conns, conn.(*net.UDPConn))
	}
	for _, dg := range sameDatagrams(t) {
		c, err := exchange(conns[0], dg)
		if err != nil {
			t.Fatalf("C server, %q: %v", dg, err)
		}
		g, err := exchange(conns[1], dg)
		if err != nil {
			t.Fatalf("Go server, %q: %v", dg, err)
		}
		if !bytes.Equal(c, g) {
			t.Errorf("request %q:\nC  replied %q\nGo replied %q", dg, c, g)
		}
	}
	var lines []string
	for _, s := range servers {
		if err := s.Stop(); err != nil {
			t.Fatalf("stop with SIGTERM: %v", err)
		}
		lines = append(lines, statsLine(t, s.Output()))
	}
	if lines[0] != lines[1] {
		t.Errorf("stats lines differ:\nC  %s\nGo %s", lines[0], lines[1])
	}
}

// statsLine is the one "stats ..." line a server printed.
func statsLine(t *testing.T, out string) string {
	t.Helper()
	var found []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "stats ") {
			found = append(found, line)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want one stats line, output:\n%s", out)
	}
	return found[0]
}

// sameDatagrams are the corpus files, in name order, then datagrams at
// the limits: a table filled to its capacity, the largest values and
// keys, replies at the datagram's and the amplification's bound, and
// stats last, which sums all before.
func sameDatagrams(t *testing.T) [][]byte {
	files, err := os.ReadDir(cCorpus)
	if err != nil {
		t.Fatal(err)
	}
	var dgs [][]byte
	for _, e := range files {
		data, err := os.ReadFile(filepath.Join(cCorpus, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		dgs = append(dgs, data)
	}
	key250 := strings.Repeat("k", kvproto.KeyMax)
	value := func(n int) string { return strings.Repeat("v", n) }
	for _, p := range []string{
		"set a 1 0 1340\r\n" + value(1340) + "\r\n",
		"set a 1 0 1339\r\n" + value(1339) + "\r\n",
		"gets a\r\n",
		"get a a\r\n",
		"set " + key250 + " 4294967295 -5 1\r\nx\r\n",
		"set " + key250 + " 4294967295 0 1090\r\n" + value(1090) + "\r\n",
		"get " + key250 + "\r\n",
		"get " + key250 + "k\r\n",
		"set b 0 0 0 noreply\r\n\r\nset c 0 0 1 other\r\nc\r\nadd b 0 0 1 noreply\r\nb\r\n",
		"get b c\r\ndelete b noreply\r\ndelete c 0 noreply\r\nget b c\r\n",
		"   get   key:0    key:1  \r\nbogus\r\nget key:2\r\n",
		"get key:0\n",
		"set x 0 0 1\r\nx\r\nset y 0 0 1\r\ny\r\nset z 0 0 1\r\nz\r\nset w 0 0 1\r\nw\r\nset u 0 0 1\r\nu\r\n",
		"cas x 0 0 1 0\r\nq\r\ncas nope 0 0 1 1\r\nq\r\n",
		"delete\r\ndelete a b c d\r\nversion x y\r\nstats x\r\n",
		"set t 0 0 1 2 3 4 5 6\r\nx\r\n",
		"get " + strings.Repeat("key:0 ", 20) + "\r\n",
		"stats\r\n",
	} {
		dgs = append(dgs, kvproto.Frame(7, []byte(p)))
	}
	return dgs
}

// exchange sends dg and returns the reply it got, or nil when there was
// none: a version request sent behind it is answered after it, since
// both servers answer one datagram at a time, in order.
func exchange(conn *net.UDPConn, dg []byte) ([]byte, error) {
	const syncID = 0xfffe
	if _, err := conn.Write(dg); err != nil {
		return nil, err
	}
	if _, err := conn.Write(kvproto.Frame(syncID, []byte("version\r\n"))); err != nil {
		return nil, err
	}
	conn.SetReadDeadline(time.Now().Add(kvproto.DefaultTimeout))
	var reply []byte
	buf := make([]byte, 65536)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			return nil, err
		}
		if h, _, err := kvproto.DecodeHeader(buf[:n]); err == nil && h.RequestID == syncID {
			return reply, nil
		}
		reply = append([]byte(nil), buf[:n]...)
	}
}
