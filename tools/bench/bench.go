// Package bench runs the throughput benchmark of the paper's Table 4:
// each row (a variant in a guest, or a front end on the host) is started,
// measured by the DPDK load generator over several runs, stopped, and the
// medians are set beside the paper's figures.
package bench

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ukkv/ukkv/tools/dpdk"
	"github.com/ukkv/ukkv/tools/kvload"
	"github.com/ukkv/ukkv/tools/variant"
)

// Workload is the load of every run, as kvload generates it.
type Workload struct{ kvload.Workload }

// DefaultWorkload is small enough for a laptop: 5 s runs after 1 s of
// warm-up, 90% GETs over 1000 keys of 64 bytes, 16 outstanding.
func DefaultWorkload() Workload {
	return Workload{kvload.Workload{GetRatio: 0.9, Keys: 1000, ValueSize: 64, Window: 16, Warmup: time.Second, Duration: 5 * time.Second}}
}

// Validate refuses a workload kvload could not run.
func (w Workload) Validate() error {
	switch {
	case w.GetRatio < 0 || w.GetRatio > 1:
		return fmt.Errorf("get ratio %g is outside 0..1", w.GetRatio)
	case w.Keys < 1:
		return fmt.Errorf("%d keys: want at least 1", w.Keys)
	case w.ValueSize < 1:
		return fmt.Errorf("value size %d: want at least 1 byte", w.ValueSize)
	case w.Zipf < 0:
		return fmt.Errorf("zipf exponent %g: want 0 (uniform) or more", w.Zipf)
	case w.Rate > 0 && w.Window > 0:
		return errors.New("a rate (open loop) and a window (closed loop) exclude each other")
	case w.Rate <= 0 && w.Window <= 0:
		return errors.New("give a rate (open loop) or a window (closed loop)")
	case w.Duration <= 0 || w.Warmup < 0:
		return fmt.Errorf("duration %s and warm-up %s: want a positive duration", w.Duration, w.Warmup)
	}
	return nil
}

// Measurement is what one run of the load generator saw.
type Measurement struct {
	RequestsPerS float64
	// RepliesPerS counts right replies only: the throughput reported.
	RepliesPerS float64
	// Latencies of right replies, in microseconds.
	P50, P99, P999 float64
	Requests       uint64
	Replies        uint64
	Lost           uint64
	Wrong          uint64
	Malformed      uint64
	Seconds        float64
}

// Target is one started row, ready to be measured again and again.
type Target interface {
	// Open starts a load generator (and for a guest row a fresh guest)
	// for workload w's keys, to be measured load after load; progress
	// gets kvload's line of each second.
	Open(ctx context.Context, w Workload, progress func(string)) (Session, error)
	// Stop ends everything the row started and removes its files.
	Stop() error
}

// Session is one load generator against a started row.
type Session interface {
	// Step measures one load.
	Step(ctx context.Context, s kvload.Step) (Measurement, error)
	// Close ends the load generator (and the guest) and removes its files.
	Close() error
}

// Booter starts rows, their servers ready for workload w. Boot returns a
// *SkipError when a prerequisite of the row is missing (an image not
// built, a binary absent).
type Booter interface {
	Boot(ctx context.Context, r *variant.Variant, w Workload) (Target, error)
}

// Loader measures the load generator's own ceiling against a responder
// that costs nothing.
type Loader interface {
	Ceiling(ctx context.Context, w Workload, progress func(string)) (Measurement, error)
}

// SkipError says why a row cannot run here and how to make it run.
type SkipError struct{ Reason string }

func (e *SkipError) Error() string { return "skipped: " + e.Reason }

// Skipf makes a *SkipError.
func Skipf(format string, args ...any) error {
	return &SkipError{Reason: fmt.Sprintf(format, args...)}
}

