package bench

import (
	"fmt"
	"math"
	"sort"

	"github.com/ukkv/ukkv/tools/report"
)

// SweepBase names the sweep's report files: every step of every row.
const SweepBase = "sweep"

var sweepColumns = []report.Column{
	{Name: "row"}, {Name: "step"}, {Name: "phase"}, {Name: "loop"},
	{Name: "offered", Unit: "req/s"}, {Name: "replies", Unit: "req/s"},
	{Name: "p50", Unit: "µs"}, {Name: "p99", Unit: "µs"}, {Name: "p99.9", Unit: "µs"},
	{Name: "requests sent"}, {Name: "lost"}, {Name: "wrong"},
	{Name: "within bounds"}, {Name: "peak"}, {Name: "broke"},
}

// SweepTable has every step of every row's sweep, then the row's runs
// at its peak (phase "confirm").
func SweepTable(o *Outcome, stamp report.Stamp) *report.Table {
	t := &report.Table{
		Title:   "Every step of the load sweeps",
		Stamp:   stamp,
		Columns: sweepColumns,
		Notes:   o.sweepNotes(),
	}
	for _, r := range o.Rows {
		if r.Sweep == nil {
			continue
		}
		for i, st := range r.Sweep.Steps {
			peak := ""
			if i == r.Sweep.Peak {
				peak = "peak"
			}
			t.AddRow(stepCells(r.Name(), i+1, st.Phase, st.Loop(), st.Offered, st.Measurement, yesNo(st.Within), peak, st.Broke)...)
		}
		loop := ""
		if p, ok := r.Sweep.PeakStep(); ok {
			loop = p.Loop()
		}
		for i, m := range r.Runs {
			t.AddRow(stepCells(r.Name(), len(r.Sweep.Steps)+i+1, PhaseConfirm, loop, r.peakOffered(), m, "", "", "")...)
		}
	}
	return t
}

func stepCells(row string, n int, phase, loop string, offered float64, m Measurement, within, peak, broke string) []report.Cell {
	return []report.Cell{
		report.Text(row), report.Int(int64(n)), report.Text(phase), report.Text(loop),
		report.Num(offered), report.Num(m.RepliesPerS),
		report.Num(m.P50), report.Num(m.P99), report.Num(m.P999),
		report.Int(int64(m.Requests)), report.Int(int64(m.Lost)), report.Int(int64(m.Wrong)),
		report.Text(within), report.Text(peak), report.Text(broke),
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// peakOffered is the offered load of the row's peak, NaN without one.
func (r RowResult) peakOffered() float64 {
	p, ok := r.Sweep.PeakStep()
	if !ok {
		return math.NaN()
	}
	return p.Offered
}

// singlePoint is the right replies a second of the sweep's step at the
// single-point window, NaN without one.
func (r RowResult) singlePoint() float64 {
	ref, ok := r.Sweep.ReferenceStep()
	if !ok {
		return math.NaN()
	}
	return ref.RepliesPerS
}

// peakVsSinglePoint is the sweep's peak step over its single-point
// step, both in one session; NaN without either (no peak counts as 0).
func (r RowResult) peakVsSinglePoint() float64 {
	peak, _ := r.Sweep.PeakStep()
	return peak.RepliesPerS / r.singlePoint()
}

// sweepNotes say how the sweeps rose and why each stopped.
func (o *Outcome) sweepNotes() []string {
	if o.Sweep == nil {
		return nil
	}
	s := o.Sweep
	loop := fmt.Sprintf("open loop from %s req/s", formatRate(s.Start))
	if s.Closed {
		loop = fmt.Sprintf("closed loop from a window of %.0f", s.Start)
	}
	notes := []string{
		fmt.Sprintf("sweep: %s, x%g a step (at most %d steps), then %d steps halving the gap around the knee; then a closed loop whose window rises the same way from %d (the single-point mode's), or from 1 when the client could not send the open loop's rate; a step beyond bounds is measured again %d time(s) and the last judged; each step %s after %s of warm-up, in one load generator session (one guest boot)",
			loop, s.Factor, s.MaxSteps, s.Refine, s.Window, s.Retries, s.Duration, s.Warmup),
		"bounds of a sustainable step: " + s.Bounds.String(),
		fmt.Sprintf("peak: the step within bounds with the most right replies; Table 4's figure is the median of %d run(s) of %s at its load, each in a fresh session", o.Runs, o.Workload.Duration),
	}
	for _, r := range o.Rows {
		if r.Sweep == nil || len(r.Sweep.Steps) == 0 {
			continue
		}
		notes = append(notes, fmt.Sprintf("%s: light-load p50 %s µs, p50 bound %s µs, p99 bound %s µs; %s%s",
			r.Name(), formatRate(r.Sweep.LightP50), formatRate(r.Sweep.P50Bound), formatRate(r.Sweep.P99Bound), r.Sweep.Stopped, starvedNote(r.Sweep.Steps[0])))
	}
	return notes
}

// starvedNote warns when the light-load step, which sets the bounds, is
// itself a busy machine's: its client could not send its rate.
func starvedNote(light SweepStep) string {
	if light.Window > 0 || light.RequestsPerS >= clientShortfall*light.Load {
		return ""
	}
	return fmt.Sprintf("; the light-load step sent %s of %s req/s: the machine was busy, and bounds taken from it are loose", formatRate(light.RequestsPerS), formatRate(light.Load))
}

// SweepCharts draw every row's sweep: replies against offered load, and
// p99 against replies, each peak ringed. No sweep, no chart.
func SweepCharts(o *Outcome) []*report.LineChart {
	replies := &report.LineChart{Name: "replies", Title: "Right replies against offered load",
		XLabel: "offered load, req/s", YLabel: "right replies/s"}
	latency := &report.LineChart{Name: "latency", Title: "p99 latency against throughput",
		XLabel: "right replies/s", YLabel: "p99 latency, µs"}
	for _, r := range o.Rows {
		if r.Sweep == nil || len(r.Sweep.Steps) == 0 {
			continue
		}
		steps := make([]int, len(r.Sweep.Steps))
		for i := range steps {
			steps[i] = i
		}
		// refining steps fall between rising ones: draw in load order
		sort.SliceStable(steps, func(a, b int) bool { return r.Sweep.Steps[steps[a]].Load < r.Sweep.Steps[steps[b]].Load })
		rs, ls := report.LineSeries{Label: r.Name()}, report.LineSeries{Label: r.Name()}
		for _, i := range steps {
			st, peak := r.Sweep.Steps[i], i == r.Sweep.Peak
			rs.Points = append(rs.Points, report.Point{X: st.Offered, Y: st.RepliesPerS, Marked: peak})
			ls.Points = append(ls.Points, report.Point{X: st.RepliesPerS, Y: st.P99, Marked: peak})
		}
		replies.Series = append(replies.Series, rs)
		latency.Series = append(latency.Series, ls)
	}
	if len(replies.Series) == 0 {
		return nil
	}
	return []*report.LineChart{replies, latency}
}
