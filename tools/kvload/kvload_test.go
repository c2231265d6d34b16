package kvload

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ukkv/ukkv/tools/dpdk"
	"github.com/ukkv/ukkv/tools/hostnet"
	"github.com/ukkv/ukkv/tools/internal/testenv"
	"github.com/ukkv/ukkv/tools/process"
)

// End-to-end runs of bin/kvload: against the Linux front end through a
// TAP device, against a loopback for the ceiling, and against a relay
// that spoils replies on purpose to prove validation catches it.

const (
	testKeys      = 200
	testValueSize = 100
	serverPort    = 11211 // on an address of our own: no collision
)

// needDPDK skips unless kvload can run here: root (TAP devices, DPDK)
// and the binary built.
func needDPDK(t *testing.T) string {
	t.Helper()
	testenv.NeedRoot(t)
	return testenv.Binary(t, "kvload")
}

// tapNet is one test's TAP device and /24: host .1, kvload .2.
type tapNet struct{ *hostnet.Network }

func newTapNet(t *testing.T) tapNet {
	t.Helper()
	n, err := hostnet.NewNetwork("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n.Remove() })
	return tapNet{n}
}

// config is a short closed-loop run over n's TAP device.
func (n tapNet) config(bin string) Config {
	c := Defaults()
	c.Binary = bin
	c.Port = dpdk.TapPort(n.Tap)
	c.Prefix = n.Prefix
	c.SrcIP, c.DstIP = n.GuestIP, n.HostIP
	c.DstPort = serverPort
	c.Keys, c.ValueSize = testKeys, testValueSize
	c.Window = 8
	c.Duration, c.Warmup = time.Second, 200*time.Millisecond
	// generous: a busy 2-core machine must not turn slowness into loss
	c.Timeout = 2 * time.Second
	return c
}

// startOnTap starts kvload with c and, once its TAP device exists,
// gives the device the host address; far is then started on it.
func startOnTap(t *testing.T, ctx context.Context, n tapNet, c Config, far func()) *Generator {
	t.Helper()
	g, err := Start(c, func(l string) { t.Log(l) })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(g.Stop)
	if err := hostnet.ConfigureTap(ctx, n.Tap, hostnet.CIDR(n.HostIP)); err != nil {
		t.Fatal(err)
	}
	far()
	return g
}

// tapServer is a Linux front end bound to the TAP's host address.
type tapServer struct {
	proc *process.Process
	out  process.Buffer
}

func startTapServer(t *testing.T, ctx context.Context, path string, host net.IP) *tapServer {
	t.Helper()
	s := &tapServer{}
	args := []string{"--addr", host.String(), "--port", strconv.Itoa(serverPort),
		"--preload", strconv.Itoa(testKeys), "--value-size", strconv.Itoa(testValueSize)}
	p, err := process.Start(path, args, process.Options{Output: &s.out})
	if err != nil {
		t.Fatal(err)
	}
	s.proc = p
	t.Cleanup(func() { p.Stop(5 * time.Second) })
	ready := fmt.Sprintf("ready udp %s:%d", host, serverPort)
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(s.out.String(), ready) {
		select {
		case <-p.Done():
			t.Fatalf("%s ended before serving: %v\n%s", path, p.Err(), s.out.String())
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: no %q line in 30s:\n%s", path, ready, s.out.String())
		}
	}
	return s
}

// served stops the server and returns the requests its stats line
// counts (cmd_get + cmd_set).
func (s *tapServer) served(t *testing.T) uint64 {
	t.Helper()
	s.proc.Stop(5 * time.Second)
	var get, set uint64
	for _, line := range strings.Split(s.out.String(), "\n") {
		if !strings.HasPrefix(line, "stats ") {
			continue
		}
		for _, f := range strings.Fields(line) {
			k, v, _ := strings.Cut(f, "=")
			n, _ := strconv.ParseUint(v, 10, 64)
			switch k {
			case "cmd_get":
				get = n
			case "cmd_set":
				set = n
			}
		}
		return get + set
	}
	t.Fatalf("no stats line from the server:\n%s", s.out.String())
	return 0
}

func checkLatency(t *testing.T, r *Result) {
	t.Helper()
	l := r.Latency
	if l.Samples != r.Replies || l.P50 <= 0 || l.P99 < l.P50 || l.P999 < l.P99 || l.Max < l.P999 {
		t.Errorf("latency figures missing or out of order: %+v (replies %d)", l, r.Replies)
	}
}

func TestAgainstLinuxSingleThroughTap(t *testing.T) {
	bin := needDPDK(t)
	server := testenv.Binary(t, "kvstore-linux-single")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	n := newTapNet(t)
	var s *tapServer
	g := startOnTap(t, ctx, n, n.config(bin), func() { s = startTapServer(t, ctx, server, n.HostIP) })
	r, err := g.Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%.0f replies/s, p50 %.1fus p99 %.1fus", r.RepliesPerS, r.Latency.P50, r.Latency.P99)
	if r.Replies == 0 || r.Requests != r.Replies || r.Lost+r.Wrong+r.Malformed+r.Late != 0 {
		t.Errorf("requests %d, right replies %d, lost %d, wrong %d (%+v), malformed %d, late %d",
			r.Requests, r.Replies, r.Lost, r.Wrong, r.WrongReply, r.Malformed, r.Late)
	}
	if r.Counts.Get == 0 || r.Counts.Set == 0 || r.Counts.Get+r.Counts.Set != r.Requests {
		t.Errorf("GET/SET mix %d/%d of %d requests", r.Counts.Get, r.Counts.Set, r.Requests)
	}
	checkLatency(t, r)
	// every request the server saw got exactly one right reply
	if got, want := s.served(t), r.Requests+r.Counts.WarmupReplies; got != want {
		t.Errorf("server counted %d requests, kvload %d answered (%d measured + %d warm-up)",
			got, want, r.Requests, r.Counts.WarmupReplies)
	}
}

func TestEchoCeilingOnRingLoopback(t *testing.T) {
	bin := needDPDK(t)
	c := RingCeiling(validConfig())
	c.Binary = bin
	c.Prefix = process.OwnedName()
	c.Window = 32
	c.Duration, c.Warmup = 300*time.Millisecond, 0
	r, err := Measure(context.Background(), c, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Mode != "echo" || r.Replies == 0 || !r.Balanced() || r.Lost+r.Wrong+r.Malformed != 0 {
		t.Errorf("echo run: %+v", r)
	}
	checkLatency(t, r)
	if _, err := os.Stat("/var/run/dpdk/" + c.Prefix); !os.IsNotExist(err) {
		t.Errorf("DPDK run folder of %s left behind (%v)", c.Prefix, err)
	}
}

func TestKvloadRefusesContradictoryLoop(t *testing.T) {
	bin := needDPDK(t)
	c := validConfig()
	c.Prefix = process.OwnedName()
	args := append(c.Args(), "--rate", "1000")
	out, err := exec.Command(bin, args...).CombinedOutput()
	os.RemoveAll("/var/run/dpdk/" + c.Prefix)
	if err == nil || !strings.Contains(string(out), "exclude each other") {
		t.Errorf("kvload with --window and --rate: %v\n%s", err, out)
	}
}

func TestMacswapCeilingOverVhostUser(t *testing.T) {
	bin := needDPDK(t)
	if _, err := exec.LookPath("dpdk-testpmd"); err != nil {
		t.Skip("dpdk-testpmd is missing: install the Debian package dpdk-dev (make deps)")
	}
	c := validConfig()
	c.Binary = bin
	c.Prefix = process.OwnedName()
	c.Window = 32
	c.Duration, c.Warmup = 500*time.Millisecond, 100*time.Millisecond
	c.LinkTimeout = 30 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r, err := MacswapCeiling(ctx, c, func(l string) { t.Log(l) })
	if err != nil {
		t.Fatal(err)
	}
	if r.Mode != "echo" || r.Replies == 0 || !r.Balanced() || r.Lost+r.Wrong+r.Malformed != 0 {
		t.Errorf("macswap ceiling: %+v", r)
	}
	checkLatency(t, r)
	for _, p := range []string{c.Prefix, c.Prefix + "-macswap"} {
		if _, err := os.Stat("/var/run/dpdk/" + p); !os.IsNotExist(err) {
			t.Errorf("DPDK run folder of %s left behind (%v)", p, err)
		}
	}
}