// Options say what a benchmark runs.
type Options struct {
	Rows     []*variant.Variant
	Runs     int
	Workload Workload
	Booter   Booter
	// Loader measures the client ceiling at the start and at the end;
	// nil leaves it out.
	Loader   Loader
	Progress *Progress
	// Accelerator is what the guests run on and why ("tcg (reason)"),
	// for the notes.
	Accelerator string
	// Sweep finds each row's peak and measures the Runs there; nil
	// measures the Runs at the workload's own load.
	Sweep *Sweep
	// Switch boots each guest row again in the switch topology, measured
	// the same way right after the row itself, so that the report can
	// give the switch's cost; nil measures each row once.
	Switch Booter
}

// RowResult is what became of one row: its runs, or why it has none.
type RowResult struct {
	Row  *variant.Variant
	Runs []Measurement
	// Skipped is the reason a row did not run; Failed the error that
	// ended it (after the runs in Runs).
	Skipped string
	Failed  error
	// Sweep is the row's load sweep, nil in single-point mode.
	Sweep *SweepResult
	// Path says how the load generator reached the row's server.
	Path string
	// Topology is Switch for a guest row measured again through the
	// switch beside its direct result (Options.Switch), else "".
	Topology string
}

// Name names the result in the reports: the row's name, with
// " (switch)" when it is a guest row's second result through the switch.
func (r RowResult) Name() string {
	if r.Topology == Switch {
		return r.Row.Name + " (switch)"
	}
	return r.Row.Name
}

// Pather is a Target that can say how kvload reaches its server and
// what that path costs, for the report.
type Pather interface {
	Path() string
}

// Outcome is a whole benchmark.
type Outcome struct {
	Workload    Workload
	Runs        int
	Accelerator string
	Sweep       *Sweep
	Rows        []RowResult
	// LoadBefore and LoadAfter are the machine's load averages (1, 5
	// and 15 minutes) when the benchmark began and ended.
	LoadBefore, LoadAfter string
	// CPUs is how many CPUs the benchmark's processes may use.
	CPUs int
	// Ceiling is the client's own limit at the start, CeilingEnd at
	// the end (after every row): how far the machine's speed moved
	// during the benchmark. CeilingErr and CeilingEndErr say why one
	// is missing.
	Ceiling, CeilingEnd       *Measurement
	CeilingErr, CeilingEndErr error
	// Previous is an earlier benchmark's Table 4 to hold this one
	// against, nil for none.
	Previous *Previous
}

// Failed lists the rows that failed, as one error (nil if none did).
func (o *Outcome) Failed() error {
	var errs []error
	for _, r := range o.Rows {
		if r.Failed != nil {
			errs = append(errs, fmt.Errorf("%s: %w", r.Name(), r.Failed))
		}
	}
	return errors.Join(errs...)
}

// CeilingWorkload is the load of the client ceiling: w itself for a
// closed loop, but a closed loop of the default window for an open one,
// whose rate would otherwise be all the ceiling could show.
func CeilingWorkload(w Workload) Workload {
	if w.Rate > 0 {
		w.Rate, w.Window = 0, DefaultWorkload().Window
	}
	return w
}

// NothingMeasured is an error naming why each row has no runs when no
// row has any, nil otherwise: such an outcome is not worth a report that
// would replace an earlier one.
func (o *Outcome) NothingMeasured() error {
	var why []string
	for _, r := range o.Rows {
		switch {
		case len(r.Runs) > 0:
			return nil
		case r.Failed != nil:
			why = append(why, fmt.Sprintf("%s failed: %s", r.Name(), firstLine(r.Failed.Error())))
		default:
			why = append(why, fmt.Sprintf("%s skipped: %s", r.Name(), r.Skipped))
		}
	}
	return fmt.Errorf("no row was measured:\n  %s", strings.Join(why, "\n  "))
}

