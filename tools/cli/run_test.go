package cli

import (
	"bufio"
	"bytes"
	"context"
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

	"github.com/ukkv/ukkv/tools/build"
	"github.com/ukkv/ukkv/tools/internal/testenv"
	"github.com/ukkv/ukkv/tools/memcaslap"
	"github.com/ukkv/ukkv/tools/process"
	"github.com/ukkv/ukkv/tools/variant"
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
		{"unknown variant", []string{"run", "nosuch"}, os.Getenv("PATH"), "valid: " + strings.Join(variant.Names(variant.Guests()), ", ") + ")"},
		{"not built", []string{"run", "raw-uknetdev"}, os.Getenv("PATH"), "not built; run `ukkv build raw-uknetdev`"},
		{"no server program", []string{"run", "linux-single"}, os.Getenv("PATH"), "bin/kvstore-linux-single of variant linux-single is missing: run `make`"},
		{"qemu missing", []string{"run", "linux-single"}, t.TempDir(), "qemu-system-x86_64 not found: install the Debian package qemu-system-x86"},
		{"testpmd missing", []string{"run", "linux-single"}, pathWith(t, "qemu-system-x86_64"), "dpdk-testpmd not found: install the Debian package dpdk-dev"},
		{"boottime unknown", []string{"boottime", "linux-single", "nosuch"}, os.Getenv("PATH"), "unknown row"},
		{"compare bad -n", []string{"compare", "-n", "0"}, os.Getenv("PATH"), "-n 0: at least 1"},
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
			r := startRun(t, bin, "linux-single")
			cmd, stderr := r.cmd, r.stderr
			if tc.victim == "" {
				if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
					t.Fatal(err)
				}
			} else {
				killProgramOf(t, r.dir, tc.victim)
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
			r.assertGone(t)
		})
	}
}

// aRun is one `ukkv run` started by a test: its process and what it
// owns on the host.
type aRun struct {
	cmd                    *exec.Cmd
	stderr                 *process.Buffer
	dir, prefix, tap, addr string
}

// startRun starts `ukkv -v run ROW` and returns once it printed its
// ready line, with the run's folder, DPDK prefix, TAP name and address.
func startRun(t *testing.T, bin, row string) *aRun {
	t.Helper()
	cmd := exec.Command(bin, "-v", "run", row)
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
			if addr, ok := strings.CutPrefix(s.Text(), variant.ReadyLine); ok {
				ready <- addr
			}
		}
		close(ready)
	}()
	r := &aRun{cmd: cmd, stderr: stderr}
	select {
	case addr, ok := <-ready:
		if !ok {
			t.Fatalf("ukkv run ended before ready:\n%s", stderr.String())
		}
		r.addr = addr
	case <-time.After(3 * time.Minute):
		t.Fatalf("no ready line after 3 minutes:\n%s", stderr.String())
	}
	m := runNames.FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("run names not logged:\n%s", stderr.String())
	}
	r.dir, r.prefix, r.tap = m[1], m[2], m[3]
	return r
}

// assertGone fails for each process, folder, DPDK file or TAP device of
// the run still there.
func (r *aRun) assertGone(t *testing.T) {
	t.Helper()
	for _, path := range []string{r.dir, "/var/run/dpdk/" + r.prefix, "/sys/class/net/" + r.tap} {
		if _, err := os.Stat(path); err == nil {
			t.Errorf("%s left", path)
		}
	}
	if pids := processesMentioning(r.dir); len(pids) > 0 {
		t.Errorf("processes of the run left: %v", pids)
	}
}

// interrupt stops the run as Ctrl-C does and expects exit status 130.
func (r *aRun) interrupt(t *testing.T) {
	t.Helper()
	if err := r.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := r.cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Errorf("want exit status 130, got %v:\n%s", err, r.stderr.String())
	}
}

