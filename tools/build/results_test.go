package build

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ukkv/ukkv/tools/report"
)

// wallKinds reads back which kinds of run wall.json holds, with their
// wall times.
func wallKinds(t *testing.T, root string) map[string]float64 {
	t.Helper()
	f, err := os.Open(filepath.Join(root, ResultsDir, "wall.json"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tb, err := report.ReadJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]float64{}
	for _, row := range tb.Rows {
		wall, _ := row[2].Number()
		kinds[row[0].String()] = wall
	}
	return kinds
}

func builtResults(built, cold bool) []Result {
	var rs []Result
	for _, name := range []string{"batched", "lwip-socket", "raw-uknetdev"} {
		m := &Manifest{Variant: name, Bytes: 1000, SHA256: "00", Backend: "make"}
		rs = append(rs, Result{Variant: name, Manifest: m, Built: built, Cold: built && cold})
	}
	return rs
}

func TestWallTimeCountsOnlyColdAndNoOpBuilds(t *testing.T) {
	root := t.TempDir()
	write := func(rs []Result, wall time.Duration) {
		t.Helper()
		if _, err := WriteResults(root, rs, wall, report.NewStamp("", nil)); err != nil {
			t.Fatal(err)
		}
	}
	write(builtResults(true, false), 5*time.Second)
	if k := wallKinds(t, root); len(k) != 0 {
		t.Errorf("an incremental build was reported as %v", k)
	}
	write(builtResults(true, true), 40*time.Second)
	write(builtResults(false, false), 20*time.Millisecond)
	write(builtResults(true, false), 7*time.Second)
	k := wallKinds(t, root)
	if len(k) != 2 || k["cold"] != 40 || k["no-op"] != 0.02 {
		t.Errorf("wall times %v: want cold 40 s and no-op 0.02 s only", k)
	}
}