// Run measures the client ceiling, starts and sweeps each row in turn,
// then measures the runs round-robin (run 1 of every row, then run 2 of
// every row, ...), stops every row and measures the client ceiling again.
// Interleaved, each row's median samples the same stretch of time as the
// others', so a machine whose speed drifts over minutes moves every row
// alike and the ratios between rows keep. A skipped or failed row does not
// stop the others; only the end of ctx does, returning what was measured
// with ctx's error.
func Run(ctx context.Context, opts Options) (*Outcome, error) {
	if opts.Runs < 1 {
		return nil, fmt.Errorf("%d runs: want at least 1", opts.Runs)
	}
	if err := opts.Workload.Validate(); err != nil {
		return nil, err
	}
	if opts.Sweep != nil {
		if err := opts.Sweep.Validate(); err != nil {
			return nil, err
		}
	}
	out := &Outcome{Workload: opts.Workload, Runs: opts.Runs, Accelerator: opts.Accelerator, Sweep: opts.Sweep,
		LoadBefore: loadAverage(), CPUs: len(dpdk.CPUs())}
	defer func() { out.LoadAfter = loadAverage() }()
	out.Ceiling, out.CeilingErr = measureCeiling(ctx, opts, "client ceiling at the start")
	out.Rows = measureRows(ctx, opts)
	if ctx.Err() == nil {
		out.CeilingEnd, out.CeilingEndErr = measureCeiling(ctx, opts, "client ceiling at the end")
	}
	return out, ctx.Err()
}

// measureCeiling measures the client ceiling; nil and no error without
// a Loader.
func measureCeiling(ctx context.Context, opts Options, name string) (*Measurement, error) {
	if opts.Loader == nil {
		return nil, nil
	}
	p := opts.Progress
	p.Stage(name)
	c, err := opts.Loader.Ceiling(ctx, CeilingWorkload(opts.Workload), p.Live(name))
	if err != nil {
		p.Result(name, err)
		return nil, err
	}
	p.Result(fmt.Sprintf("%s %s req/s", name, formatRate(c.RepliesPerS)), nil)
	return &c, nil
}

// course is one row on its way through the benchmark: its result so
// far, its Target until stopped, and the load of its runs.
type course struct {
	res    RowResult
	target Target
	load   kvload.Step
}

// stop stops the row's Target, once; a failed stop fails the row.
func (c *course) stop() {
	if c.target == nil {
		return
	}
	err := c.target.Stop()
	c.target = nil
	if err != nil && c.res.Failed == nil {
		c.res.Failed = err
	}
}

// measureRows starts and sweeps every row (and, with opts.Switch, each
// guest row again behind the switch), then measures their runs
// round-robin. Every started Target is stopped on the way out, whatever
// ended the benchmark.
func measureRows(ctx context.Context, opts Options) (rows []RowResult) {
	var courses []*course
	defer func() {
		for _, c := range courses {
			c.stop()
			rows = append(rows, c.res)
		}
	}()
	for i, row := range opts.Rows {
		if ctx.Err() != nil {
			return nil
		}
		label := rowLabel(i+1, len(opts.Rows), row.Name)
		courses = append(courses, startRow(ctx, opts, opts.Booter, row, label))
		if opts.Switch != nil && row.InGuest() && ctx.Err() == nil {
			c := startRow(ctx, opts, opts.Switch, row, label+" (switch)")
			c.res.Topology = Switch
			courses = append(courses, c)
		}
	}
	for run := 1; run <= opts.Runs && ctx.Err() == nil; run++ {
		for _, c := range courses {
			if ctx.Err() != nil {
				return nil
			}
			c.measureRun(ctx, opts, run)
		}
	}
	return nil
}

// startRow starts one row with booter and, when sweeping, finds its
// peak; a row that cannot be measured is stopped at once.
func startRow(ctx context.Context, opts Options, booter Booter, row *variant.Variant, label string) *course {
	p := opts.Progress
	c := &course{res: RowResult{Row: row}, load: pointStep(opts.Workload)}
	p.Stage(label + ": starting")
	t, err := booter.Boot(ctx, row, opts.Workload)
	var skip *SkipError
	if errors.As(err, &skip) {
		c.res.Skipped = skip.Reason
		p.Result(label+": skipped: "+skip.Reason, nil)
		return c
	}
	if err != nil {
		c.res.Failed = err
		p.Result(label, err)
		return c
	}
	c.target = t
	if pt, ok := t.(Pather); ok {
		c.res.Path = pt.Path()
	}
	if opts.Sweep != nil {
		c.load, c.res.Sweep, c.res.Failed = sweepRow(ctx, opts, t, label)
	}
	if c.res.Failed != nil {
		c.stop()
	}
	return c
}

