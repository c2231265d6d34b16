package bench

import (
	"context"
	"errors"
	"math"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/ukkv/ukkv/tools/kvload"
)

// fakeServer is a server of known capacity (req/s) and light-load
// latency (µs). An open loop queues like M/M/1: at utilisation u its p50
// is latency/(1-u), its p99 4.6 times that, and what is offered beyond
// capacity is lost. A closed loop of window w answers min(w/latency,
// capacity) a second, each reply after w/replies. spike, if set, adds
// to the p99 of the nth measurement (from 1): the machine's stalls.
type fakeServer struct {
	capacity, latency float64
	spike             func(n int) float64
	steps             []kvload.Step
}

func (f *fakeServer) measure(ctx context.Context, s kvload.Step) (Measurement, error) {
	f.steps = append(f.steps, s)
	secs := s.Duration.Seconds()
	var m Measurement
	if s.Window > 0 {
		x := math.Min(float64(s.Window)/(f.latency/1e6), f.capacity)
		p50 := float64(s.Window) / x * 1e6
		m = Measurement{RequestsPerS: x, RepliesPerS: x, P50: p50, P99: 2 * p50,
			Requests: uint64(x * secs), Replies: uint64(x * secs), Seconds: secs}
	} else {
		served := math.Min(s.Rate, f.capacity)
		u := math.Min(s.Rate/f.capacity, 0.999)
		m = Measurement{RequestsPerS: s.Rate, RepliesPerS: served, P50: f.latency / (1 - u), P99: 4.6 * f.latency / (1 - u),
			Requests: uint64(s.Rate * secs), Replies: uint64(served * secs), Seconds: secs}
		m.Lost = m.Requests - m.Replies
	}
	if f.spike != nil {
		m.P99 += f.spike(len(f.steps))
	}
	return m, nil
}

// knee is the most replies a second the server gives within b, at
// rates from light or at windows from window (whole ones): the open
// loop's p50 stays within P50Factor times its light-load p50 up to a
// utilisation of 1-(1-u0)/P50Factor (its p99 within the floor); a closed
// one's p99, twice its p50 of window/capacity once saturated, stays
// within the floor up to a window of floor/2*capacity.
func (f *fakeServer) knee(b Bounds, light float64, window int) float64 {
	u0 := light / f.capacity
	open := f.capacity * (1 - (1-u0)/b.P50Factor)
	wmax := math.Floor(b.P99Floor / 2 / 1e6 * f.capacity)
	if wmax < float64(window) {
		return open
	}
	return math.Max(open, math.Min(wmax/(f.latency/1e6), f.capacity))
}

// TestSweepFindsTheKneeWithinOneStep: whatever the capacity, the peak is
// within bounds, at most the knee and no more than one refined step (a
// factor 2^(1/4)) under it; the single-point window is measured.
func TestSweepFindsTheKneeWithinOneStep(t *testing.T) {
	for _, capacity := range []float64{3_000, 50_000, 77_777, 200_000, 400_000, 1_500_000} {
		res, knee := sweepFake(t, &fakeServer{capacity: capacity, latency: 40})
		checkKnee(t, res, knee, capacity)
		if res.LightP50 != 40/(1-1000/capacity) || res.P99Bound != 10_000 {
			t.Errorf("capacity %g: light p50 %g, p99 bound %g; want 40/(1-u) and the floor", capacity, res.LightP50, res.P99Bound)
		}
		if !strings.HasPrefix(res.Stopped, "open loop: a step broke its bounds: ") || !strings.Contains(res.Stopped, "p50") {
			t.Errorf("capacity %g: stopped because %q", capacity, res.Stopped)
		}
	}
}

// TestSweepFindsTheKneeThroughStalls: a p99 stall of 2 to 9 ms at every
// load, and one of 25 ms at every third step, neither lifting the
// median, still leave the knee found within one step.
func TestSweepFindsTheKneeThroughStalls(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	stalls := func(n int) float64 {
		us := 2000 + 7000*rng.Float64()
		if n%3 == 0 {
			us += 25_000
		}
		return us
	}
	for _, capacity := range []float64{3_000, 50_000, 400_000} {
		res, knee := sweepFake(t, &fakeServer{capacity: capacity, latency: 40, spike: stalls})
		checkKnee(t, res, knee, capacity)
		retried := 0
		for _, st := range res.Steps {
			if st.Phase == PhaseRetry {
				retried++
			}
		}
		if retried == 0 {
			t.Errorf("capacity %g: no step was retried, phases %v", capacity, phases(res))
		}
	}
}

