package bench

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestCeilingsAtBothEnds: the ceilings at the start and at the end are
// rows of Table 4 and of the runs table, the notes say how far the
// machine moved between them, and a row's share of the ceiling is of
// their mean.
func TestCeilingsAtBothEnds(t *testing.T) {
	o := sampleOutcome(t)
	o.Ceiling, o.CeilingEnd = &Measurement{RepliesPerS: 4.3e6}, &Measurement{RepliesPerS: 4.085e6}
	dir := t.TempDir()
	if _, err := Write(dir, o, paper(t), stamp()); err != nil {
		t.Fatal(err)
	}
	tb := readJSON(t, filepath.Join(dir, SummaryBase+".json"))
	for name, want := range map[string]float64{ceilingStartRow: 4.3e6, ceilingEndRow: 4.085e6} {
		if got := num(t, cell(t, tb, name, "throughput")); got != want {
			t.Errorf("%s %g, want %g", name, got, want)
		}
		if got := num(t, cell(t, readJSON(t, filepath.Join(dir, RunsBase+".json")), name, "replies")); got != want {
			t.Errorf("runs table: %s %g, want %g", name, got, want)
		}
	}
	if got := num(t, cell(t, tb, "raw-uknetdev", "of client ceiling")); !near(got, 100*7000/4.1925e6) {
		t.Errorf("raw-uknetdev of client ceiling %g%%, want of the ceilings' mean", got)
	}
	want := "client ceiling 4,300,000 req/s at the start, 4,085,000 req/s at the end: the machine moved -5% during the benchmark"
	if notes := strings.Join(tb.Notes, "\n"); !strings.Contains(notes, want) {
		t.Errorf("notes lack %q:\n%s", want, notes)
	}
}

// TestACeilingMissingAtTheEnd: the notes say why, and nothing of a drift.
func TestACeilingMissingAtTheEnd(t *testing.T) {
	o := sampleOutcome(t)
	o.CeilingEndErr = errors.New("no ring\nmore")
	note := o.ceilingNote()
	if !strings.Contains(note, "2,000,000 req/s at the start, not measured (no ring) at the end") || strings.Contains(note, "moved") {
		t.Errorf("note %q", note)
	}
	o.Ceiling = nil
	if note := o.ceilingNote(); note != "client ceiling not measured at the start, not measured (no ring) at the end" {
		t.Errorf("note %q", note)
	}
}