// pointStep is the workload's own load, measured for its duration.
func pointStep(w Workload) kvload.Step {
	return kvload.Step{Rate: w.Rate, Window: w.Window, Duration: w.Duration, Warmup: w.Warmup}
}

// sweepRow sweeps a row in one session and returns the load of its peak
// with the workload's duration, for the measured runs.
func sweepRow(ctx context.Context, opts Options, t Target, label string) (kvload.Step, *SweepResult, error) {
	p, sw := opts.Progress, *opts.Sweep
	name := label + " sweep"
	p.Pending(name)
	var res *SweepResult
	err := inSession(ctx, t, opts.Workload, p.Live(name), func(s Session) error {
		var err error
		res, err = sw.Run(ctx, func(ctx context.Context, st kvload.Step) (Measurement, error) {
			m, err := s.Step(ctx, st)
			if err == nil {
				p.Result(stepLine(name, st, m), nil)
			}
			return m, err
		})
		return err
	})
	if err != nil {
		p.Result(name, err)
		return kvload.Step{}, res, err
	}
	peak, ok := res.PeakStep()
	if !ok {
		err := fmt.Errorf("no step kept the bounds (%s)", res.Stopped)
		p.Result(name, err)
		return kvload.Step{}, res, err
	}
	p.Result(fmt.Sprintf("%s: peak %s req/s at %s; %s", name, formatRate(peak.RepliesPerS), peak.LoadName(), res.Stopped), nil)
	return peak.Step(opts.Workload.Duration, opts.Workload.Warmup), res, nil
}

// stepLine is the progress line of one sweep step.
func stepLine(name string, st kvload.Step, m Measurement) string {
	load := fmt.Sprintf("window %d", st.Window)
	if st.Rate > 0 {
		load = formatRate(st.Rate) + " req/s"
	}
	return fmt.Sprintf("%s: %s: %s rep/s, p50 %s µs, p99 %s µs, lost %d, wrong %d", name, load,
		formatRate(m.RepliesPerS), formatRate(m.P50), formatRate(m.P99), m.Lost, m.Wrong)
}

// measureRun measures the row's run-th run at its load in a session of
// its own (a guest row boots a fresh guest for each); a failed run stops
// the row. A row already stopped has nothing to measure.
func (c *course) measureRun(ctx context.Context, opts Options, run int) {
	if c.target == nil {
		return
	}
	p := opts.Progress
	name := runLabel(c.res.Name(), run, opts.Runs)
	p.Pending(name)
	var m Measurement
	err := inSession(ctx, c.target, opts.Workload, p.Live(name), func(s Session) error {
		var err error
		m, err = s.Step(ctx, c.load)
		return err
	})
	if err != nil {
		p.Result(name, err)
		c.res.Failed = fmt.Errorf("run %d: %w", run, err)
		c.stop()
		return
	}
	c.res.Runs = append(c.res.Runs, m)
	p.Result(fmt.Sprintf("%s: %s req/s, p99 %s µs, lost %d, wrong %d", name,
		formatRate(m.RepliesPerS), formatRate(m.P99), m.Lost, m.Wrong), nil)
}

// inSession opens a session of t, runs fn in it and closes it.
func inSession(ctx context.Context, t Target, w Workload, progress func(string), fn func(Session) error) error {
	s, err := t.Open(ctx, w, progress)
	if err != nil {
		return err
	}
	err = fn(s)
	if closeErr := s.Close(); closeErr != nil && err == nil {
		err = closeErr
	}
	return err
}
