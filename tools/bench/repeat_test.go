package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ukkv/ukkv/tools/report"
)

// previousOf writes o's reports into a folder and reads its Table 4
// back as an earlier benchmark.
func previousOf(t *testing.T, o *Outcome) *Previous {
	t.Helper()
	p, err := ReadPrevious(written(t, o))
	if err != nil || p == nil {
		t.Fatalf("previous %v: %v", p, err)
	}
	return p
}

// written writes o's reports into a fresh folder and returns it.
func written(t *testing.T, o *Outcome) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := Write(dir, o, paper(t), stamp()); err != nil {
		t.Fatal(err)
	}
	return dir
}

// cellWant is the number a table should hold in a row's column.
type cellWant struct {
	row, col string
	want     float64
}

func checkNumbers(t *testing.T, tb *report.Table, wants []cellWant) {
	t.Helper()
	for _, c := range wants {
		if got := num(t, cell(t, tb, c.row, c.col)); !near(got, c.want) {
			t.Errorf("%s %s: %g, want %g", c.row, c.col, got, c.want)
		}
	}
}

// TestRepeatFlagsRowsAndOrdering: against an earlier benchmark, a row
// more than 10% off is flagged with its ratio, and rows that swapped
// places change the ordering.
func TestRepeatFlagsRowsAndOrdering(t *testing.T) {
	prev := previousOf(t, sampleOutcome(t)) // raw 7,000 > linux-dpdk 4,000 > linux-single 200
	o := sampleOutcome(t)
	o.Rows[0].Runs = runsAt(8500)     // 1.21x: beyond
	o.Rows[2].Runs = runsAt(205)      // 1.025x
	o.Rows[3].Runs = runsAt(150, 150) // 0.0375x, and now below linux-single
	o.Previous = prev
	dir := written(t, o)
	tb := readJSON(t, filepath.Join(dir, RepeatBase+".json"))
	if len(tb.Rows) != 3 {
		t.Fatalf("repeat rows %v, want the three rows measured both times", tb.Rows)
	}
	checkNumbers(t, tb, []cellWant{
		{"raw-uknetdev", "this run", 8500}, {"raw-uknetdev", "previous run", 7000}, {"raw-uknetdev", "rank", 1},
		{"linux-single", "ratio", 1.025}, {"linux-single", "rank", 2}, {"linux-single", "previous rank", 3},
		{"linux-dpdk", "rank", 3}, {"linux-dpdk", "previous rank", 2},
	})
	if cell(t, tb, "raw-uknetdev", "beyond 10%").String() != "yes" || cell(t, tb, "linux-single", "beyond 10%").String() != "no" {
		t.Error("only raw-uknetdev and linux-dpdk differ by more than 10%")
	}
	want := "2 of 3 rows beyond 10%: raw-uknetdev 1.21x, linux-dpdk 0.0375x; another ordering of rows: raw-uknetdev > linux-single > linux-dpdk here, raw-uknetdev > linux-dpdk > linux-single before"
	table4 := readJSON(t, filepath.Join(dir, SummaryBase+".json"))
	if notes := strings.Join(table4.Notes, "\n"); !strings.Contains(notes, "repeat against "+prev.Path) || !strings.Contains(notes, want) {
		t.Errorf("Table 4 notes lack %q:\n%s", want, notes)
	}
}

// TestRepeatOfTheSameFigures: the same figures again repeat: every row
// within 10%, the same ordering.
func TestRepeatOfTheSameFigures(t *testing.T) {
	o := sampleOutcome(t)
	o.Previous = previousOf(t, sampleOutcome(t))
	notes := strings.Join(o.repeatNotes(), "\n")
	if !strings.Contains(notes, "every row within 10%; the same ordering of rows: raw-uknetdev > linux-dpdk > linux-single") {
		t.Errorf("notes: %s", notes)
	}
}

// TestReadPrevious: a folder without a Table 4 has no previous
// benchmark; a damaged one is an error naming the file.
func TestReadPrevious(t *testing.T) {
	dir := t.TempDir()
	if p, err := ReadPrevious(dir); p != nil || err != nil {
		t.Errorf("empty folder: %v, %v", p, err)
	}
	path := filepath.Join(dir, SummaryBase+".json")
	if err := os.WriteFile(path, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadPrevious(dir); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("damaged table: %v", err)
	}
	// a later benchmark with no previous one leaves no repeat report behind
	o := sampleOutcome(t)
	o.Previous = previousOf(t, sampleOutcome(t))
	if _, err := Write(dir, o, paper(t), stamp()); err != nil {
		t.Fatal(err)
	}
	o.Previous = nil
	if _, err := Write(dir, o, paper(t), stamp()); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, RepeatBase+"*")); len(left) > 0 {
		t.Errorf("repeat files left behind: %v", left)
	}
}

