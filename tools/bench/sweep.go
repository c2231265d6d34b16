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
// keeps up: an open loop in geometric steps from a light load, a few
// steps that halve the gap around its knee, then a closed loop whose
// window rises from the single-point mode's, so that a server an open
// loop cannot hold at its capacity is measured there too.
type Sweep struct {
	// Closed sweeps only the windows of a closed loop, from Start.
	Closed bool
	// Start is the first rate (req/s) or window; Factor the rise per step.
	Start, Factor float64
	// MaxSteps bounds the rising steps of each loop; Refine is the number
	// of steps that then split the gap between the last step within
	// bounds and the first beyond them.
	MaxSteps, Refine int
	// Duration and Warmup of each step.
	Duration, Warmup time.Duration
	// Bounds judge each step.
	Bounds
	// Retries measure a step that broke a bound again, judged by the
	// last: a stall of the machine is not the server's knee.
	Retries int
	// Window is the single-point mode's window: the closed loop rises
	// from it after the open one, and the sweep always measures it, for
	// the report's check that the peak is at least its throughput.
	Window int
}

// DefaultSweep fits a 2-core machine: from 1,000 req/s doubling up to
// 4M req/s, two steps refining the knee to within a factor 2^(1/4); the
// closed loop from the default workload's window. Steps of 2 s and two
// retries of a step beyond bounds: in 1 s steps a single stall of the
// machine set a Linux guest's p99 at light load, and its peak then moved
// by a step from one run to the next.
func DefaultSweep() Sweep {
	return Sweep{Start: 1000, Factor: 2, MaxSteps: 13, Refine: 2,
		Duration: 2 * time.Second, Warmup: 500 * time.Millisecond,
		Bounds: DefaultBounds(), Retries: 2, Window: DefaultWorkload().Window}
}

// Validate refuses a sweep that cannot rise or end.
func (s Sweep) Validate() error {
	switch {
	case s.Start <= 0 || s.Closed && s.Start != math.Trunc(s.Start):
		return fmt.Errorf("sweep start %g: want a positive rate, or a whole window", s.Start)
	case s.Factor <= 1:
		return fmt.Errorf("sweep factor %g: want more than 1", s.Factor)
	case s.MaxSteps < 1 || s.Refine < 0 || s.Retries < 0:
		return fmt.Errorf("sweep of %d steps refined %d times, %d retries: want at least 1 step", s.MaxSteps, s.Refine, s.Retries)
	case s.Duration <= 0 || s.Warmup < 0:
		return fmt.Errorf("sweep step of %s after %s: want a positive duration", s.Duration, s.Warmup)
	case s.Window < 1 || s.Window > maxWindow:
		return fmt.Errorf("single-point window %d: want 1..%d", s.Window, maxWindow)
	}
	return s.Bounds.validate()
}

// maxWindow is the most requests kvload keeps outstanding.
const maxWindow = 32768

// Phases of a row's steps.
const (
	PhaseRise      = "rise"
	PhaseRefine    = "refine"
	PhaseRetry     = "retry"
	PhaseReference = "single-point"
	PhaseConfirm   = "confirm"
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
	// LightP50 is the p50 of the first, lightest step; P50Bound and
	// P99Bound what a sustainable step's may reach.
	LightP50, P50Bound, P99Bound float64
	// Peak indexes the step within bounds with the most replies a second,
	// -1 when none was; Reference the last step at the single-point
	// window, -1 when none was measured.
	Peak, Reference int
	// Stopped says why each loop stopped rising.
	Stopped string
}

// PeakStep is the sustainable peak, false when no step kept the bounds.
func (r *SweepResult) PeakStep() (SweepStep, bool) {
	if r == nil || r.Peak < 0 {
		return SweepStep{}, false
	}
	return r.Steps[r.Peak], true
}

// ReferenceStep is the step at the single-point window, false without one.
func (r *SweepResult) ReferenceStep() (SweepStep, bool) {
	if r == nil || r.Reference < 0 {
		return SweepStep{}, false
	}
	return r.Steps[r.Reference], true
}

// Measurer measures one load.
type Measurer func(ctx context.Context, s kvload.Step) (Measurement, error)

// clientShortfall is the share of an open loop's rate below which the
// client, not the server, failed to offer the load (if the requests it
// did send kept the other bounds).
const clientShortfall = 0.9

// riseMin is how much a closed loop's replies must grow above the most
// so far for a wider window to count as a rise; flatSteps windows in a
// row without one end the rise (one alone may be a busy machine's dip).
const (
	riseMin   = 1.05
	flatSteps = 2
)

