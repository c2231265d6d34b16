package bench

import (
	"math"
	"testing"
)

func TestSummarize(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want Spread
	}{
		{[]float64{5}, Spread{5, 5, 5}},
		{[]float64{9, 1, 5}, Spread{5, 1, 9}},
		{[]float64{4, 10, 1, 2}, Spread{3, 1, 10}},
	} {
		in := append([]float64(nil), c.in...)
		if got := Summarize(c.in); got != c.want {
			t.Errorf("Summarize(%v) = %+v, want %+v", in, got, c.want)
		}
		for i := range in {
			if in[i] != c.in[i] {
				t.Errorf("Summarize reordered its input: %v", c.in)
			}
		}
	}
	if s := Summarize(nil); !math.IsNaN(s.Median) || !math.IsNaN(s.Min) || !math.IsNaN(s.Max) {
		t.Errorf("Summarize(nil) = %+v, want NaNs", s)
	}
}