// TestRepeatSetsTheMachineBesideEachRow: the machine's own ratio (client
// ceiling against client ceiling) stands beside each row's, and a row
// beyond 10% says whether the machine moved as much.
func TestRepeatSetsTheMachineBesideEachRow(t *testing.T) {
	before := sampleOutcome(t) // raw 7,000, linux-dpdk 4,000, linux-single 200
	before.Ceiling, before.CeilingEnd = &Measurement{RepliesPerS: 3.9e6}, &Measurement{RepliesPerS: 4.1e6}
	o := sampleOutcome(t)
	o.Ceiling, o.CeilingEnd = &Measurement{RepliesPerS: 5.8e6}, &Measurement{RepliesPerS: 6.2e6} // 1.5x
	o.Rows[0].Runs = runsAt(10600)                                                               // 1.51x: as the machine
	o.Rows[2].Runs = runsAt(205)                                                                 // 1.025x: within 10%
	o.Rows[3].Runs = runsAt(8000, 8000)                                                          // 2x: more than the machine
	o.Previous = previousOf(t, before)
	tb := RepeatTable(o, stamp())
	for _, c := range []struct{ row, asMuch string }{{"raw-uknetdev", "yes"}, {"linux-dpdk", "no"}, {"linux-single", ""}} {
		if got := num(t, cell(t, tb, c.row, "machine ratio")); !near(got, 1.5) {
			t.Errorf("%s: machine ratio %g, want 1.5", c.row, got)
		}
		if got := cell(t, tb, c.row, "machine moved as much").String(); got != c.asMuch {
			t.Errorf("%s: machine moved as much %q, want %q", c.row, got, c.asMuch)
		}
	}
	want := "the machine itself (client ceiling, mean of the start's and the end's) 1.5x the earlier benchmark's; " +
		"moved as much as the machine (within 10%): raw-uknetdev; moved otherwise than the machine: linux-dpdk"
	if notes := strings.Join(tb.Notes, "\n"); !strings.Contains(notes, want) {
		t.Errorf("notes lack %q:\n%s", want, notes)
	}
}

// TestRepeatWithoutTheEarlierCeiling: an earlier benchmark without a
// client ceiling leaves the machine's ratio empty, and the notes say so.
func TestRepeatWithoutTheEarlierCeiling(t *testing.T) {
	before := sampleOutcome(t)
	before.Ceiling = nil
	o := sampleOutcome(t)
	o.Rows[0].Runs = runsAt(9000)
	o.Previous = previousOf(t, before)
	tb := RepeatTable(o, stamp())
	if got := cell(t, tb, "raw-uknetdev", "machine ratio").String() + cell(t, tb, "raw-uknetdev", "machine moved as much").String(); got != "" {
		t.Errorf("machine ratio and verdict %q without an earlier ceiling", got)
	}
	if notes := strings.Join(tb.Notes, "\n"); !strings.Contains(notes, "the machine's own ratio is unknown") {
		t.Errorf("notes: %s", notes)
	}
}

// TestRepeatOfTheRatiosBetweenRows: each tracked ratio that both
// benchmarks measured is set beside the earlier one's, flagged when it
// moved more than 10%; the others are left out.
func TestRepeatOfTheRatiosBetweenRows(t *testing.T) {
	// before, run by run: raw-uknetdev / linux-dpdk 8000/4000 = 2x,
	// raw-uknetdev / linux-single the median of 8000/100 and 6000/300 = 50x
	o := sampleOutcome(t)
	o.Rows[0].Runs = runsAt(8400, 6000)    // 8400/4000 = 2.1x
	o.Rows[2].Runs = runsAt(100, 200, 200) // the median of 84x and 30x = 57x
	o.Previous = previousOf(t, sampleOutcome(t))
	dir := written(t, o)
	tb := readJSON(t, filepath.Join(dir, RepeatRatiosBase+".json"))
	if len(tb.Rows) != 2 {
		t.Fatalf("ratio rows %v, want raw-uknetdev over linux-dpdk and over linux-single", tb.Rows)
	}
	checkNumbers(t, tb, []cellWant{
		{"raw-uknetdev / linux-dpdk", "this run", 2.1}, {"raw-uknetdev / linux-dpdk", "previous run", 2},
		{"raw-uknetdev / linux-single", "this run", 57}, {"raw-uknetdev / linux-single", "moved", 57.0 / 50},
	})
	if cell(t, tb, "raw-uknetdev / linux-dpdk", "beyond 10%").String() != "no" || cell(t, tb, "raw-uknetdev / linux-single", "beyond 10%").String() != "yes" {
		t.Error("only raw-uknetdev / linux-single moved more than 10%")
	}
	want := "repeat of the ratios between rows: 1 of 2 moved beyond 10%: raw-uknetdev / linux-single 57x here, 50x before"
	for _, base := range []string{RepeatBase, RepeatRatiosBase, SummaryBase} {
		if notes := strings.Join(readJSON(t, filepath.Join(dir, base+".json")).Notes, "\n"); !strings.Contains(notes, want) {
			t.Errorf("%s notes lack %q:\n%s", base, want, notes)
		}
	}
}

// TestRepeatOfTheRatiosWithoutTheEarlierRuns: an earlier benchmark whose
// runs are missing is held by the ratios of its medians.
func TestRepeatOfTheRatiosWithoutTheEarlierRuns(t *testing.T) {
	dir := written(t, sampleOutcome(t)) // medians: raw-uknetdev 7000, linux-dpdk 4000
	if err := os.Remove(filepath.Join(dir, RunsBase+".json")); err != nil {
		t.Fatal(err)
	}
	p, err := ReadPrevious(dir)
	if err != nil || p == nil || p.Runs != nil {
		t.Fatalf("previous without runs: %+v, %v", p, err)
	}
	if got := p.rowRatio("raw-uknetdev", "linux-dpdk"); got != 1.75 {
		t.Errorf("raw-uknetdev / linux-dpdk before: %g, want 1.75 from the medians", got)
	}
}
