package hostnet

import (
	"context"
	"os"
	"testing"

	"github.com/ukkv/ukkv/tools/internal/testenv"
	"github.com/ukkv/ukkv/tools/process"
)

// TestSweepRemovesStateOfGoneOwnersOnly makes what a killed run leaves
// (a namespace, a TAP device, a run folder named for an ended process)
// beside the same of this live process: Sweep takes the first only.
func TestSweepRemovesStateOfGoneOwnersOnly(t *testing.T) {
	testenv.NeedNetAdmin(t)
	dead := testenv.OrphanName(t)
	live := process.OwnedName()
	ctx := context.Background()
	var dirs []string
	for _, id := range []string{dead, live} {
		id := id
		t.Cleanup(func() { _ = RemoveLink(id + "d"); _ = ipTeardown("netns", "del", id) })
		for _, args := range [][]string{{"netns", "add", id}, {"tuntap", "add", "mode", "tap", id + "d"}} {
			if err := ip(ctx, args...); err != nil {
				t.Fatal(err)
			}
		}
		dir, err := os.MkdirTemp("", id+"-run-")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(dir) })
		dirs = append(dirs, dir)
	}
	removed, err := Sweep()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("removed %v", removed)
	assertGone(t, []string{dead + "d"}, []string{dead})
	if _, err := os.Stat(dirs[0]); !os.IsNotExist(err) {
		t.Errorf("run folder %s of an ended owner left", dirs[0])
	}
	if !LinkExists(live+"d") || !namespaceExists(live) {
		t.Error("Sweep removed state of a live owner")
	}
	if _, err := os.Stat(dirs[1]); err != nil {
		t.Errorf("Sweep removed the run folder of a live owner: %v", err)
	}
}
