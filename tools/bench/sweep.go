package bench

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/ukkv/ukkv/tools/kvload"
)

// Sweep says how a row's offered load rises until the server no longer
// keeps up: geometric steps from a light load, then a few steps that
// halve the gap around the knee.
type Sweep struct {
	// Closed raises the window of a closed loop instead of the rate of an
	// open one, for servers an open loop cannot push past saturation.
	Closed bool
	// Start is the first rate (req/s) or window; Factor the rise per step.
	Start, Factor float64
	// MaxSteps bounds the rising steps; Refine is the number of steps that
	// then split the gap between the last step within bounds and the first
	// beyond them.
	MaxSteps, Refine int
	// Duration and Warmup of each step.
	Duration, Warmup time.Duration
	// LossBound is the largest share of requests lost (or answered wrong)
	// a sustainable step may have.
	LossBound float64
	// P99Factor times the light-load p50 bounds the p99 of a sustainable
	// step; twice the light-load p99 is the bound when it is higher, so
	// that a row jittery even at light load is not judged by its noise.
	P99Factor float64
}

// DefaultSweep fits a 2-core machine: from 1,000 req/s doubling up to
// 4M req/s, two steps refining the knee to within a factor 2^(1/4).
func DefaultSweep() Sweep {
	return Sweep{Start: 1000, Factor: 2, MaxSteps: 13, Refine: 2,
		Duration: time.Second, Warmup: 500 * time.Millisecond,
		LossBound: 0.001, P99Factor: 10}
}

// Validate refuses a sweep that cannot rise or end.
func (s Sweep) Validate() error {
	switch {
	case s.Start <= 0 || s.Closed && s.Start != math.Trunc(s.Start):
		return fmt.Errorf("sweep start %g: want a positive rate, or a whole window", s.Start)
	case s.Factor <= 1:
		return fmt.Errorf("sweep factor %g: want more than 1", s.Factor)
	case s.MaxSteps < 1 || s.Refine < 0:
		return fmt.Errorf("sweep of %d steps refined %d times: want at least 1 step", s.MaxSteps, s.Refine)
	case s.Duration <= 0 || s.Warmup < 0:
		return fmt.Errorf("sweep step of %s after %s: want a positive duration", s.Duration, s.Warmup)
	case s.LossBound < 0 || s.P99Factor <= 1:
		return fmt.Errorf("loss bound %g, p99 bound %gx the light-load p50: want >= 0 and > 1", s.LossBound, s.P99Factor)
	}
	return nil
}

// Phases of a row's steps.
const (
	PhaseRise    = "rise"
	PhaseRefine  = "refine"
	PhaseConfirm = "confirm"
)

// SweepStep is one measured load of a row.
type SweepStep struct {
	Phase string
	// Load is the rate (req/s) or window asked for; Offered the requests
	// a second that made: the rate of an open loop, the requests sent by
	// a closed one.
	Load, Offered float64
	// Window is the closed loop's window, 0 for an open loop.
	Window int
	Measurement
	// Within says the step kept its bounds; Broke names those it broke.
	Within bool
	Broke  string
}

// SweepResult is a row's sweep: its steps, its bounds, its peak.
type SweepResult struct {
	Steps []SweepStep
	// LightP50 is the p50 of the first, lightest step; P99Bound the p99
	// a sustainable step may reach.
	LightP50, P99Bound float64
	// Peak indexes the step within bounds with the most replies a second,
	// -1 when none was.
	Peak int
	// Stopped says why the load stopped rising.
	Stopped string
}

// PeakStep is the sustainable peak, false when no step kept the bounds.
func (r *SweepResult) PeakStep() (SweepStep, bool) {
	if r == nil || r.Peak < 0 {
		return SweepStep{}, false
	}
	return r.Steps[r.Peak], true
}

// Measurer measures one load.
type Measurer func(ctx context.Context, s kvload.Step) (Measurement, error)

// clientShortfall is the share of an open loop's rate below which the
// client, not the server, failed to offer the load.
const clientShortfall = 0.9

// jitterHeadroom times the light-load p99 is the least p99 bound.
const jitterHeadroom = 2

// riseMin is how much a closed loop's replies must grow above the most
// so far for a wider window to count as a rise; flatSteps windows in a
// row without one end the rise (one alone may be a busy machine's dip).
const (
	riseMin   = 1.05
	flatSteps = 2
)

// Run raises the load step by step through measure until a step breaks
// a bound, the replies stop rising or MaxSteps is reached, then refines
// the knee. An open loop whose client cannot send its rate goes on as a
// closed loop of rising windows from 1, which the client can keep up
// (a busy or slow client host). The steps measured so far are returned
// with any error.
func (s Sweep) Run(ctx context.Context, measure Measurer) (*SweepResult, error) {
	res := &SweepResult{Peak: -1}
	clientBound, err := s.rise(ctx, measure, res)
	if err != nil || s.Closed || !clientBound {
		return res, err
	}
	closed := s
	closed.Closed, closed.Start = true, 1
	why := res.Stopped
	_, err = closed.rise(ctx, measure, res)
	res.Stopped = why + "; then windows from 1: " + res.Stopped
	return res, err
}

