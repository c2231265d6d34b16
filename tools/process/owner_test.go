package process

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

func TestOwnedNamesAreUniqueAndNameThisProcess(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 100; i++ {
		n := OwnedName()
		if seen[n] {
			t.Fatalf("%s given twice", n)
		}
		seen[n] = true
		if pid, ok := Owner(n); !ok || pid != os.Getpid() {
			t.Fatalf("Owner(%q) = %d, %v; want %d", n, pid, ok, os.Getpid())
		}
	}
}

func TestOwnedNamesLeaveRoomInAnInterfaceName(t *testing.T) {
	// the longest pid Linux gives (pid_max up to 2^22) and the longest n
	longest := ownedPrefix + "4194304" + "_" + strconv.FormatUint(ownedSeqs-1, 36)
	if len(longest)+1 > 15 {
		t.Errorf("%q plus a role letter exceeds an interface name's 15 bytes", longest)
	}
}

func TestOwnerParsesOwnedNamesOnly(t *testing.T) {
	for name, want := range map[string]int{
		"ukkv123_4":               123,
		"ukkv123_4map_0":          123, // DPDK's hugepage file of prefix ukkv123_4
		"ukkv123_4-macswap":       123,
		"ukkv77_z-run-1234":       77,
		"ukkv123_4a":              123, // one end of a veth pair
		"ukkvab12cd":              0,   // random names of older versions
		"ukkv123456-macswap":      0,
		"ukkv-run-ab12cd-999":     0,
		"ukkv_4":                  0,
		"ukkv12x_4":               0,
		"ukkv0_1":                 0,
		"kvl12ab":                 0,
		"memcached-ukkv123_4":     0,
		"ukkv99999999999999999_1": 0,
	} {
		pid, ok := Owner(name)
		if want == 0 && ok || want != 0 && (!ok || pid != want) {
			t.Errorf("Owner(%q) = %d, %v; want %d", name, pid, ok, want)
		}
	}
}

// deadPid is the id of a process that has ended.
func deadPid(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	if Alive(cmd.Process.Pid) {
		t.Skipf("pid %d reused at once", cmd.Process.Pid)
	}
	return cmd.Process.Pid
}

func TestRemoveOrphansKeepsLiveAndForeignState(t *testing.T) {
	dir := t.TempDir()
	dead := NameOwnedBy(deadPid(t))
	live := OwnedName()
	names := []string{dead + "-run-1", dead + "map_0", live + "-run-2", "ukkvab12cd", "other"}
	for _, n := range names {
		if err := os.Mkdir(filepath.Join(dir, n), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, dead+"-run-1", "vhost.sock"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	removed, err := RemoveOrphans(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 2 {
		t.Errorf("removed %v, want the two entries of the dead owner", removed)
	}
	for i, n := range names {
		_, err := os.Stat(filepath.Join(dir, n))
		if gone := os.IsNotExist(err); gone != (i < 2) {
			t.Errorf("%s: gone %v", n, gone)
		}
	}
	if got, err := RemoveOrphans(filepath.Join(dir, "none")); err != nil || got != nil {
		t.Errorf("missing folder: %v, %v", got, err)
	}
}

func TestOwnedTempDirIsOwned(t *testing.T) {
	dir, err := OwnedTempDir("probe")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if pid, ok := Owner(filepath.Base(dir)); !ok || pid != os.Getpid() || Orphan(filepath.Base(dir)) {
		t.Errorf("%s not owned by this process", dir)
	}
}
