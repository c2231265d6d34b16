package bench

import (
	"math"
	"testing"
)

// TestPairedRatioCancelsTheMachinesDrift: two rows measured round-robin
// on a machine that slows down in the last round keep their ratio run by
// run, where the ratio of their medians would not.
func TestPairedRatioCancelsTheMachinesDrift(t *testing.T) {
	row, base := []float64{100, 200, 150}, []float64{10, 20, 30}
	got := pairedRatio(row, base)
	if got.Median != 10 || got.Min != 5 || got.Max != 10 {
		t.Errorf("paired ratio %+v, want median 10, min 5, max 10", got)
	}
	if medians := Summarize(row).Median / Summarize(base).Median; medians == got.Median {
		t.Errorf("the medians' ratio %g should differ from the paired one here", medians)
	}
}

// TestPairedRatioTakesTheRunsBothHave: a row stopped after a failed run
// is held against the other's runs of the same rounds only; no shared
// run gives NaN.
func TestPairedRatioTakesTheRunsBothHave(t *testing.T) {
	if got := pairedRatio([]float64{40}, []float64{10, 1, 1}); got.Median != 4 || got.Min != 4 || got.Max != 4 {
		t.Errorf("one shared run: %+v, want 4", got)
	}
	if got := pairedRatio(nil, []float64{10}); !math.IsNaN(got.Median) {
		t.Errorf("no shared run: %+v, want NaN", got)
	}
}

// TestRatioCheckNamesTheRunsSpread: a target's detail gives the run-by-run
// ratios' spread beside their median.
func TestRatioCheckNamesTheRunsSpread(t *testing.T) {
	o := &Outcome{Rows: []RowResult{
		{Row: row(t, "batched"), Runs: runsAt(140, 90, 150)},
		{Row: row(t, "lwip-socket"), Runs: runsAt(100, 50, 100)},
	}}
	c := o.AtLeast("batched", "lwip-socket", 1.3)
	if c.Status != "met" || c.Detail != "1.5x, runs 1.4-1.8x" {
		t.Errorf("%+v, want met with 1.5x, runs 1.4-1.8x", c)
	}
}
