package bench

import (
	"errors"
	"strings"
	"testing"
)

func checksByTarget(o *Outcome) map[string]Check {
	m := map[string]Check{}
	for _, c := range o.Checks() {
		m[c.Target] = c
	}
	return m
}

func TestChecksJudgeTheTargetsOfOneRun(t *testing.T) {
	o := &Outcome{Rows: []RowResult{
		{Row: row(t, "raw-uknetdev"), Runs: runsAt(4400)},
		{Row: row(t, "lwip-socket"), Runs: runsAt(50, 50)},
		{Row: row(t, "batched"), Runs: runsAt(64)},
		{Row: row(t, "linux-single"), Runs: runsAt(50)},
		{Row: row(t, "linux-dpdk"), Runs: runsAt(4000)},
		{Row: row(t, "memcached"), Runs: runsAt(150)},
	}}
	got := checksByTarget(o)
	for target, want := range map[string]string{
		"raw-uknetdev at least 1.1x linux-dpdk":  "met",    // exactly 1.1x is enough
		"raw-uknetdev at least 57x linux-single": "met",    // 88x
		"lwip-socket above 1x linux-single":      "missed", // equal is not above
		"batched at least 1.3x lwip-socket":      "missed", // 1.28x
		"linux-batch at least 1.3x linux-single": "not measured",
		"metal-batch above 1x metal-single":      "not measured",
		"raw-uknetdev above memcached":           "met",
		"linux-single above memcached":           "missed",
		"no wrong reply in any row":              "missed", // lwip-socket's second run
	} {
		if c, ok := got[target]; !ok || c.Status != want {
			t.Errorf("%s: %+v, want %s", target, c, want)
		}
	}
	if d := got["no wrong reply in any row"].Detail; d != "lwip-socket: 1" {
		t.Errorf("wrong replies detail %q", d)
	}
	if d := got["raw-uknetdev at least 57x linux-single"].Detail; d != "88x, paper 57x" {
		t.Errorf("ratio detail %q", d)
	}
}

func TestChecksWithoutTheRowsAreNotMeasured(t *testing.T) {
	o := &Outcome{Rows: []RowResult{
		{Row: row(t, "raw-uknetdev"), Runs: runsAt(4000)},
		{Row: row(t, "linux-dpdk"), Skipped: "no variant"},
		{Row: row(t, "linux-single"), Failed: errors.New("boot")},
	}}
	for _, c := range o.Checks() {
		if c.Target == "no wrong reply in any row" {
			if c.Status != "met" {
				t.Errorf("%+v", c)
			}
			continue
		}
		if c.Status != "not measured" {
			t.Errorf("%s: %s with a baseline missing", c.Target, c.Status)
		}
	}
	if s := SummaryTable(o, paper(t), stamp()); !strings.Contains(strings.Join(s.Notes, "\n"), "target raw-uknetdev at least 1.1x linux-dpdk: not measured (paper 0.98x)") {
		t.Errorf("targets missing from the notes: %v", s.Notes)
	}
}

// TestSinglePointCheck: a peak at or above the step at the single-point
// window meets the target; one below it misses, saying which bound the
// single-point step broke.
func TestSinglePointCheck(t *testing.T) {
	open := SweepStep{Load: 5000, Offered: 5000, Measurement: Measurement{RepliesPerS: 5000}, Within: true}
	ref := SweepStep{Phase: PhaseReference, Load: 16, Window: 16, Measurement: Measurement{RepliesPerS: 8000}, Within: true}
	sw := DefaultSweep()
	o := &Outcome{Sweep: &sw, Rows: []RowResult{
		{Row: row(t, "raw-uknetdev"), Sweep: &SweepResult{Steps: []SweepStep{open, ref}, Peak: 1, Reference: 1}},
		{Row: row(t, "linux-single"), Sweep: &SweepResult{Steps: []SweepStep{open, ref}, Peak: 0, Reference: 1}},
		{Row: row(t, "linux-dpdk"), Sweep: &SweepResult{Steps: []SweepStep{open}, Peak: 0, Reference: -1}},
		{Row: row(t, "lwip-socket"), Sweep: &SweepResult{Steps: []SweepStep{open, {Phase: PhaseReference, Load: 16, Window: 16, Broke: "no right reply"}}, Peak: 0, Reference: 1}},
	}}
	o.Rows[1].Sweep.Steps[1].Within, o.Rows[1].Sweep.Steps[1].Broke = false, "p50 900 µs above 800 µs"
	got := checksByTarget(o)
	for name, want := range map[string]string{
		"raw-uknetdev": "met (peak 8,000 req/s at window 16, single-point 8,000 req/s: 1x)",
		"linux-single": "missed (peak 5,000 req/s at 5,000 req/s, single-point 8,000 req/s: 0.625x; the single-point step broke its bounds: p50 900 µs above 800 µs)",
		"linux-dpdk":   "not measured",
		"lwip-socket":  "missed (peak 5,000 req/s at 5,000 req/s, single-point 0 req/s: x; the single-point step broke its bounds: no right reply)",
	} {
		c := got[name+" peak at least its single-point (window 16, same session)"]
		if s := strings.TrimPrefix(c.String(), "target "+c.Target+": "); s != want {
			t.Errorf("%s: %q, want %q", name, s, want)
		}
	}
}
