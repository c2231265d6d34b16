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
	// Measure runs the load once; progress gets kvload's line of each
	// second.
	Measure(ctx context.Context, w Workload, progress func(string)) (Measurement, error)
	// Stop ends everything the row started and removes its files.
	Stop() error
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
	// Loader measures the client ceiling once; nil leaves it out.
	Loader   Loader
	Progress *Progress
	// Accelerator is what the guests run on and why ("tcg (reason)"),
	// for the notes.
	Accelerator string
}

// RowResult is what became of one row: its runs, or why it has none.
type RowResult struct {
	Row  *variant.Variant
	Runs []Measurement
	// Skipped is the reason a row did not run; Failed the error that
	// ended it (after the runs in Runs).
	Skipped string
	Failed  error
}

// Outcome is a whole benchmark.
type Outcome struct {
	Workload    Workload
	Runs        int
	Accelerator string
	Rows        []RowResult
	// Ceiling is the client's own limit; CeilingErr why it is missing.
	Ceiling    *Measurement
	CeilingErr error
}

// Failed lists the rows that failed, as one error (nil if none did).
func (o *Outcome) Failed() error {
	var errs []error
	for _, r := range o.Rows {
		if r.Failed != nil {
			errs = append(errs, fmt.Errorf("%s: %w", r.Row.Name, r.Failed))
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
			why = append(why, fmt.Sprintf("%s failed: %s", r.Row.Name, firstLine(r.Failed.Error())))
		default:
			why = append(why, fmt.Sprintf("%s skipped: %s", r.Row.Name, r.Skipped))
		}
	}
	return fmt.Errorf("no row was measured:\n  %s", strings.Join(why, "\n  "))
}

// Run measures the client ceiling, then each row in turn: start, Runs
// measured runs, stop. A skipped or failed row does not stop the others;
// only the end of ctx does, returning what was measured with ctx's error.
func Run(ctx context.Context, opts Options) (*Outcome, error) {
	if opts.Runs < 1 {
		return nil, fmt.Errorf("%d runs: want at least 1", opts.Runs)
	}
	if err := opts.Workload.Validate(); err != nil {
		return nil, err
	}
	p := opts.Progress
	out := &Outcome{Workload: opts.Workload, Runs: opts.Runs, Accelerator: opts.Accelerator}
	if opts.Loader != nil {
		p.Stage("client ceiling")
		c, err := opts.Loader.Ceiling(ctx, CeilingWorkload(opts.Workload), p.Live("client ceiling"))
		if err != nil {
			out.CeilingErr = err
			p.Result("client ceiling", err)
		} else {
			out.Ceiling = &c
			p.Result(fmt.Sprintf("client ceiling %s req/s", formatRate(c.RepliesPerS)), nil)
		}
	}
	for i, row := range opts.Rows {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		label := rowLabel(i+1, len(opts.Rows), row.Name)
		out.Rows = append(out.Rows, runRow(ctx, opts, row, label))
	}
	return out, ctx.Err()
}

// runRow starts one row, measures it opts.Runs times and stops it.
func runRow(ctx context.Context, opts Options, row *variant.Variant, label string) RowResult {
	p := opts.Progress
	res := RowResult{Row: row}
	p.Stage(label + ": starting")
	t, err := opts.Booter.Boot(ctx, row, opts.Workload)
	var skip *SkipError
	if errors.As(err, &skip) {
		res.Skipped = skip.Reason
		p.Result(label+": skipped: "+skip.Reason, nil)
		return res
	}
	if err != nil {
		res.Failed = err
		p.Result(label, err)
		return res
	}
	for run := 1; run <= opts.Runs; run++ {
		runName := runLabel(label, run, opts.Runs)
		p.Pending(runName)
		m, err := t.Measure(ctx, opts.Workload, p.Live(runName))
		if err != nil {
			res.Failed = fmt.Errorf("run %d: %w", run, err)
			p.Result(runName, err)
			break
		}
		res.Runs = append(res.Runs, m)
		p.Result(fmt.Sprintf("%s: %s req/s, p99 %s µs, lost %d, wrong %d", runName,
			formatRate(m.RepliesPerS), formatRate(m.P99), m.Lost, m.Wrong), nil)
	}
	if err := t.Stop(); err != nil && res.Failed == nil {
		res.Failed = err
	}
	return res
}
