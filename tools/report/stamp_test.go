package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestQuoteCommand(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"/usr/local/bin/ukkv", "bench", "--runs=3"}, "ukkv bench --runs=3"},
		{[]string{"ukkv", "run", "lwip socket"}, "ukkv run 'lwip socket'"},
		{[]string{"ukkv", "it's"}, `ukkv 'it'\''s'`},
		{[]string{"ukkv", ""}, "ukkv ''"},
		{[]string{"ukkv", "$HOME", "a;b", "*"}, `ukkv '$HOME' 'a;b' '*'`},
	} {
		if got := QuoteCommand(c.args); got != c.want {
			t.Errorf("QuoteCommand(%q) = %s, want %s", c.args, got, c.want)
		}
	}
}

func TestReadMachine(t *testing.T) {
	root := fstest.MapFS{
		"proc/cpuinfo": {Data: []byte("processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Processor\nflags\t\t: fpu vme\n\n" +
			"processor\t: 1\nmodel name\t: Intel(R) Xeon(R) Processor\n")},
		"proc/meminfo":              {Data: []byte("MemTotal:       24576000 kB\nMemFree:         1000 kB\n")},
		"proc/sys/kernel/osrelease": {Data: []byte("6.1.0-28-amd64\n")},
		"etc/os-release":            {Data: []byte("HOME_URL=\"https://www.debian.org/\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n")},
	}
	want := Machine{CPU: "Intel(R) Xeon(R) Processor", Cores: 2, MemoryBytes: 24576000 * 1024,
		Kernel: "6.1.0-28-amd64", Distro: "Debian GNU/Linux 12 (bookworm)"}
	if got := ReadMachine(root); got != want {
		t.Errorf("ReadMachine = %+v, want %+v", got, want)
	}
}

func TestReadMachineWithoutFiles(t *testing.T) {
	want := Machine{CPU: unknown, Kernel: unknown, Distro: unknown}
	if got := ReadMachine(fstest.MapFS{}); got != want {
		t.Errorf("ReadMachine of an empty root = %+v, want %+v", got, want)
	}
}

func TestNewStamp(t *testing.T) {
	before := time.Now().UTC().Truncate(time.Second)
	s := NewStamp("kvm", map[string]string{"unikraft": "RELEASE-0.16.3"})
	if s.Date.Before(before) || s.Date.Location() != time.UTC || s.Date.Nanosecond() != 0 {
		t.Errorf("date %v: want now, UTC, whole seconds", s.Date)
	}
	if s.Command != QuoteCommand(os.Args) || !strings.HasPrefix(s.Command, filepath.Base(os.Args[0])+" ") {
		t.Errorf("command %q, want the quoted os.Args without a folder", s.Command)
	}
	if s.Machine.Accelerator != "kvm" || s.Info["unikraft"] != "RELEASE-0.16.3" {
		t.Errorf("stamp %+v lost the accelerator or the info", s)
	}
	host, _ := os.Hostname()
	for _, part := range strings.Split(s.Machine.summary(), ", ") {
		if host != "" && part == host {
			t.Errorf("machine %q names the host", s.Machine.summary())
		}
	}
}
