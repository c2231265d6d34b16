package memcaslap

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// fakeMemcaslap writes a script standing in for memcaslap: it prints a
// captured summary and then behaves as script says.
func fakeMemcaslap(t *testing.T, then string) string {
	t.Helper()
	sample, err := filepath.Abs(filepath.Join("testdata", "memcached-udp-clean.txt"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "memcaslap")
	script := "#!/bin/sh\ncat '" + sample + "'\n" + then + "\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

var fakeOptions = Options{Server: "127.0.0.1:1", Duration: time.Second, Threads: 1, Concurrency: 1}

func TestRunKillsMemcaslapHangingAfterSummary(t *testing.T) {
	defer func(g time.Duration) { exitGrace = g }(exitGrace)
	exitGrace = 100 * time.Millisecond
	start := time.Now()
	s, _, err := Run(context.Background(), fakeMemcaslap(t, "exec sleep 30"), fakeOptions)
	if err != nil {
		t.Fatal(err)
	}
	if s.Ops != 163365 {
		t.Fatalf("summary %+v", s)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Fatalf("waited %v for a hanging memcaslap", d)
	}
}

func TestRunReportsFailure(t *testing.T) {
	if _, _, err := Run(context.Background(), fakeMemcaslap(t, "exit 1"), fakeOptions); err == nil {
		t.Fatal("exit status 1 not reported")
	}
	if _, _, err := Run(context.Background(), fakeMemcaslap(t, "exit 0"), Options{}); err == nil {
		t.Fatal("options without a server accepted")
	}
}

func TestRunHonoursContext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	path := filepath.Join(t.TempDir(), "memcaslap")
	if err := os.WriteFile(path, []byte("#!/bin/sh\nexec sleep 30\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, _, err := Run(ctx, path, fakeOptions); err == nil {
		t.Fatal("a cancelled run reported success")
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Fatalf("cancel took %v", d)
	}
}
