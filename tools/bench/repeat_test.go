package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// previousOf writes o's reports into a folder and reads its Table 4
// back as an earlier benchmark.
func previousOf(t *testing.T, o *Outcome) *Previous {
	t.Helper()
	dir := t.TempDir()
	if _, err := Write(dir, o, paper(t), stamp()); err != nil {
		t.Fatal(err)
	}
	p, err := ReadPrevious(dir)
	if err != nil || p == nil {
		t.Fatalf("previous %v: %v", p, err)
	}
	return p
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
	dir := t.TempDir()
	if _, err := Write(dir, o, paper(t), stamp()); err != nil {
		t.Fatal(err)
	}
	tb := readJSON(t, filepath.Join(dir, RepeatBase+".json"))
	if len(tb.Rows) != 3 {
		t.Fatalf("repeat rows %v, want the three rows measured both times", tb.Rows)
	}
	for _, c := range []struct {
		row, col string
		want     float64
	}{
		{"raw-uknetdev", "this run", 8500}, {"raw-uknetdev", "previous run", 7000}, {"raw-uknetdev", "rank", 1},
		{"linux-single", "ratio", 1.025}, {"linux-single", "rank", 2}, {"linux-single", "previous rank", 3},
		{"linux-dpdk", "rank", 3}, {"linux-dpdk", "previous rank", 2},
	} {
		if got := num(t, cell(t, tb, c.row, c.col)); !near(got, c.want) {
			t.Errorf("%s %s: %g, want %g", c.row, c.col, got, c.want)
		}
	}
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
