package process

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestPinnedLeavesAnUnpinnedCommandAlone(t *testing.T) {
	bin, args := Pinned(nil, "qemu", []string{"-m", "64"})
	if bin != "qemu" || strings.Join(args, " ") != "-m 64" {
		t.Fatalf("got %s %v", bin, args)
	}
}

// A pinned process and the threads it makes later may run only on the
// CPUs given, as the kernel reports them.
func TestPinnedProcessRunsOnlyOnItsCPUs(t *testing.T) {
	if _, err := exec.LookPath("taskset"); err != nil {
		t.Skip("taskset is missing: install util-linux")
	}
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		t.Fatal(err)
	}
	cpu := -1
	for c := 1023; c >= 0 && cpu < 0; c-- {
		if set.IsSet(c) {
			cpu = c
		}
	}
	bin, args := Pinned([]int{cpu}, "sleep", []string{"30"})
	p, err := Start(bin, args, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop(time.Second)
	want := strconv.Itoa(cpu)
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, comm := allowedCPUs(t, p.Pid())
		if comm == "sleep" {
			if got != want {
				t.Fatalf("Cpus_allowed_list %q, want %q", got, want)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("taskset did not exec sleep within 10s (still %q)", comm)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// allowedCPUs reads a process's Cpus_allowed_list and its name.
func allowedCPUs(t *testing.T, pid int) (list, comm string) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, _ := strings.Cut(line, ":")
		switch k {
		case "Cpus_allowed_list":
			list = strings.TrimSpace(v)
		case "Name":
			comm = strings.TrimSpace(v)
		}
	}
	return list, comm
}