// TestRunServesMemcaslap boots the guest rows whose programs are not
// our C socket front ends, the DPDK server, Debian's memcached and the Go
// server, with `ukkv run` alone, and drives each with memcaslap over UDP.
func TestRunServesMemcaslap(t *testing.T) {
	needGuestHost(t)
	testenv.Binary(t, "kvstore-linux-dpdk")
	testenv.Binary(t, "kvstore-go")
	testenv.NeedCommands(t, map[string]string{"memcaslap": "libmemcached-tools", "memcached": "memcached"})
	bin := ukkvBinary(t)
	for _, row := range []string{"linux-dpdk", "memcached", "go-linux"} {
		t.Run(row, func(t *testing.T) {
			r := startRun(t, bin, row)
			sum, out, err := memcaslap.Run(context.Background(), "memcaslap",
				memcaslap.Options{Server: r.addr, Duration: 2 * time.Second, Threads: 1, Concurrency: 2, Window: 1024})
			if err == nil {
				err = sum.Check(1)
			}
			if err != nil {
				t.Errorf("memcaslap against %s at %s: %v\n%s", row, r.addr, err, out)
			}
			r.interrupt(t)
			r.assertGone(t)
		})
	}
}

// TestRunKilledIsSweptByClean kills `ukkv run` with SIGKILL, so that
// no teardown runs: QEMU and testpmd must die with it, and what stays
// (its run folder, DPDK's runtime folder) must go with `ukkv clean`,
// which every command that starts runs also does first.
func TestRunKilledIsSweptByClean(t *testing.T) {
	testenv.NeedGuestHost(t)
	bin := ukkvBinary(t)
	r := startRun(t, bin, bootableRow(t))
	if pids := processesMentioning(r.dir); len(pids) < 2 {
		t.Fatalf("want QEMU and testpmd running for %s, found %v", r.dir, pids)
	}
	if err := r.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = r.cmd.Wait()
	deadline := time.Now().Add(30 * time.Second)
	for len(processesMentioning(r.dir)) > 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	for _, path := range []string{r.dir, "/var/run/dpdk/" + r.prefix} {
		if _, err := os.Stat(path); err != nil {
			t.Logf("%s did not outlive the kill (%v): nothing for clean to do there", path, err)
		}
	}
	out, err := exec.Command(bin, "clean").CombinedOutput()
	if err != nil {
		t.Fatalf("ukkv clean: %v\n%s", err, out)
	}
	t.Logf("ukkv clean:\n%s", out)
	r.assertGone(t)
	if !strings.Contains(string(out), "removed "+r.dir) {
		t.Errorf("ukkv clean does not say it removed %s", r.dir)
	}
}

// bootableRow is raw-uknetdev when its image is built, else the Linux
// guest linux-single, or skips when neither can boot.
func bootableRow(t *testing.T) string {
	t.Helper()
	if _, err := build.ImagePath(testenv.Repo(t), "raw-uknetdev"); err == nil {
		return "raw-uknetdev"
	}
	testenv.Binary(t, "kvstore-linux-single")
	return "linux-single"
}

// TestRunElfloaderVariants runs each elfloader row as a user would: its
// console streams, memcaslap is served through vhost-user, and Ctrl-C
// ends it leaving nothing behind.
func TestRunElfloaderVariants(t *testing.T) {
	testenv.NeedGuestHost(t)
	testenv.NeedCommands(t, map[string]string{"memcaslap": "libmemcached-tools"})
	bin := ukkvBinary(t)
	for _, v := range variant.OfKind(variant.Unikraft) {
		if !v.Elfloader() {
			continue
		}
		t.Run(v.Name, func(t *testing.T) {
			testenv.NeedSources(t, v)
			testenv.Binary(t, v.Program)
			if _, err := build.ImagePath(testenv.Repo(t), v.Name); err != nil {
				t.Skip(err)
			}
			r := startRun(t, bin, v.Name)
			sum, out, err := memcaslap.Run(context.Background(), "memcaslap",
				memcaslap.Options{Server: r.addr, Duration: 2 * time.Second, Threads: 1, Concurrency: 2, Window: 1024})
			if err == nil {
				err = sum.Check(1)
			}
			if err != nil {
				t.Errorf("memcaslap against %s at %s: %v\n%s", v.Name, r.addr, err, out)
			}
			if !strings.Contains(r.stderr.String(), "Powered by Unikraft") {
				t.Errorf("the console was not streamed:\n%s", r.stderr.String())
			}
			r.interrupt(t)
			r.assertGone(t)
		})
	}
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
