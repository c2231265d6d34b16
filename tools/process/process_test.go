package process

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestStopEndsTheWholeGroup starts a shell that ignores SIGTERM and has
// a child of its own: Stop must leave neither.
func TestStopEndsTheWholeGroup(t *testing.T) {
	out := &Buffer{}
	p, err := Start("/bin/sh", []string{"-c", `trap "" TERM; sleep 100 & echo $!; wait`}, Options{Output: out})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "\n") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	child, err := strconv.Atoi(strings.TrimSpace(out.String()))
	if err != nil {
		t.Fatalf("child pid %q: %v", out.String(), err)
	}
	p.Stop(200 * time.Millisecond)
	select {
	case <-p.Done():
	default:
		t.Fatal("Done not closed after Stop")
	}
	for time.Now().Before(deadline) {
		if syscall.Kill(child, 0) != nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("child %d survived Stop", child)
}

func TestKeepStdinHoldsInputOpen(t *testing.T) {
	p, err := Start("/bin/cat", nil, Options{Output: os.Stderr, KeepStdin: true})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.Done():
		t.Fatal("cat ended with its input held open")
	case <-time.After(100 * time.Millisecond):
	}
	p.Stop(5 * time.Second) // closing the input ends cat by itself
	if p.Err().Error() != "exited with status 0" {
		t.Errorf("cat ended with %v, want a clean exit on end of input", p.Err())
	}
}
