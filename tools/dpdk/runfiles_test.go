package dpdk

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ukkv/ukkv/tools/internal/testenv"
	"github.com/ukkv/ukkv/tools/process"
)

// TestSweepRemovesRuntimeFoldersOfGoneOwners makes the runtime folder a
// killed run leaves beside one of this live process: Sweep takes the
// first only.
func TestSweepRemovesRuntimeFoldersOfGoneOwners(t *testing.T) {
	testenv.NeedRoot(t)
	dead := filepath.Join(runtimeDir, testenv.OrphanName(t))
	live := filepath.Join(runtimeDir, process.OwnedName())
	for _, dir := range []string{dead, live} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(dir) })
	}
	if err := os.WriteFile(filepath.Join(dead, "config"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	removed, err := Sweep()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("removed %v", removed)
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Errorf("%s of an ended owner left (%v)", dead, err)
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("Sweep removed %s of a live owner: %v", live, err)
	}
	if err := RemoveRunFiles(filepath.Base(live)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(live); !os.IsNotExist(err) {
		t.Errorf("RemoveRunFiles left %s", live)
	}
}
