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
		{Row: row(t, "raw-uknetdev"), Runs: runsAt(4000)},
		{Row: row(t, "lwip-socket"), Runs: runsAt(100, 100)},
		{Row: row(t, "linux-single"), Runs: runsAt(100)},
		{Row: row(t, "linux-dpdk"), Runs: runsAt(4000)},
		{Row: row(t, "memcached"), Runs: runsAt(150)},
	}}
	got := checksByTarget(o)
	for target, want := range map[string]string{
		"raw-uknetdev at least 1x linux-dpdk":    "met",    // equal is enough
		"raw-uknetdev at least 20x linux-single": "met",    // 40x
		"lwip-socket above 1x linux-single":      "missed", // equal is not above
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
	if d := got["raw-uknetdev at least 20x linux-single"].Detail; d != "40x, paper 57x" {
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
	if s := SummaryTable(o, paper(t), stamp()); !strings.Contains(strings.Join(s.Notes, "\n"), "target raw-uknetdev at least 1x linux-dpdk: not measured (paper 0.98x)") {
		t.Errorf("targets missing from the notes: %v", s.Notes)
	}
}
