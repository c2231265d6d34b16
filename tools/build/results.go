package build

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ukkv/ukkv/tools/report"
	"github.com/ukkv/ukkv/tools/variant"
)

// ResultsDir is where a build of every variant reports, relative to the
// repository root.
const ResultsDir = "results/build"

// WriteResults reports a build of every Unikraft variant: images.* gets
// one row per image, and wall.* this run's wall time as the cold figure
// when every variant was built in a fresh folder, or the no-op figure when
// none was built; an incremental build is no figure of either.
func WriteResults(repoRoot string, results []Result, wall time.Duration, stamp report.Stamp) ([]string, error) {
	images := &report.Table{
		Title: "Unikraft images",
		Stamp: stamp,
		Columns: []report.Column{
			{Name: "variant"}, {Name: "image", Unit: "bytes"}, {Name: "size target", Unit: "bytes"},
			{Name: "within target"}, {Name: "build", Unit: "s"}, {Name: "backend"}, {Name: "sha256"},
		},
		Notes: []string{"build is each image's own build time, taken when it was last built"},
	}
	built, cold := 0, 0
	for _, r := range results {
		if r.Manifest == nil {
			return nil, fmt.Errorf("no results: %s did not build", r.Variant)
		}
		v, err := variant.Lookup(r.Variant)
		if err != nil {
			return nil, err
		}
		m, target := r.Manifest, v.SizeBudget
		within := "no"
		if m.Bytes < target {
			within = "yes"
		}
		images.AddRow(report.Text(m.Variant), report.Int(m.Bytes), report.Int(target), report.Text(within),
			report.Num(m.BuildSeconds), report.Text(m.Backend), report.Text(m.SHA256))
		if r.Built {
			built++
		}
		if r.Cold {
			cold++
		}
	}
	dir := filepath.Join(repoRoot, ResultsDir)
	paths, err := report.WriteAll(dir, "images", images)
	if err != nil {
		return nil, err
	}
	kind := ""
	switch {
	case built == 0:
		kind = "no-op"
	case cold == len(results):
		kind = "cold"
	default:
		return paths, nil
	}
	wallTable, err := wallTable(dir, stamp, kind, len(results), wall)
	if err != nil {
		return nil, err
	}
	more, err := report.WriteAll(dir, "wall", wallTable)
	return append(paths, more...), err
}

// wallTable keeps one row per kind of run (cold, no-op), replacing this
// kind's row with this run.
func wallTable(dir string, stamp report.Stamp, kind string, variants int, wall time.Duration) (*report.Table, error) {
	t := &report.Table{
		Title:   "Wall time of `ukkv build all`",
		Columns: []report.Column{{Name: "run"}, {Name: "variants"}, {Name: "wall", Unit: "s"}, {Name: "date"}},
		Notes:   []string{"cold: every variant built in a fresh build folder; no-op: nothing changed, nothing built"},
	}
	if f, err := os.Open(filepath.Join(dir, "wall.json")); err == nil {
		old, err := report.ReadJSON(f)
		f.Close()
		if err != nil {
			return nil, err
		}
		for _, row := range old.Rows {
			if row[0].String() != kind {
				t.Rows = append(t.Rows, row)
			}
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	t.Stamp = stamp
	t.AddRow(report.Text(kind), report.Int(int64(variants)), report.Num(wall.Seconds()),
		report.Text(stamp.Date.Format(time.RFC3339)))
	return t, nil
}
