package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/ukkv/ukkv/tools/internal/testenv"
	"github.com/ukkv/ukkv/tools/process"
)

// TestBenchClientNetnsIsRemoved benches a host row, which kvload reaches
// from a namespace of its own: the namespace and its veth pair exist
// while the bench runs and are gone when it ends, and when it is
// interrupted.
func TestBenchClientNetnsIsRemoved(t *testing.T) {
	testenv.NeedNetAdmin(t)
	testenv.NeedCommands(t, map[string]string{"ethtool": "ethtool"})
	testenv.Binary(t, "kvload")
	testenv.Binary(t, "kvstore-linux-single")
	bin := ukkvBinary(t)
	for _, tc := range []struct {
		name      string
		interrupt bool
		steps     string
	}{
		{"completed", false, "2"},
		{"SIGINT", true, "13"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(bin, "bench", "metal-single", "--runs", "1", "--duration", "300ms",
				"--warmup", "100ms", "--sweep-steps", tc.steps, "--sweep-refine", "0", "--step-duration", "300ms",
				"--step-warmup", "100ms", "--results", t.TempDir())
			cmd.Dir = "../.."
			out := &process.Buffer{}
			cmd.Stdout, cmd.Stderr = out, out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = cmd.Process.Kill() })
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			seen := awaitOwnedNamespace(t, cmd.Process.Pid, done)
			if tc.interrupt {
				// let kvload start inside it
				time.Sleep(500 * time.Millisecond)
				if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
					t.Fatal(err)
				}
			}
			select {
			case err := <-done:
				if tc.interrupt == (err == nil) {
					t.Errorf("ukkv bench ended with %v:\n%s", err, out.String())
				}
			case <-time.After(3 * time.Minute):
				t.Fatalf("ukkv bench still running after 3 minutes:\n%s", out.String())
			}
			if seen == "" {
				t.Fatalf("no namespace of ukkv bench seen:\n%s", out.String())
			}
			if left := owned(cmd.Process.Pid); len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
			if pids := processesMentioning(seen); len(pids) > 0 {
				t.Errorf("processes in namespace %s left: %v", seen, pids)
			}
		})
	}
}

// awaitOwnedNamespace waits for a namespace named for pid and returns
// its name, "" if the program ended first.
func awaitOwnedNamespace(t *testing.T, pid int, done chan error) string {
	t.Helper()
	deadline := time.After(2 * time.Minute)
	for {
		entries, _ := os.ReadDir("/var/run/netns")
		for _, e := range entries {
			if owner, ok := process.Owner(e.Name()); ok && owner == pid {
				return e.Name()
			}
		}
		select {
		case err := <-done:
			done <- err
			return ""
		case <-deadline:
			return ""
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// owned lists the namespaces and network devices named for pid.
func owned(pid int) []string {
	var names []string
	for _, dir := range []string{"/var/run/netns", "/sys/class/net"} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if owner, ok := process.Owner(e.Name()); ok && owner == pid {
				names = append(names, filepath.Join(dir, e.Name()))
			}
		}
	}
	return names
}