// sweepFake sweeps f with the default sweep, returns its result and
// the server's knee, and checks each measured step was kept.
func sweepFake(t *testing.T, f *fakeServer) (*SweepResult, float64) {
	t.Helper()
	s := DefaultSweep()
	res, err := s.Run(context.Background(), f.measure)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(res.Steps); n != len(f.steps) || res.Steps[0].Load != s.Start || n > 30 {
		t.Errorf("capacity %g: %d steps kept of %d measured, phases %v", f.capacity, n, len(f.steps), phases(res))
	}
	for _, st := range f.steps {
		if st.Duration != s.Duration || st.Warmup != s.Warmup {
			t.Errorf("capacity %g: step %+v", f.capacity, st)
		}
	}
	return res, f.knee(s.Bounds, s.Start, s.Window)
}

// checkKnee: the peak is within bounds, at most the knee, at most one
// refined step below it; the single-point window was measured.
func checkKnee(t *testing.T, res *SweepResult, knee, capacity float64) {
	t.Helper()
	s := DefaultSweep()
	step := math.Pow(s.Factor, 1/math.Pow(2, float64(s.Refine)))
	peak, ok := res.PeakStep()
	if !ok {
		t.Fatalf("capacity %g: no peak in %+v", capacity, res.Steps)
	}
	if !peak.Within || peak.RepliesPerS > knee*1.000001 || peak.RepliesPerS*step < knee {
		t.Errorf("capacity %g: peak %.0f req/s at %s, want within [%.0f, %.0f]; phases %v", capacity, peak.RepliesPerS, peak.LoadName(), knee/step, knee, phases(res))
	}
	if ref, ok := res.ReferenceStep(); !ok || ref.Window != s.Window {
		t.Errorf("capacity %g: single-point step %+v", capacity, ref)
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
// sustainable step, open or closed, and the sweep says why after each
// loop's first step and its two retries.
func TestSweepLossBound(t *testing.T) {
	lossy := func(ctx context.Context, s kvload.Step) (Measurement, error) {
		r := s.Rate + 1000*float64(s.Window)
		return Measurement{RequestsPerS: r, RepliesPerS: r * 0.99, P50: 10, P99: 20, Requests: 1000, Replies: 990, Lost: 10}, nil
	}
	res, err := DefaultSweep().Run(context.Background(), lossy)
	if err != nil {
		t.Fatal(err)
	}
	want := "a step broke its bounds: lost or wrong 10 of 1000 requests (bound 0.1%)"
	if _, ok := res.PeakStep(); ok || strings.Join(phases(res), " ") != "rise retry retry rise retry retry" || strings.Count(res.Stopped, want) != 2 {
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
	if !strings.Contains(res.Stopped, "the client sent 5000 of 8000 req/s") || !strings.HasSuffix(res.Stopped, "; closed loop from window 1: replies no longer rise with the window") {
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
	if len(windows) != 7 || windows[6] != 64 || res.Stopped != "closed loop from window 1: replies no longer rise with the window" || peak.Load != 16 {
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
		func(s *Sweep) { s.P50Factor = 0.5 },
		func(s *Sweep) { s.KeepUp = 1.5 },
		func(s *Sweep) { s.Window = 0 },
		func(s *Sweep) { s.Retries = -1 },
		func(s *Sweep) { s.Warmup = -time.Second },
	} {
		s := DefaultSweep()
		bad(&s)
		if s.Validate() == nil {
			t.Errorf("sweep %+v accepted", s)
		}
	}
}

// TestSweepBoundLeavesRoomForLightLoadJitter: a row whose p99 is 8 ms
// even at light load is bounded by twice that, above the 10 ms floor,
// and a later p99 of 15 ms keeps it.
func TestSweepBoundLeavesRoomForLightLoadJitter(t *testing.T) {
	n := 0
	jittery := func(ctx context.Context, s kvload.Step) (Measurement, error) {
		n++
		p99 := 15_000.0
		if n == 1 {
			p99 = 8000
		}
		r := s.Rate + float64(s.Window)
		return Measurement{RequestsPerS: r, RepliesPerS: r, P50: 10, P99: p99, Requests: 100, Replies: 100}, nil
	}
	s := DefaultSweep()
	s.MaxSteps = 3
	res, err := s.Run(context.Background(), jittery)
	if err != nil {
		t.Fatal(err)
	}
	if res.P99Bound != 16_000 || res.Peak != 2 || !res.Steps[1].Within {
		t.Errorf("p99 bound %g, peak step %d; want 16,000 and the last of 3 open ones", res.P99Bound, res.Peak+1)
	}
}

// TestBoundsJudgeTheQueueNotTheStall: a stall below the floor keeps a
// step, a lifted median or replies behind the rate break it, and a
// client that sent less than its rate is held to what it sent.
func TestBoundsJudgeTheQueueNotTheStall(t *testing.T) {
	b := DefaultBounds()
	l := b.limits(Measurement{P50: 20, P99: 100})
	ok := Measurement{RequestsPerS: 1000, RepliesPerS: 1000, P50: 30, P99: 9000, Requests: 1000, Replies: 1000}
	for _, c := range []struct {
		name string
		edit func(*SweepStep)
		want string
	}{
		{"a stall", func(*SweepStep) {}, ""},
		{"a queue", func(st *SweepStep) { st.P50 = 201 }, "p50 201 µs above 200 µs"},
		{"a closed loop's median", func(st *SweepStep) { st.Window, st.P50 = 16, 201 }, ""},
		{"a long stall", func(st *SweepStep) { st.P99 = 10_001 }, "p99 10,001 µs above 10,000 µs"},
		{"behind the rate", func(st *SweepStep) { st.RepliesPerS = 989 }, "989 right replies/s of 1,000 sent"},
		{"a short client", func(st *SweepStep) { st.RequestsPerS, st.RepliesPerS = 800, 800 }, ""},
		{"behind a short client", func(st *SweepStep) { st.RequestsPerS, st.RepliesPerS = 800, 700 }, "700 right replies/s of 800 sent"},
		{"a closed loop", func(st *SweepStep) { st.Window, st.RepliesPerS = 16, 800 }, ""},
		{"loss", func(st *SweepStep) { st.Lost = 2 }, "lost or wrong 2 of 1000 requests (bound 0.1%)"},
	} {
		st := SweepStep{Load: 1000, Measurement: ok}
		c.edit(&st)
		if got := b.broken(st, l); got != c.want {
			t.Errorf("%s: broke %q, want %q", c.name, got, c.want)
		}
	}
}

// TestSweepMeasuresTheSinglePointWindow: when the windows left it out
// (a closed sweep from above it), the single-point window is still
// measured once.
func TestSweepMeasuresTheSinglePointWindow(t *testing.T) {
	s := DefaultSweep()
	s.Closed, s.Start, s.Retries = true, 32, 0
	f := &fakeServer{capacity: 1000, latency: 100}
	res, err := s.Run(context.Background(), f.measure)
	if err != nil {
		t.Fatal(err)
	}
	ref, ok := res.ReferenceStep()
	if !ok || ref.Window != 16 || ref.Phase != PhaseReference || res.Reference != len(res.Steps)-1 {
		t.Errorf("single-point step %+v of %v", ref, phases(res))
	}
}

// TestClosedSweepRidesOutOneDip: one window that brings fewer replies
// (a busy machine's moment) does not end the rise; two flat ones do.
func TestClosedSweepRidesOutOneDip(t *testing.T) {
	res := closedSweepFromOne(t, map[int]float64{1: 1000, 2: 2000, 4: 1500, 8: 4000, 16: 4000, 32: 4100, 64: 4000})
	peak, _ := res.PeakStep()
	if len(res.Steps) != 6 || peak.Window != 32 || res.Stopped != "closed loop from window 1: replies no longer rise with the window" {
		t.Errorf("%d steps, peak %s, stopped: %s", len(res.Steps), peak.LoadName(), res.Stopped)
	}
}

// TestStarvedLightLoadIsNoted: a light-load step whose client could
// not send its rate sets loose bounds, and the notes say so.
func TestStarvedLightLoadIsNoted(t *testing.T) {
	starved := SweepStep{Load: 1000, Measurement: Measurement{RequestsPerS: 440}}
	if got := starvedNote(starved); !strings.Contains(got, "the light-load step sent 440 of 1,000 req/s") {
		t.Errorf("note %q", got)
	}
	if got := starvedNote(SweepStep{Load: 1000, Measurement: Measurement{RequestsPerS: 990}}); got != "" {
		t.Errorf("a light-load step that sent its rate is noted: %q", got)
	}
}

// TestClosedSweepRisesToTheSinglePointWindow: windows from 1 that dip
// twice below 16 do not end the rise before the single-point window.
func TestClosedSweepRisesToTheSinglePointWindow(t *testing.T) {
	res := closedSweepFromOne(t, map[int]float64{1: 5000, 2: 4000, 4: 3000, 8: 6000, 16: 9000, 32: 9100, 64: 9000})
	peak, _ := res.PeakStep()
	if len(res.Steps) != 7 || peak.Window != 32 || res.Reference != 4 {
		t.Errorf("%d steps, peak %s, single-point step %d", len(res.Steps), peak.LoadName(), res.Reference+1)
	}
}

// closedSweepFromOne sweeps windows from 1 against a server that answers
// each window with the replies a second given, within every bound.
func closedSweepFromOne(t *testing.T, replies map[int]float64) *SweepResult {
	t.Helper()
	server := func(ctx context.Context, s kvload.Step) (Measurement, error) {
		r := replies[s.Window]
		return Measurement{RequestsPerS: r, RepliesPerS: r, P50: 10, P99: 20, Requests: 100, Replies: 100}, nil
	}
	s := DefaultSweep()
	s.Closed, s.Start = true, 1
	res, err := s.Run(context.Background(), server)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
