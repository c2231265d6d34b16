package experiment

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ukkv/ukkv/tools/bench"
	"github.com/ukkv/ukkv/tools/boot"
	"github.com/ukkv/ukkv/tools/qemu"
	"github.com/ukkv/ukkv/tools/report"
	"github.com/ukkv/ukkv/tools/variant"
)

// knownCompare is two Unikraft rows in both build profiles with known
// sizes and throughputs: raw-uknetdev@size keeps 0.97x of its perf
// build's, lwip-socket@size 0.8x with two wrong replies.
func knownCompare(t *testing.T) ([]compareRow, throughputs) {
	t.Helper()
	sizes := map[string]int64{"raw-uknetdev": 250_000, "raw-uknetdev@size": 200_000, "lwip-socket": 300_000, "lwip-socket@size": 240_000}
	runs := map[string][]bench.Measurement{
		"raw-uknetdev":      {{RepliesPerS: 100}, {RepliesPerS: 110}, {RepliesPerS: 90}},
		"raw-uknetdev@size": {{RepliesPerS: 96}, {RepliesPerS: 97}, {RepliesPerS: 98}},
		"lwip-socket":       {{RepliesPerS: 50}},
		"lwip-socket@size":  {{RepliesPerS: 40, Wrong: 2}},
	}
	out := &bench.Outcome{Workload: bench.DefaultWorkload(), Runs: 3}
	var rows []compareRow
	for _, name := range []string{"raw-uknetdev", "raw-uknetdev@size", "lwip-socket", "lwip-socket@size"} {
		v, err := variant.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, compareRow{row: v, bytes: sizes[name],
			boots: bootTimes{img: &boot.Image{Name: name}, times: []time.Duration{50 * time.Millisecond}}})
		out.Rows = append(out.Rows, bench.RowResult{Row: v, Runs: runs[name]})
	}
	return rows, throughputs{out: out}
}

// column is the named column of the table's row that starts with row.
func column(t *testing.T, tb *report.Table, row, name string) report.Cell {
	t.Helper()
	c := slices.IndexFunc(tb.Columns, func(c report.Column) bool { return c.Name == name })
	if c < 0 {
		t.Fatalf("no column %q", name)
	}
	for _, cells := range tb.Rows {
		if cells[0].String() == row {
			return cells[c]
		}
	}
	t.Fatalf("no row %q", row)
	return report.Cell{}
}

func TestCompareTableSetsEachProfilesThroughputBesideItsPerfBuilds(t *testing.T) {
	rows, tp := knownCompare(t)
	floor := bootTimes{img: &boot.Image{Name: boot.FloorName}, times: []time.Duration{20 * time.Millisecond}}
	tb := compareTable(floor, rows, qemu.TCG, tp)

	for _, want := range []struct {
		row, column string
		value       float64 // NaN: empty
	}{
		{"raw-uknetdev", "throughput", 100}, {"raw-uknetdev", "throughput min", 90}, {"raw-uknetdev", "throughput max", 110},
		{"raw-uknetdev", "throughput vs perf", math.NaN()}, {"raw-uknetdev", "wrong", 0},
		// run by run: the median of 96/100, 97/110 and 98/90
		{"raw-uknetdev@size", "throughput", 97}, {"raw-uknetdev@size", "throughput vs perf", 0.96},
		{"lwip-socket@size", "throughput vs perf", 0.8}, {"lwip-socket@size", "wrong", 2},
		{boot.FloorName, "throughput", math.NaN()},
	} {
		got, ok := column(t, tb, want.row, want.column).Number()
		switch {
		case math.IsNaN(want.value) && ok:
			t.Errorf("%s %s = %g, want empty", want.row, want.column, got)
		case !math.IsNaN(want.value) && (!ok || math.Abs(got-want.value) > 1e-9):
			t.Errorf("%s %s = %g (number: %v), want %g", want.row, want.column, got, ok, want.value)
		}
	}

	notes := strings.Join(tb.Notes, "\n")
	for _, want := range []string{
		"target raw-uknetdev@size at least 0.95x raw-uknetdev: met (0.96x, runs 0.882-1.09x); its image is 50,000 bytes (20%) smaller, for 4% less throughput",
		"target lwip-socket@size at least 0.95x lwip-socket: missed (0.8x); its image is 60,000 bytes (20%) smaller, for 20% less throughput",
		"target no wrong reply in any row: missed (lwip-socket@size: 2)",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
}

func TestCompareTableWithoutThroughputSaysWhy(t *testing.T) {
	rows, _ := knownCompare(t)
	floor := bootTimes{img: &boot.Image{Name: boot.FloorName}, times: []time.Duration{20 * time.Millisecond}}
	tb := compareTable(floor, rows, qemu.TCG, throughputs{missing: "no row was measured:\n  raw-uknetdev skipped"})
	if _, ok := column(t, tb, "raw-uknetdev@size", "throughput").Number(); ok {
		t.Error("a throughput without a measurement")
	}
	if notes := strings.Join(tb.Notes, "\n"); !strings.Contains(notes, "throughput: not measured: no row was measured:") ||
		strings.Contains(notes, "raw-uknetdev skipped") {
		t.Errorf("notes should give the reason's first line:\n%s", notes)
	}
}
