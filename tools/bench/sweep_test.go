package bench

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ukkv/ukkv/tools/kvload"
)

// fakeServer is a server of known capacity (req/s) and service latency
// (µs), queueing like M/M/1: at utilisation u its p99 is latency/(1-u),
// and what is offered beyond capacity is lost.
type fakeServer struct {
	capacity, latency float64
	steps             []kvload.Step
}

func (f *fakeServer) measure(ctx context.Context, s kvload.Step) (Measurement, error) {
	f.steps = append(f.steps, s)
	offered := s.Rate
	if s.Window > 0 {
		// a closed loop offers what its window allows at the base latency
		offered = float64(s.Window) / (f.latency / 1e6)
	}
	served := math.Min(offered, f.capacity)
	u := math.Min(offered/f.capacity, 0.999)
	secs := s.Duration.Seconds()
	m := Measurement{
		RequestsPerS: offered, RepliesPerS: served, P50: f.latency, P99: f.latency / (1 - u),
		Requests: uint64(offered * secs), Replies: uint64(served * secs), Seconds: secs,
	}
	if s.Rate > 0 {
		m.Lost = m.Requests - m.Replies
	}
	return m, nil
}

// knee is the highest load whose p99 stays within p99Factor times the
// latency: p99 = latency/(1-u) <= factor*latency.
func (f *fakeServer) knee(factor float64) float64 { return f.capacity * (1 - 1/factor) }

// TestSweepFindsTheKneeWithinOneStep: whatever the capacity, the peak is
// within bounds, below the knee and no more than one refined step (a
// factor 2^(1/4)) under it.
func TestSweepFindsTheKneeWithinOneStep(t *testing.T) {
	s := DefaultSweep()
	step := math.Pow(s.Factor, 1/math.Pow(2, float64(s.Refine)))
	for _, capacity := range []float64{3_000, 50_000, 77_777, 400_000, 1_500_000} {
		f := &fakeServer{capacity: capacity, latency: 40}
		res, err := s.Run(context.Background(), f.measure)
		if err != nil {
			t.Fatal(err)
		}
		peak, ok := res.PeakStep()
		if !ok {
			t.Fatalf("capacity %g: no peak in %+v", capacity, res.Steps)
		}
		knee := f.knee(s.P99Factor)
		if !peak.Within || peak.RepliesPerS > knee || peak.RepliesPerS*step < knee {
			t.Errorf("capacity %g: peak %.0f req/s, want within [%.0f, %.0f]", capacity, peak.RepliesPerS, knee/step, knee)
		}
		if res.LightP50 != 40 || res.P99Bound != 400 {
			t.Errorf("capacity %g: light p50 %g, p99 bound %g; want 40 and 400", capacity, res.LightP50, res.P99Bound)
		}
		if !strings.HasPrefix(res.Stopped, "a step broke its bounds: ") || !strings.Contains(res.Stopped, "p99") {
			t.Errorf("capacity %g: stopped because %q", capacity, res.Stopped)
		}
		if n := len(res.Steps); n != len(f.steps) || res.Steps[n-1].Phase != PhaseRefine || res.Steps[0].Load != s.Start {
			t.Errorf("capacity %g: %d steps kept of %d measured, phases %v", capacity, n, len(f.steps), phases(res))
		}
		for _, st := range f.steps {
			if st.Duration != s.Duration || st.Warmup != s.Warmup || st.Window != 0 {
				t.Errorf("capacity %g: step %+v", capacity, st)
			}
		}
	}
}

func phases(r *SweepResult) []string {
	var ps []string
	for _, s := range r.Steps {
		ps = append(ps, s.Phase)
	}
	return ps
}

// TestSweepLossBound: a server that drops 1% at any load has no
// sustainable step, and the sweep says why after the first.
func TestSweepLossBound(t *testing.T) {
	lossy := func(ctx context.Context, s kvload.Step) (Measurement, error) {
		return Measurement{RequestsPerS: s.Rate, RepliesPerS: s.Rate * 0.99, P50: 10, P99: 20, Requests: 1000, Replies: 990, Lost: 10}, nil
	}
	res, err := DefaultSweep().Run(context.Background(), lossy)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := res.PeakStep(); ok || len(res.Steps) != 1 || !strings.Contains(res.Stopped, "lost or wrong 10 of 1000") {
		t.Errorf("peak %d, %d steps, stopped: %s", res.Peak, len(res.Steps), res.Stopped)
	}
}

// TestSweepGoesClosedAtTheClientsLimit: a client that cannot send the
// open loop's rate ends the open rise; rising windows then find the
// server's capacity beyond what the client could offer open.
func TestSweepGoesClosedAtTheClientsLimit(t *testing.T) {
	capped := func(ctx context.Context, s kvload.Step) (Measurement, error) {
		sent := math.Min(s.Rate, 5000)
		if s.Window > 0 {
			sent = math.Min(float64(s.Window)*1000, 20000)
		}
		return Measurement{RequestsPerS: sent, RepliesPerS: sent, P50: 10, P99: 20, Requests: 100, Replies: 100}, nil
	}
	res, err := DefaultSweep().Run(context.Background(), capped)
	if err != nil {
		t.Fatal(err)
	}
	var loads []string
	for _, st := range res.Steps {
		loads = append(loads, st.LoadName())
	}
	peak, _ := res.PeakStep()
	want := "1,000 req/s 2,000 req/s 4,000 req/s 8,000 req/s window 1 window 2 window 4 window 8 window 16 window 32 window 64 window 128"
	if strings.Join(loads, " ") != want || peak.Window != 32 || peak.Offered != 20000 || peak.Loop() != "closed" {
		t.Errorf("steps %v, peak %s (%s, offered %g)", loads, peak.LoadName(), peak.Loop(), peak.Offered)
	}
	if !strings.Contains(res.Stopped, "the client sent 5000 of 8000 req/s") || !strings.HasSuffix(res.Stopped, "then windows from 1: replies no longer rise with the window") {
		t.Errorf("stopped: %s", res.Stopped)
	}
	if st := peak.Step(5*time.Second, time.Second); st.Window != 32 || st.Rate != 0 || st.Duration != 5*time.Second {
		t.Errorf("the peak's load for the runs: %+v", st)
	}
}

