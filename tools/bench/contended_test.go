package bench

import (
	"slices"
	"strings"
	"testing"

	"github.com/ukkv/ukkv/tools/variant"
)

func rowWithP50s(name string, p50s ...float64) RowResult {
	r := RowResult{Row: &variant.Variant{Name: name}}
	for _, p := range p50s {
		r.Runs = append(r.Runs, Measurement{P50: p, RepliesPerS: 1e6 / p})
	}
	return r
}

func TestContendedRunsFlagsOnlyARunFarAboveTheOthers(t *testing.T) {
	cases := []struct {
		p50s []float64
		want []int
	}{
		{[]float64{100, 9000, 110}, []int{2}},
		{[]float64{100, 900, 110}, nil}, // 8x: within the spread
		{[]float64{100, 120, 110}, nil},
		{[]float64{100}, nil}, // nothing to compare with
		{[]float64{9000, 10000}, nil},
		{[]float64{100, 1000}, []int{2}},
	}
	for _, c := range cases {
		if got := rowWithP50s("r", c.p50s...).contendedRuns(); !slices.Equal(got, c.want) {
			t.Errorf("p50s %v: flagged %v, want %v", c.p50s, got, c.want)
		}
	}
}

func TestNotesNameTheContendedRun(t *testing.T) {
	o := &Outcome{Runs: 3, Rows: []RowResult{rowWithP50s("raw-uknetdev", 90, 10000, 95), rowWithP50s("linux-dpdk", 300, 310, 290)}}
	notes := strings.Join(o.notes(), "\n")
	if !strings.Contains(notes, "raw-uknetdev run 2: p50 10000 µs") {
		t.Errorf("no note on raw-uknetdev's run 2 in:\n%s", notes)
	}
	if strings.Contains(notes, "linux-dpdk run") {
		t.Errorf("linux-dpdk flagged in:\n%s", notes)
	}
}
