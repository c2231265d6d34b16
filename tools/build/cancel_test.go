package build

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A cancelled build (Ctrl-C) stops the backend and everything it started,
// and leaves no manifest.
func TestCancelStopsTheBackendAndItsChildren(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "child.pid")
	putKraft(t, "#!/bin/sh\nif [ \"$1\" = version ]; then echo 'kraft 0.9.2'; exit 0; fi\n"+
		"sleep 60 &\necho $! > "+pidFile+".tmp\nmv "+pidFile+".tmp "+pidFile+"\nwait\n")
	root := newRoot(t)
	b, _ := NewBackend("kraft")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := Run(ctx, Options{RepoRoot: root, Cache: emptyCache(t), Backend: b, Progress: &bytes.Buffer{}}, lookup(t, "batched"))
		done <- err
	}()
	pid := waitForPid(t, pidFile)
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("a cancelled build succeeded")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the build did not stop within 10 s of the cancel")
	}
	for deadline := time.Now().Add(5 * time.Second); alive(pid) && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if alive(pid) {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Errorf("the backend's child %d outlived the cancel", pid)
	}
	if _, err := os.Stat(ManifestPath(root, "batched")); !os.IsNotExist(err) {
		t.Error("a cancelled build left a manifest")
	}
}

func waitForPid(t *testing.T, path string) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if data, err := os.ReadFile(path); err == nil {
			pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
			if err != nil {
				t.Fatal(err)
			}
			return pid
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the stand-in kraft did not start")
	return 0
}

// alive tells whether pid runs; a killed process may linger a moment as
// a zombie until its new parent reaps it, which counts as dead.
func alive(pid int) bool {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return false
	}
	// The state follows the parenthesised command name.
	fields := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
	return len(fields) > 0 && fields[0] != "Z"
}
