package experiment

import (
	"context"
	"fmt"
	"strings"

	log "github.com/sirupsen/logrus"

	"github.com/ukkv/ukkv/tools/bench"
	"github.com/ukkv/ukkv/tools/report"
	"github.com/ukkv/ukkv/tools/variant"
)

// profileThroughputTarget is the share of its perf build's throughput a
// row built in another profile should keep.
const profileThroughputTarget = 0.95

// throughputs are the rows' throughputs measured by a compare, or why
// there are none.
type throughputs struct {
	out *bench.Outcome
	// missing says why nothing was measured; empty when not asked for.
	missing string
}

// measureThroughputs measures the rows as `ukkv bench --single-point`
// does: o.ThroughputRuns runs of o.Workload each, a fresh boot a run,
// kvload the guest's vhost-user backend. A benchmark that measures no
// row leaves a gap in the report, not a lost one.
func measureThroughputs(ctx context.Context, env *Env, rows []*variant.Variant, o CompareOptions) (throughputs, error) {
	if o.ThroughputRuns == 0 {
		return throughputs{}, nil
	}
	r, err := Bench(ctx, env, BenchOptions{
		Rows: rows, Runs: o.ThroughputRuns, Workload: o.Workload, Progress: o.Progress, NoCeiling: true,
	})
	if ctx.Err() != nil {
		return throughputs{}, ctx.Err()
	}
	if err != nil {
		log.Warnf("throughput not measured: %v", err)
		return throughputs{missing: err.Error()}, nil
	}
	if c := r.Outcome.WrongCheck(); c.Status == "missed" {
		log.Warn(c.String())
	}
	return throughputs{out: r.Outcome}, nil
}

// result is the benchmark's result of the named row.
func (tp throughputs) result(name string) (bench.RowResult, bool) {
	if tp.out == nil {
		return bench.RowResult{}, false
	}
	for _, r := range tp.out.Rows {
		if r.Row.Name == name {
			return r, true
		}
	}
	return bench.RowResult{}, false
}

// cells are a row's throughput columns: median, min, max, wrong replies
// and the ratio to its perf build (empty for a perf row).
func (tp throughputs) cells(r compareRow, perf *compareRow) []report.Cell {
	res, ok := tp.result(r.row.Name)
	if !ok || len(res.Runs) == 0 {
		return []report.Cell{{}, {}, {}, {}, {}}
	}
	s := res.Summary()
	ratio := report.Cell{}
	if perf != nil {
		ratio = report.Num(tp.out.RowRatio(r.row.Name, perf.row.Name).Median)
	}
	return []report.Cell{report.Num(s.Throughput.Median), report.Num(s.Throughput.Min), report.Num(s.Throughput.Max),
		report.Int(int64(s.Wrong)), ratio}
}

// notes say how the throughput was measured, judge each row built in
// another profile against its perf build, and name rows left out.
func (tp throughputs) notes(rows []compareRow) []string {
	if tp.out == nil {
		if tp.missing == "" {
			return nil
		}
		why, _, _ := strings.Cut(tp.missing, "\n")
		return []string{"throughput: not measured: " + why}
	}
	w := tp.out.Workload
	notes := []string{
		fmt.Sprintf("throughput: right replies per second, median of %d run(s) of %s after %s of warm-up (min and max beside), each in a fresh boot with kvload as the guest's vhost-user backend, as `ukkv bench --single-point` measures; workload: %s", tp.out.Runs, w.Duration, w.Warmup, w.String()),
	}
	var judged []string
	for _, r := range rows {
		if perf := perfOf(r, rows); perf != nil {
			judged = append(judged, tp.profileNote(r, *perf))
		}
	}
	if len(judged) > 0 {
		notes = append(notes, fmt.Sprintf("vs perf: a row's median throughput over its perf build's, both measured in this run; target at least %gx", profileThroughputTarget))
		notes = append(notes, judged...)
	}
	notes = append(notes, tp.out.WrongCheck().String())
	for _, r := range tp.out.Rows {
		switch {
		case r.Skipped != "":
			notes = append(notes, fmt.Sprintf("%s throughput skipped: %s", r.Row.Name, r.Skipped))
		case r.Failed != nil:
			why, _, _ := strings.Cut(r.Failed.Error(), "\n")
			notes = append(notes, fmt.Sprintf("%s throughput failed: %s", r.Row.Name, why))
		}
	}
	return notes
}

// profileNote judges a row of another build profile against its perf
// build and, when it keeps less throughput, says what its size costs.
func (tp throughputs) profileNote(r, perf compareRow) string {
	c := tp.out.AtLeast(r.row.Name, perf.row.Name, profileThroughputTarget)
	note := c.String()
	if saved := perf.bytes - r.bytes; saved > 0 && c.Status != "not measured" {
		note += fmt.Sprintf("; its image is %s bytes (%s%%) smaller", report.Int(saved), report.Num(100*float64(saved)/float64(perf.bytes)))
		if ratio := tp.out.RowRatio(r.row.Name, perf.row.Name).Median; ratio < 1 {
			note += fmt.Sprintf(", for %s%% less throughput", report.Num(100*(1-ratio)))
		}
	}
	return note
}

// perfOf is the row of the compare that is r's perf build, nil when r
// is a perf row or its perf build is not compared.
func perfOf(r compareRow, rows []compareRow) *compareRow {
	if r.row.Profile == "" {
		return nil
	}
	p, err := variant.LookupProfile(r.row.Profile)
	if err != nil {
		return nil
	}
	for i, c := range rows {
		if c.row.Profile == "" && c.row.InProfile(p).Name == r.row.Name {
			return &rows[i]
		}
	}
	return nil
}

// throughputChart is each row's median throughput, min to max.
func (tp throughputs) chart(rows []compareRow) *report.BarChart {
	c := &report.BarChart{Name: "throughput", Title: "Throughput (median, min-max)", Unit: "req/s", Horizontal: true}
	for _, r := range rows {
		bar := report.Missing()
		if res, ok := tp.result(r.row.Name); ok && len(res.Runs) > 0 {
			s := res.Summary().Throughput
			bar = report.Bar{Value: s.Median, Low: s.Min, High: s.Max}
		}
		c.Groups = append(c.Groups, report.BarGroup{Label: r.row.Name, Bars: []report.Bar{bar}})
	}
	return c
}
