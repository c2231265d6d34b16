package report

import (
	"fmt"
	"math"
)

// BarChart is a bar chart of one or more series, drawn as SVG: one group
// of bars per label, one bar per series in each group ("ours" and
// "paper", say).
type BarChart struct {
	// Name tells the charts of one report apart in file names; WriteAll
	// needs it when a report has more than one chart.
	Name  string
	Title string
	// Unit is the unit of the values, shown on the value axis.
	Unit string
	// Horizontal draws bars from left to right, labels on the left.
	Horizontal bool
	// Log draws the value axis in decades, for values that span several
	// (throughput from 10k to 10M). Bars start at the axis base, so values
	// below it (<= 0 on a log axis, < 0 on a linear one) have no bar, only
	// their label.
	Log bool
	// Stacked draws each group's bars end to end as one bar, each
	// series a segment: the parts of a whole. Error bars are not drawn.
	Stacked bool
	// Series names the bars of each group, shown as a legend when there
	// is more than one; nil means one unnamed series.
	Series []string
	Groups []BarGroup
}

// BarGroup is one label and its bars, one per series.
type BarGroup struct {
	Label string
	Bars  []Bar
}

// Bar is one value. Low < High draws an error bar between them (min and
// max of several runs). A NaN value is a missing one, labelled "n/a".
type Bar struct {
	Value     float64
	Low, High float64
}

// Missing is a bar with no value, e.g. a row the paper did not measure.
func Missing() Bar { return Bar{Value: math.NaN()} }

func (b Bar) hasRange() bool { return b.Low < b.High }

func (c *BarChart) seriesCount() int { return max(1, len(c.Series)) }

// barsPerGroup is how many bars side by side each group has.
func (c *BarChart) barsPerGroup() int {
	if c.Stacked {
		return 1
	}
	return c.seriesCount()
}

// stackTotal is the length of a group's stacked bar.
func stackTotal(g BarGroup) float64 {
	var t float64
	for _, b := range g.Bars {
		if b.Value > 0 {
			t += b.Value
		}
	}
	return t
}

func (c *BarChart) check() error {
	if len(c.Groups) == 0 {
		return fmt.Errorf("bar chart %q has no bars", c.Title)
	}
	for _, g := range c.Groups {
		if len(g.Bars) != c.seriesCount() {
			return fmt.Errorf("bar chart %q: group %q has %d bars for %d series", c.Title, g.Label, len(g.Bars), c.seriesCount())
		}
	}
	return nil
}

// scale maps values onto the value axis as a fraction of its length.
type scale struct {
	log    bool
	lo, hi float64
	// step is the distance between grid lines of a linear scale.
	step float64
}

// newScale fits a scale to every value and error bar of the chart:
// linear from zero to a round number, or logarithmic from decade to decade.
func (c *BarChart) newScale() scale {
	lo, hi := math.Inf(1), 0.0
	for _, g := range c.Groups {
		if c.Stacked {
			if t := stackTotal(g); t > 0 {
				lo, hi = math.Min(lo, t), math.Max(hi, t)
			}
			continue
		}
		for _, b := range g.Bars {
			for _, v := range []float64{b.Value, b.Low, b.High} {
				if v > 0 {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
		}
	}
	if c.Log {
		if hi == 0 {
			return scale{log: true, lo: 1, hi: 10}
		}
		// The decade below the smallest value, so that even a value of
		// exactly 10k gets a visible bar.
		lo = math.Pow(10, math.Ceil(math.Log10(lo))-1)
		hi = math.Pow(10, math.Ceil(math.Log10(hi)))
		return scale{log: true, lo: lo, hi: hi}
	}
	if hi == 0 {
		return scale{lo: 0, hi: 1, step: 0.2}
	}
	step := niceStep(hi / 5)
	return scale{lo: 0, hi: math.Ceil(hi/step) * step, step: step}
}

// niceStep is the smallest of 1, 2 or 5 times a power of ten >= raw.
func niceStep(raw float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

// frac is v's place on the axis, from 0 (the base) to 1, clamped.
func (s scale) frac(v float64) float64 {
	var f float64
	if s.log {
		if v <= 0 {
			return 0
		}
		f = math.Log10(v/s.lo) / math.Log10(s.hi/s.lo)
	} else {
		f = (v - s.lo) / (s.hi - s.lo)
	}
	return math.Max(0, math.Min(1, f))
}

// ticks are the values with a grid line: each decade, or five or so steps.
func (s scale) ticks() []float64 {
	var ts []float64
	if s.log {
		first, last := math.Round(math.Log10(s.lo)), math.Round(math.Log10(s.hi))
		for e := first; e <= last; e++ {
			ts = append(ts, math.Pow(10, e))
		}
		return ts
	}
	n := int(math.Round(s.hi / s.step))
	for i := 0; i <= n; i++ {
		ts = append(ts, float64(i)*s.step)
	}
	return ts
}