// TestClosedSweepStopsWhenRepliesNoLongerRise: windows double until the
// replies stay flat at the capacity for two windows.
func TestClosedSweepStopsWhenRepliesNoLongerRise(t *testing.T) {
	s := DefaultSweep()
	s.Closed, s.Start, s.P99Factor = true, 1, 1000
	f := &fakeServer{capacity: 100_000, latency: 100} // a window of 10 fills it
	res, err := s.Run(context.Background(), f.measure)
	if err != nil {
		t.Fatal(err)
	}
	var windows []int
	for _, st := range f.steps {
		windows = append(windows, st.Window)
	}
	peak, _ := res.PeakStep()
	if len(windows) != 7 || windows[6] != 64 || res.Stopped != "replies no longer rise with the window" || peak.Load != 16 {
		t.Errorf("windows %v, peak at window %g, stopped: %s", windows, peak.Load, res.Stopped)
	}
	if peak.Offered != peak.RequestsPerS {
		t.Errorf("a closed loop's offered load %g is not its sent requests %g", peak.Offered, peak.RequestsPerS)
	}
}

func TestSweepKeepsStepsBeforeAnError(t *testing.T) {
	n := 0
	failing := func(ctx context.Context, s kvload.Step) (Measurement, error) {
		if n++; n == 3 {
			return Measurement{}, errors.New("guest died")
		}
		return Measurement{RequestsPerS: s.Rate, RepliesPerS: s.Rate, P50: 10, P99: 20, Requests: 100, Replies: 100}, nil
	}
	res, err := DefaultSweep().Run(context.Background(), failing)
	if err == nil || !strings.Contains(err.Error(), "rise step at 4,000 req/s: guest died") || len(res.Steps) != 2 {
		t.Errorf("error %v, %d steps", err, len(res.Steps))
	}
}

func TestSweepValidate(t *testing.T) {
	if err := DefaultSweep().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []func(*Sweep){
		func(s *Sweep) { s.Start = 0 },
		func(s *Sweep) { s.Closed, s.Start = true, 1.5 },
		func(s *Sweep) { s.Factor = 1 },
		func(s *Sweep) { s.MaxSteps = 0 },
		func(s *Sweep) { s.Duration = 0 },
		func(s *Sweep) { s.P99Factor = 1 },
		func(s *Sweep) { s.Warmup = -time.Second },
	} {
		s := DefaultSweep()
		bad(&s)
		if s.Validate() == nil {
			t.Errorf("sweep %+v accepted", s)
		}
	}
}

// TestSweepBoundLeavesRoomForLightLoadJitter: a row whose p99 is 30x
// its p50 even at light load is bounded by twice that p99, not by 10x
// its p50, which its first step would already break.
func TestSweepBoundLeavesRoomForLightLoadJitter(t *testing.T) {
	jittery := func(ctx context.Context, s kvload.Step) (Measurement, error) {
		return Measurement{RequestsPerS: s.Rate, RepliesPerS: s.Rate, P50: 10, P99: 300, Requests: 100, Replies: 100}, nil
	}
	s := DefaultSweep()
	s.MaxSteps = 3
	res, err := s.Run(context.Background(), jittery)
	if err != nil {
		t.Fatal(err)
	}
	if res.P99Bound != 600 || res.Peak != 2 {
		t.Errorf("p99 bound %g, peak step %d; want 600 and the last of 3", res.P99Bound, res.Peak+1)
	}
}

// TestClosedSweepRidesOutOneDip: one window that brings fewer replies
// (a busy machine's moment) does not end the rise; two flat ones do.
func TestClosedSweepRidesOutOneDip(t *testing.T) {
	replies := map[int]float64{1: 1000, 2: 2000, 4: 1500, 8: 4000, 16: 4000, 32: 4100, 64: 4000}
	dip := func(ctx context.Context, s kvload.Step) (Measurement, error) {
		r := replies[s.Window]
		return Measurement{RequestsPerS: r, RepliesPerS: r, P50: 10, P99: 20, Requests: 100, Replies: 100}, nil
	}
	s := DefaultSweep()
	s.Closed, s.Start = true, 1
	res, err := s.Run(context.Background(), dip)
	if err != nil {
		t.Fatal(err)
	}
	peak, _ := res.PeakStep()
	if len(res.Steps) != 6 || peak.Window != 32 || res.Stopped != "replies no longer rise with the window" {
		t.Errorf("%d steps, peak %s, stopped: %s", len(res.Steps), peak.LoadName(), res.Stopped)
	}
}
