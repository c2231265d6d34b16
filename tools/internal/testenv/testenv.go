// Package testenv lets tests that need this machine's real parts (root,
// Debian programs, the built binaries, QEMU) skip, saying what is
// missing and how to get it, where those parts are absent.
package testenv

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ukkv/ukkv/tools/build"
	"github.com/ukkv/ukkv/tools/process"
	"github.com/ukkv/ukkv/tools/qemu"
	"github.com/ukkv/ukkv/tools/sources"
	"github.com/ukkv/ukkv/tools/variant"
)

// NeedRoot skips unless the test runs as root, which DPDK, TAP devices
// and vhost-user need.
func NeedRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root (DPDK, TAP devices, vhost-user): run `make test` as root")
	}
}

// NeedCommands skips unless every program is on PATH; programs maps
// each to the Debian package that has it.
func NeedCommands(t testing.TB, programs map[string]string) {
	t.Helper()
	for bin, pkg := range programs {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("%s missing: install the Debian package %s (make deps)", bin, pkg)
		}
	}
}

// NeedNetAdmin skips unless the test may make network devices and
// namespaces here: root and ip.
func NeedNetAdmin(t testing.TB) {
	t.Helper()
	NeedRoot(t)
	NeedCommands(t, map[string]string{"ip": "iproute2"})
}

// OrphanName is a name of run state (process.OwnedName's form) whose
// owner process has ended, as a killed run leaves it.
func OrphanName(t testing.TB) string {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	if process.Alive(cmd.Process.Pid) {
		t.Skipf("pid %d reused at once", cmd.Process.Pid)
	}
	return process.NameOwnedBy(cmd.Process.Pid)
}

// NeedGuestHost skips unless guests can boot here on testpmd: root,
// QEMU and testpmd.
func NeedGuestHost(t testing.TB) {
	t.Helper()
	NeedRoot(t)
	NeedCommands(t, map[string]string{"qemu-system-x86_64": "qemu-system-x86", "dpdk-testpmd": "dpdk-dev"})
}

// Binary returns the path of the built program bin/NAME, or skips.
func Binary(t testing.TB, name string) string {
	t.Helper()
	path := filepath.Join(Repo(t), "bin", name)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("bin/%s is missing: run `make`", name)
	}
	return path
}

// Repo is the repository's root.
func Repo(t testing.TB) string {
	t.Helper()
	repo, err := build.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return repo
}

// Cache is the folder of the Unikraft sources and guest images.
func Cache(t testing.TB) string {
	t.Helper()
	cache, err := sources.DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	return cache
}

// NeedSources skips unless the source cache holds what a build of v
// needs; the message names the import command of what is missing.
func NeedSources(t testing.TB, v *variant.Variant) {
	t.Helper()
	cache, err := sources.Open()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := build.SourcesOf(context.Background(), cache, v); err != nil {
		t.Skip(err)
	}
}

// Accel is the accelerator this machine runs guests on.
func Accel(t testing.TB) qemu.Accel {
	t.Helper()
	v, err := qemu.ChooseAccel(context.Background(), Cache(t))
	if err != nil {
		t.Fatal(err)
	}
	return v.Accel
}

// Run runs a program a test needs to succeed (a compiler or linker
// making its input), failing the test with the program's output if not.
func Run(t testing.TB, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}