// Run raises an open loop's rate step by step through measure until a
// step breaks a bound (again, when retried) or MaxSteps is reached, and
// refines the knee; then it does the same with a closed loop's window
// from s.Window, or from 1 when the client could not send the open
// loop's rate (a busy or slow client host), and measures s.Window if
// the windows left it out. The steps measured so far are returned with
// any error.
func (s Sweep) Run(ctx context.Context, measure Measurer) (*SweepResult, error) {
	res := &SweepResult{Peak: -1, Reference: -1}
	closed := s
	closed.Closed, closed.Start = true, float64(s.Window)
	var stops []string
	if s.Closed {
		closed.Start = s.Start
	} else {
		why, clientBound, err := s.rise(ctx, measure, res)
		stops = append(stops, "open loop: "+why)
		if err != nil {
			res.Stopped = strings.Join(stops, "; ")
			return res, err
		}
		if clientBound {
			closed.Start = 1
		}
	}
	why, _, err := closed.rise(ctx, measure, res)
	stops = append(stops, fmt.Sprintf("closed loop from window %.0f: %s", closed.Start, why))
	res.Stopped = strings.Join(stops, "; ")
	if err == nil && res.Reference < 0 {
		_, err = closed.take(ctx, measure, res, PhaseReference, float64(s.Window))
	}
	return res, err
}

// rise is one loop's rising steps and their refinement; it says why it
// stopped, and clientBound that the client could not send an open
// loop's rate.
func (s Sweep) rise(ctx context.Context, measure Measurer, res *SweepResult) (why string, clientBound bool, err error) {
	why = fmt.Sprintf("the last of %d rising steps", s.MaxSteps)
	good, bad := 0.0, 0.0
	best, flat := 0.0, 0
	for i, load := 0, s.Start; i < s.MaxSteps; i, load = i+1, s.next(load) {
		if s.Closed && load > maxWindow {
			why = fmt.Sprintf("window %d is the most kvload keeps outstanding", maxWindow)
			break
		}
		st, err := s.take(ctx, measure, res, PhaseRise, load)
		if err != nil {
			return why, false, err
		}
		if !st.Within {
			bad, why = load, "a step broke its bounds: "+st.Broke
			break
		}
		good = load
		if st.RepliesPerS < riseMin*best {
			flat++
		} else {
			flat = 0
		}
		best = math.Max(best, st.RepliesPerS)
		if stop, client := s.saturated(st, flat); stop != "" {
			if client {
				return stop, true, nil
			}
			why = stop
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
			return why, false, err
		}
		if st.Within {
			good = mid
		} else {
			bad = mid
		}
	}
	return why, false, nil
}

// saturated says why a step within bounds ends the rise, "" if it does
// not: the client could not send the rate (client), or the last
// flatSteps wider windows brought no more replies (flat of them did
// not), once the window reached the single-point one: below it, where
// a busy machine's dips weigh most, the rise goes on.
func (s Sweep) saturated(st SweepStep, flat int) (why string, client bool) {
	if s.clientShort(st) {
		return fmt.Sprintf("the client sent %.0f of %.0f req/s: it, not the server, is the limit", st.RequestsPerS, st.Load), true
	}
	if s.Closed && flat >= flatSteps && st.Window >= s.Window {
		return "replies no longer rise with the window", false
	}
	return "", false
}

// clientShort says an open loop's client sent too little of its rate.
func (s Sweep) clientShort(st SweepStep) bool {
	return !s.Closed && st.RequestsPerS < clientShortfall*st.Load
}

// take measures one step, judges it and keeps it; a step beyond its
// bounds is measured again up to Retries times, and the last is judged.
func (s Sweep) take(ctx context.Context, measure Measurer, res *SweepResult, phase string, load float64) (SweepStep, error) {
	st, err := s.measureStep(ctx, measure, res, phase, load)
	for i := 0; err == nil && !st.Within && i < s.Retries; i++ {
		st, err = s.measureStep(ctx, measure, res, PhaseRetry, load)
	}
	return st, err
}

// measureStep measures, judges and keeps one step.
func (s Sweep) measureStep(ctx context.Context, measure Measurer, res *SweepResult, phase string, load float64) (SweepStep, error) {
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
		l := s.limits(m)
		res.LightP50, res.P50Bound, res.P99Bound = m.P50, l.p50, l.p99
	}
	st.Broke = s.broken(st, limits{res.P50Bound, res.P99Bound})
	st.Within = st.Broke == ""
	res.Steps = append(res.Steps, st)
	if st.Window == s.Window {
		res.Reference = len(res.Steps) - 1
	}
	res.notePeak()
	return st, nil
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
