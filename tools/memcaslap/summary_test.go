package memcaslap

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func readSample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// memcached-udp-clean.txt: memcaslap 1.0 (Debian 12) against
// `memcached -U` with -T 1 -c 16 -w 1k for 3 s.
func TestParseClean(t *testing.T) {
	s, err := Parse(readSample(t, "memcached-udp-clean.txt"))
	if err != nil {
		t.Fatal(err)
	}
	want := Summary{CmdGet: 147019, CmdSet: 16346, Ops: 163365, Seconds: 3.0, TPS: 54090}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("got %+v, want %+v", s, want)
	}
	if err := s.Check(1000); err != nil {
		t.Fatalf("clean run judged faulty: %v", err)
	}
}

// server-errors-trimmed.txt: against a memcached whose item size limit
// is below memcaslap's values; most error lines were cut.
func TestParseErrorReplies(t *testing.T) {
	s, err := Parse(readSample(t, "server-errors-trimmed.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if s.ErrorReplies != 21 || len(s.ErrorSamples) != maxErrorSamples || s.ErrorSamples[0] != "<6 SERVER_ERROR object too large for cache" {
		t.Fatalf("error replies %d, samples %q", s.ErrorReplies, s.ErrorSamples)
	}
	if s.CmdSet != 127635 || s.TPS != 63811 {
		t.Fatalf("counters %+v", s)
	}
	if err := s.Check(1); err == nil || !strings.Contains(err.Error(), "21 error replies") {
		t.Fatalf("Check: %v, want the error replies named", err)
	}
}

// no-server.txt: nothing listened on the port; memcaslap reports no
// timeout, only almost no requests.
func TestCheckCatchesSilentServer(t *testing.T) {
	s, err := Parse(readSample(t, "no-server.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if s.UDPTimeout != 0 || s.Ops != 2 {
		t.Fatalf("sample changed: %+v", s)
	}
	if err := s.Check(1000); err == nil {
		t.Fatal("a run of 2 requests passed Check")
	}
}

func TestCheckNamesDropsAndTimeouts(t *testing.T) {
	s := Summary{Ops: 5000, PacketDrop: 1, UDPTimeout: 2, PacketDisorder: 3}
	err := s.Check(1000)
	for _, name := range []string{"packet_drop: 1", "udp_timeout: 2", "packet_disorder: 3"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("Check: %v, want %q named", err, name)
		}
	}
}

func TestParseRefusesIncompleteOutput(t *testing.T) {
	full := string(readSample(t, "memcached-udp-clean.txt"))
	for _, cut := range []string{"udp_timeout", "Run time"} {
		i := strings.Index(full, cut)
		if _, err := Parse([]byte(full[:i])); err == nil || !strings.Contains(err.Error(), cut) {
			t.Errorf("output cut before %q: err = %v", cut, err)
		}
	}
	if _, err := Parse([]byte("cmd_get: x\n")); err == nil {
		t.Error("a non-numeric counter was accepted")
	}
}

func TestOptions(t *testing.T) {
	o := Options{Server: "127.0.0.1:1", Duration: 3500 * time.Millisecond, Threads: 2, Concurrency: 8, Window: 2048}
	want := []string{"--servers=127.0.0.1:1", "--udp", "--time=3s", "--threads=2", "--concurrency=8", "--win_size=2k"}
	if err := o.Validate(); err != nil || !reflect.DeepEqual(o.Args(), want) {
		t.Fatalf("Args %v %v, want %v", o.Args(), err, want)
	}
	bad := []Options{
		{Threads: 1, Concurrency: 1},
		{Server: "s", Threads: 2, Concurrency: 3},
		{Server: "s", Threads: 1, Concurrency: 1, Window: 1000},
		{Server: "s", Threads: 0, Concurrency: 1},
	}
	for _, o := range bad {
		if o.Validate() == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}

func TestWatchedOutputSeesSummaryAcrossWrites(t *testing.T) {
	w := &watchedOutput{summary: make(chan struct{})}
	for _, part := range []string{"udp_timeout: 0\n\nRun ti", "me: 1.0s Ops: 5 TPS: 5 Net_rate: 0.0M/s", "\n"} {
		w.Write([]byte(part))
	}
	select {
	case <-w.summary:
	default:
		t.Fatal("summary not noticed")
	}
}
