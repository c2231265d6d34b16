package kvserver

import (
	"context"
	"strings"
	"testing"
	"time"
)

// shell is a stand-in server for testing the process handling itself.
func shell(script string) Spec {
	return Spec{
		Name:      "sh",
		Path:      "/bin/sh",
		Args:      func(port string) []string { return []string{"-c", strings.ReplaceAll(script, "PORT", port)} },
		ReadyLine: true,
	}
}

func TestStartAwaitsReadyLineAndStopsCleanly(t *testing.T) {
	s, err := Start(context.Background(), shell(`trap 'echo bye; exit 0' TERM; echo starting; echo ready udp 127.0.0.1:PORT; while :; do sleep 0.05; done`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.Addr, "127.0.0.1:") {
		t.Fatalf("addr %q", s.Addr)
	}
	if err := s.Stop(); err != nil {
		t.Fatalf("clean exit reported as %v", err)
	}
	if out := s.Output(); !strings.Contains(out, "bye") {
		t.Fatalf("output %q lacks what the server printed on SIGTERM", out)
	}
}

func TestStopReportsUncleanExit(t *testing.T) {
	s, err := Start(context.Background(), shell(`echo ready udp 127.0.0.1:PORT; exec sleep 30`))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(); err == nil {
		t.Fatal("death by SIGTERM reported as a clean exit")
	}
}

func TestStartFailsWhenServerEndsOrLies(t *testing.T) {
	cases := map[string]string{
		"exits":      `echo cannot bind; exit 3`,
		"wrong-addr": `echo ready udp 127.0.0.1:1; exec sleep 30`,
	}
	for name, script := range cases {
		if _, err := Start(context.Background(), shell(script)); err == nil {
			t.Errorf("%s: started", name)
		}
	}
}

func TestStartHonoursContext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := Start(ctx, shell(`exec sleep 30`)); err == nil {
		t.Fatal("a server without ready line started")
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("gave up after %v", d)
	}
}

func TestOutputFindsReadyLineAcrossWrites(t *testing.T) {
	o := newOutput()
	for _, part := range []string{"hello\nrea", "dy udp 127.0.0.1:5", "\nmore\n"} {
		o.Write([]byte(part))
	}
	select {
	case addr := <-o.ready:
		if addr != "127.0.0.1:5" {
			t.Fatalf("addr %q", addr)
		}
	default:
		t.Fatal("ready line not found")
	}
}

func TestMemcachedArgs(t *testing.T) {
	got := strings.Join(Memcached("memcached", "-m", "64").Args("PORT"), " ")
	if !strings.HasPrefix(got, "-U PORT -p 0 -l 127.0.0.1") || !strings.HasSuffix(got, "-m 64") {
		t.Fatalf("args %q", got)
	}
}

func TestServesAddr(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:5": true, "0.0.0.0:5": true, "127.0.0.1:6": false,
		"0.0.0.0:6": false, "10.0.0.1:5": false, "garbage": false,
	} {
		if got := servesAddr(addr, "127.0.0.1:5"); got != want {
			t.Errorf("servesAddr(%q) = %v, want %v", addr, got, want)
		}
	}
}