// rise is one loop's rising steps and their refinement; clientBound
// says the client could not send an open loop's rate.
func (s Sweep) rise(ctx context.Context, measure Measurer, res *SweepResult) (clientBound bool, err error) {
	res.Stopped = fmt.Sprintf("the last of %d rising steps", s.MaxSteps)
	good, bad := 0.0, 0.0
	best, flat := 0.0, 0
	for i, load := 0, s.Start; i < s.MaxSteps; i, load = i+1, s.next(load) {
		st, err := s.take(ctx, measure, res, PhaseRise, load)
		if err != nil {
			return false, err
		}
		if !st.Within {
			bad, res.Stopped = load, "a step broke its bounds: "+st.Broke
			break
		}
		res.notePeak()
		good = load
		if st.RepliesPerS < riseMin*best {
			flat++
		} else {
			flat = 0
		}
		best = math.Max(best, st.RepliesPerS)
		if stop, client := s.saturated(st, flat); stop != "" {
			res.Stopped = stop
			if client {
				return true, nil
			}
			break
		}
	}
	for i := 0; i < s.Refine && good > 0 && bad > 0; i++ {
		mid := s.between(good, bad)
		if mid <= good || mid >= bad {
			break
		}
		st, err := s.take(ctx, measure, res, PhaseRefine, mid)
		if err != nil {
			return false, err
		}
		if st.Within {
			good = mid
			res.notePeak()
		} else {
			bad = mid
		}
	}
	return false, nil
}

// saturated says why a step within bounds ends the rise, "" if it does
// not: the client could not send the rate (client), or the last
// flatSteps wider windows brought no more replies (flat of them did not).
func (s Sweep) saturated(st SweepStep, flat int) (why string, client bool) {
	if !s.Closed && st.RequestsPerS < clientShortfall*st.Load {
		return fmt.Sprintf("the client sent %.0f of %.0f req/s: it, not the server, is the limit", st.RequestsPerS, st.Load), true
	}
	if s.Closed && flat >= flatSteps {
		return "replies no longer rise with the window", false
	}
	return "", false
}

// take measures one step, judges it and keeps it.
func (s Sweep) take(ctx context.Context, measure Measurer, res *SweepResult, phase string, load float64) (SweepStep, error) {
	step := kvload.Step{Duration: s.Duration, Warmup: s.Warmup}
	if s.Closed {
		step.Window = int(load)
	} else {
		step.Rate = load
	}
	m, err := measure(ctx, step)
	if err != nil {
		return SweepStep{}, fmt.Errorf("%s step at %s: %w", phase, s.describe(load), err)
	}
	st := SweepStep{Phase: phase, Load: load, Offered: load, Window: step.Window, Measurement: m}
	if s.Closed {
		st.Offered = m.RequestsPerS
	}
	if len(res.Steps) == 0 {
		res.LightP50 = m.P50
		res.P99Bound = math.Max(s.P99Factor*m.P50, jitterHeadroom*m.P99)
	}
	st.Broke = s.broken(m, res.P99Bound)
	st.Within = st.Broke == ""
	res.Steps = append(res.Steps, st)
	return st, nil
}

// broken names the bounds m breaks, "" when it keeps them all.
func (s Sweep) broken(m Measurement, p99Bound float64) string {
	var why []string
	if m.Replies == 0 {
		why = append(why, "no right reply")
	}
	if m.Requests > 0 && float64(m.Lost+m.Wrong) > s.LossBound*float64(m.Requests) {
		why = append(why, fmt.Sprintf("lost or wrong %d of %d requests (bound %g%%)", m.Lost+m.Wrong, m.Requests, 100*s.LossBound))
	}
	if m.P99 > p99Bound {
		why = append(why, fmt.Sprintf("p99 %s µs above %s µs", formatRate(m.P99), formatRate(p99Bound)))
	}
	return strings.Join(why, "; ")
}

// notePeak makes the last step the peak if it is within bounds and
// answered more than the peak so far.
func (r *SweepResult) notePeak() {
	last := len(r.Steps) - 1
	if !r.Steps[last].Within {
		return
	}
	if p, ok := r.PeakStep(); !ok || r.Steps[last].RepliesPerS > p.RepliesPerS {
		r.Peak = last
	}
}

// next is the load after load: Factor times more, a window at least one more.
func (s Sweep) next(load float64) float64 {
	if s.Closed {
		return math.Max(load+1, math.Round(load*s.Factor))
	}
	return load * s.Factor
}

// between is the geometric middle of two loads, a whole window for a
// closed loop.
func (s Sweep) between(lo, hi float64) float64 {
	mid := math.Sqrt(lo * hi)
	if s.Closed {
		return math.Round(mid)
	}
	return mid
}

// describe names a load: "12,000 req/s" or "window 16".
func (s Sweep) describe(load float64) string {
	if s.Closed {
		return fmt.Sprintf("window %.0f", load)
	}
	return formatRate(load) + " req/s"
}

// Step is the step's load, as kvload runs it, for d after warmup.
func (st SweepStep) Step(d, warmup time.Duration) kvload.Step {
	if st.Window > 0 {
		return kvload.Step{Window: st.Window, Duration: d, Warmup: warmup}
	}
	return kvload.Step{Rate: st.Load, Duration: d, Warmup: warmup}
}

// Loop is "open" or "closed".
func (st SweepStep) Loop() string {
	if st.Window > 0 {
		return "closed"
	}
	return "open"
}

// LoadName names the step's load: "12,000 req/s" or "window 16".
func (st SweepStep) LoadName() string {
	if st.Window > 0 {
		return fmt.Sprintf("window %d", st.Window)
	}
	return formatRate(st.Load) + " req/s"
}
