package cli

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ukkv/ukkv/tools/internal/testenv"
	"github.com/ukkv/ukkv/tools/process"
)

// ukkvBinary builds the ukkv command once for the tests that run it as a
// separate process (signals, PATH, working folder).
func ukkvBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "ukkv")
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/ukkv").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v: %s", err, out)
	}
	return bin
}

// fakeRepo is an empty ukkv repository: nothing built, no programs.
func fakeRepo(t *testing.T) string {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module github.com/ukkv/ukkv\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// pathWith is a PATH folder holding only the named programs.
func pathWith(t *testing.T, programs ...string) string {
	dir := t.TempDir()
	for _, p := range programs {
		full, err := exec.LookPath(p)
		if err != nil {
			t.Skipf("%s missing: run `make deps`", p)
		}
		if err := os.Symlink(full, filepath.Join(dir, p)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRunRefusesBadInput(t *testing.T) {
	if _, err := exec.LookPath("qemu-system-x86_64"); err != nil {
		t.Skip("qemu-system-x86_64 missing: install the Debian package qemu-system-x86 (make deps)")
	}
	bin := ukkvBinary(t)
	repo := fakeRepo(t)
	for _, tc := range []struct {
		name string
		args []string
		path string
		want string
	}{
		{"unknown variant", []string{"run", "nosuch"}, os.Getenv("PATH"), "valid: batched, lwip-socket, raw-uknetdev, linux-batch, linux-single"},
		{"not built", []string{"run", "raw-uknetdev"}, os.Getenv("PATH"), "not built; run `ukkv build raw-uknetdev`"},
		{"no server program", []string{"run", "linux-single"}, os.Getenv("PATH"), "bin/kvstore-linux-single of variant linux-single is missing: run `make`"},
		{"qemu missing", []string{"run", "linux-single"}, t.TempDir(), "qemu-system-x86_64 not found: install the Debian package qemu-system-x86"},
		{"testpmd missing", []string{"run", "linux-single"}, pathWith(t, "qemu-system-x86_64"), "dpdk-testpmd not found: install the Debian package dpdk-dev"},
		{"boottime unknown", []string{"boottime", "linux-single", "nosuch"}, os.Getenv("PATH"), "unknown variant"},
		{"compare bad -n", []string{"compare", "-n", "0"}, os.Getenv("PATH"), "want -n >= 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(bin, tc.args...)
			cmd.Dir = repo
			cmd.Env = append(os.Environ(), "PATH="+tc.path, "UKKV_ACCEL=tcg")
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Fatalf("want exit status 1, got %v: %s", err, out)
			}
			if !strings.Contains(string(out), tc.want) || strings.Contains(string(out), "level=warn") {
				t.Errorf("output does not say %q, or warns of more than the error:\n%s", tc.want, out)
			}
		})
	}
	if entries, _ := os.ReadDir(repo); len(entries) != 1 {
		t.Errorf("refused runs left files in the repository: %v", entries)
	}
}

func TestRunRefusesSubnetInUse(t *testing.T) {
	needGuestHost(t)
	cmd := exec.Command(ukkvBinary(t), "run", "linux-single", "--subnet", "127.0.0.0/24")
	cmd.Env = append(os.Environ(), "UKKV_ACCEL=tcg")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "subnet 127.0.0.0/24 already in use") {
		t.Fatalf("want a refusal of the subnet, got %v:\n%s", err, out)
	}
}

// needGuestHost skips unless linux-single can boot here.
func needGuestHost(t *testing.T) {
	t.Helper()
	testenv.NeedGuestHost(t)
	testenv.Binary(t, "kvstore-linux-single")
}

var runNames = regexp.MustCompile(`run folder (\S+), DPDK prefix (\S+), TAP (\S+),`)

// TestRunEndsCleanly runs `ukkv run linux-single` as a user would and,
// once the guest serves, interrupts it or kills QEMU or testpmd under
// it: each must end with a clear message and leave no process, folder,
// DPDK file or TAP device.
func TestRunEndsCleanly(t *testing.T) {
	needGuestHost(t)
	bin := ukkvBinary(t)
	for _, tc := range []struct {
		name   string
		victim string // a program of the run to kill; "" interrupts ukkv
		exit   int
		says   string
	}{
		{"SIGINT", "", 130, "interrupted: linux-single stopped"},
		{"QEMU killed", "qemu-system", 1, "linux-single: QEMU ended (signal: killed)"},
		{"testpmd killed", "dpdk-testpmd", 1, "linux-single: testpmd ended (signal: killed)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd, stderr, dir, prefix, tap := startRun(t, bin)
			if tc.victim == "" {
				if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
					t.Fatal(err)
				}
			} else {
				killProgramOf(t, dir, tc.victim)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			var err error
			select {
			case err = <-done:
			case <-time.After(time.Minute):
				t.Fatal("ukkv run still running a minute later")
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != tc.exit {
				t.Errorf("want exit status %d, got %v", tc.exit, err)
			}
			if !strings.Contains(stderr.String(), tc.says) {
				t.Errorf("no message %q:\n%s", tc.says, stderr.String())
			}
			for _, path := range []string{dir, "/var/run/dpdk/" + prefix, "/sys/class/net/" + tap} {
				if _, err := os.Stat(path); err == nil {
					t.Errorf("%s left", path)
				}
			}
			if pids := processesMentioning(dir); len(pids) > 0 {
				t.Errorf("processes of the run left: %v", pids)
			}
		})
	}
}

// startRun starts `ukkv -v run linux-single` and returns once it printed
// its ready line, with the run's folder, DPDK prefix and TAP name.
func startRun(t *testing.T, bin string) (*exec.Cmd, *process.Buffer, string, string, string) {
	t.Helper()
	cmd := exec.Command(bin, "-v", "run", "linux-single")
	cmd.Dir = "../.."
	stderr := &process.Buffer{}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	ready := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(stdout)
		for s.Scan() {
			if strings.HasPrefix(s.Text(), "ready udp ") {
				ready <- s.Text()
			}
		}
		close(ready)
	}()
	select {
	case line, ok := <-ready:
		if !ok {
			t.Fatalf("ukkv run ended before ready:\n%s", stderr.String())
		}
		t.Log(line)
	case <-time.After(3 * time.Minute):
		t.Fatalf("no ready line after 3 minutes:\n%s", stderr.String())
	}
	m := runNames.FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("run names not logged:\n%s", stderr.String())
	}
	return cmd, stderr, m[1], m[2], m[3]
}

// killProgramOf kills the process of the run whose command line holds
// program.
func killProgramOf(t *testing.T, dir, program string) {
	t.Helper()
	for _, pid := range processesMentioning(dir) {
		data, _ := os.ReadFile("/proc/" + pid + "/cmdline")
		if bytes.Contains(data, []byte(program)) {
			n, _ := strconv.Atoi(pid)
			if err := syscall.Kill(n, syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("no %s process of the run in %s", program, dir)
}

// processesMentioning lists processes whose command line holds s.
func processesMentioning(s string) []string {
	var pids []string
	cmdlines, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, c := range cmdlines {
		if data, err := os.ReadFile(c); err == nil && bytes.Contains(data, []byte(s)) {
			pids = append(pids, filepath.Base(filepath.Dir(c)))
		}
	}
	return pids
}
