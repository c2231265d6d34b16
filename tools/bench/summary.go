package bench

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/ukkv/ukkv/tools/report"
	"github.com/ukkv/ukkv/tools/variant"
)

// RowSummary is a row's runs reduced to the figures of the table.
type RowSummary struct {
	Throughput Spread // right replies per second
	P50, P99   float64
	Lost       uint64
	Wrong      uint64
}

// Summary reduces a row's runs: throughput spread, median latencies,
// lost and wrong replies summed over all runs.
func (r RowResult) Summary() RowSummary {
	var tput, p50, p99 []float64
	var s RowSummary
	for _, m := range r.Runs {
		tput = append(tput, m.RepliesPerS)
		p50 = append(p50, m.P50)
		p99 = append(p99, m.P99)
		s.Lost += m.Lost
		s.Wrong += m.Wrong
	}
	s.Throughput = Summarize(tput)
	s.P50, s.P99 = Summarize(p50).Median, Summarize(p99).Median
	return s
}

// Status is "measured", "skipped" or "failed".
func (r RowResult) Status() string {
	switch {
	case r.Failed != nil:
		return "failed"
	case r.Skipped != "":
		return "skipped"
	}
	return "measured"
}

// baseline is the median throughput of a measured row of the outcome,
// NaN when that row has no runs.
func (o *Outcome) baseline(name string) float64 {
	return Summarize(o.runRates(name)).Median
}

// The rows every other row's ratios are taken against, as in the paper.
const (
	baselineSingle = "linux-single"
	baselineDPDK   = "linux-dpdk"
)

var summaryColumns = []report.Column{
	{Name: "row"}, {Name: "setup"}, {Name: "status"}, {Name: "runs"},
	{Name: "throughput", Unit: "req/s"}, {Name: "min", Unit: "req/s"}, {Name: "max", Unit: "req/s"},
	{Name: "spread", Unit: "%"}, {Name: "offered", Unit: "req/s"}, {Name: "p99 bound", Unit: "µs"},
	{Name: "single-point", Unit: "req/s"}, {Name: "peak vs single-point", Unit: "x"}, {Name: "switch vs direct", Unit: "x"},
	{Name: "of client ceiling", Unit: "%"}, {Name: "paper", Unit: "req/s"},
	{Name: "vs linux-single", Unit: "x"}, {Name: "paper vs linux-single", Unit: "x"},
	{Name: "vs linux-dpdk", Unit: "x"}, {Name: "paper vs linux-dpdk", Unit: "x"},
	{Name: "p50", Unit: "µs"}, {Name: "p99", Unit: "µs"},
	{Name: "lost"}, {Name: "wrong"},
}

// SummaryTable lays the outcome out like the paper's Table 4, with the
// paper's figures and ratios beside ours.
func SummaryTable(o *Outcome, paper *report.Table4, stamp report.Stamp) *report.Table {
	t := &report.Table{
		Title:   "Throughput of the KV server, after the paper's Table 4",
		Stamp:   stamp,
		Columns: summaryColumns,
		Notes:   o.notes(),
	}
	for _, r := range o.Rows {
		s := r.Summary()
		ours := o.Ratios(r.Name())
		pRPS, pRatios := paperFigures(paper, r.Row)
		t.AddRow(report.Text(r.Name()), report.Text(r.Row.PaperSetup()), report.Text(r.Status()),
			report.Int(int64(len(r.Runs))),
			report.Num(s.Throughput.Median), report.Num(s.Throughput.Min), report.Num(s.Throughput.Max),
			report.Num(s.Throughput.SpreadPercent()), report.Num(o.offered(r)), report.Num(r.p99Bound()),
			report.Num(r.singlePoint()), report.Num(r.peakVsSinglePoint()), report.Num(o.switchCost(r)),
			report.Num(o.ceilingShare(s.Throughput.Median)), report.Num(pRPS),
			report.Num(ours.VsLinuxSingle), report.Num(pRatios.VsLinuxSingle),
			report.Num(ours.VsLinuxDPDK), report.Num(pRatios.VsLinuxDPDK),
			report.Num(s.P50), report.Num(s.P99),
			counts(r, s.Lost), counts(r, s.Wrong))
	}
	o.addCeilingRows(t)
	return t
}

// switchCost is a guest row's throughput through the switch over its
// throughput direct, both measured in this benchmark; NaN for any other.
func (o *Outcome) switchCost(r RowResult) float64 {
	if r.Topology != Switch || len(r.Runs) == 0 {
		return math.NaN()
	}
	return r.Summary().Throughput.Median / o.baseline(r.Row.Name)
}

// switchNotes state each guest row's switch cost.
func (o *Outcome) switchNotes() []string {
	var costs []string
	for _, r := range o.Rows {
		if c := o.switchCost(r); !math.IsNaN(c) {
			costs = append(costs, fmt.Sprintf("%s %sx", r.Row.Name, formatRate(c)))
		}
	}
	if len(costs) == 0 {
		return nil
	}
	notes := []string{"switch vs direct (each guest row's figure through testpmd over its figure with kvload as the backend, both measured the same way in this benchmark): " + strings.Join(costs, ", ")}
	if o.CPUs < switchCPUs {
		notes = append(notes, fmt.Sprintf("the switch's figures are this machine's, not testpmd's: with %d CPU(s), testpmd's "+
			"forwarding core, the guest's vCPU and kvload are three busy threads on fewer CPUs, and each hand-off between "+
			"two that share one waits for the scheduler's time slice; %d CPUs give each its own", o.CPUs, switchCPUs))
	}
	return notes
}

// switchCPUs are the CPUs the switch topology needs: kvload, testpmd's
// forwarding core and the guest's vCPU each poll one.
const switchCPUs = 3

// offered is the load the row's runs were offered: its peak's in a
// sweep, else the workload's rate or, in a closed loop, the median of
// the requests sent; NaN without runs.
func (o *Outcome) offered(r RowResult) float64 {
	switch {
	case len(r.Runs) == 0:
		return math.NaN()
	case r.Sweep != nil:
		return r.peakOffered()
	case o.Workload.Rate > 0:
		return o.Workload.Rate
	}
	var sent []float64
	for _, m := range r.Runs {
		sent = append(sent, m.RequestsPerS)
	}
	return Summarize(sent).Median
}

// p99Bound is the p99 bound of the row's sweep, NaN without one.
func (r RowResult) p99Bound() float64 {
	if r.Sweep == nil || len(r.Runs) == 0 {
		return math.NaN()
	}
	return r.Sweep.P99Bound
}

// counts is a sum over a row's runs, empty for a row without runs.
func counts(r RowResult, n uint64) report.Cell {
	if len(r.Runs) == 0 {
		return report.Text("")
	}
	return report.Int(int64(n))
}

// paperFigures is the paper's throughput and ratios of a row, NaN when
// the paper has no such row.
func paperFigures(paper *report.Table4, r *variant.Variant) (float64, report.Ratios) {
	nan := math.NaN()
	if !r.HasPaper() {
		return nan, report.Ratios{VsLinuxSingle: nan, VsLinuxDPDK: nan}
	}
	rps, err := paper.Find(r.PaperSetup(), r.PaperMode)
	if err != nil {
		return nan, report.Ratios{VsLinuxSingle: nan, VsLinuxDPDK: nan}
	}
	return rps, paper.Ratios(rps)
}

// notes say how the figures were taken and what could not be.
func (o *Outcome) notes() []string {
	w := o.Workload
	notes := []string{
		fmt.Sprintf("throughput: right replies per second, median of %d run(s) of %s after %s of warm-up each, min and max beside, spread (max-min)/median; p50/p99: medians over the runs; lost and wrong: sums over the runs", o.Runs, w.Duration, w.Warmup),
		"workload: " + o.workloadNote(),
		"ratios: to this benchmark's own linux-single and linux-dpdk guest rows (empty when that row was not measured), the median of the ratios of run 1 to run 1, run 2 to run 2 and so on (the runs are measured round-robin, so each pair shares one stretch of time), beside the paper's ratios; compare ratios, not absolute figures: the paper used KVM and a second machine as the client",
		"paper: Unikraft (EuroSys'21), Table 4, as kept in tools/report/paper/table4.csv",
	}
	if o.Accelerator != "" {
		notes = append(notes, "accelerator: "+o.Accelerator)
	}
	notes = append(notes, o.ceilingNote())
	for _, r := range o.clientBound() {
		notes = append(notes, fmt.Sprintf("%s reached %.0f%% of the client ceiling or more: its figure may be the client's limit, not the server's", r, clientBoundShare*100))
	}
	for _, c := range o.Checks() {
		notes = append(notes, c.String())
	}
	for _, r := range o.Rows {
		if r.Path != "" {
			notes = append(notes, fmt.Sprintf("%s path: %s", r.Name(), r.Path))
		}
	}
	notes = append(notes, o.contendedNotes()...)
	notes = append(notes, o.spreadNotes()...)
	notes = append(notes, o.sweepNotes()...)
	notes = append(notes, o.repeatNotes()...)
	notes = append(notes, o.switchNotes()...)
	notes = append(notes, fmt.Sprintf("load average (1, 5, 15 min) of the machine: %s before, %s after", orUnknown(o.LoadBefore), orUnknown(o.LoadAfter)))
	for _, r := range o.Rows {
		switch {
		case r.Skipped != "":
			notes = append(notes, fmt.Sprintf("%s skipped: %s", r.Name(), r.Skipped))
		case r.Failed != nil:
			notes = append(notes, fmt.Sprintf("%s failed: %s", r.Name(), strings.Join(strings.Fields(r.Failed.Error()), " ")))
		}
	}
	return notes
}

// clientBoundShare is the share of the client ceiling from which a row's
// throughput may be the client's limit rather than the server's.
const clientBoundShare = 0.8

// clientBound lists the rows whose median comes near the client ceiling.
func (o *Outcome) clientBound() []string {
	var names []string
	if o.Ceiling == nil {
		return nil
	}
	for _, r := range o.Rows {
		if len(r.Runs) > 0 && o.ceilingShare(r.Summary().Throughput.Median) >= 100*clientBoundShare {
			names = append(names, r.Name())
		}
	}
	return names
}

// workloadNote is the workload without its own load in a sweep, where
// each row gets its peak's.
func (o *Outcome) workloadNote() string {
	if o.Sweep == nil {
		return o.Workload.String()
	}
	return o.Workload.Mix() + ", each row at the offered load of its peak"
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// String describes the workload in one line.
func (w Workload) String() string {
	loop := fmt.Sprintf("closed loop, %d outstanding", w.Window)
	if w.Rate > 0 {
		loop = fmt.Sprintf("open loop at %s req/s", formatRate(w.Rate))
	}
	return w.Mix() + ", " + loop
}

// Mix describes the requests of the workload, not their load.
func (w Workload) Mix() string {
	dist := "uniform"
	if w.Zipf > 0 {
		dist = fmt.Sprintf("zipf %g", w.Zipf)
	}
	return fmt.Sprintf("%g%% GET, %d keys (%s), %d-byte values", w.GetRatio*100, w.Keys, dist, w.ValueSize)
}

var runColumns = []report.Column{
	{Name: "row"}, {Name: "run"},
	{Name: "requests", Unit: "req/s"}, {Name: "replies", Unit: "req/s"},
	{Name: "p50", Unit: "µs"}, {Name: "p99", Unit: "µs"}, {Name: "p99.9", Unit: "µs"},
	{Name: "requests sent"}, {Name: "right replies"}, {Name: "lost"}, {Name: "wrong"}, {Name: "malformed"},
	{Name: "measured", Unit: "s"},
}

// RunsTable has every run of every row, and the client ceiling's.
func RunsTable(o *Outcome, stamp report.Stamp) *report.Table {
	t := &report.Table{
		Title:   "Every run of the throughput benchmark",
		Stamp:   stamp,
		Columns: runColumns,
		Notes:   []string{"workload: " + o.Workload.String(), o.ceilingNote()},
	}
	for _, c := range o.ceilings() {
		t.AddRow(runCells(c.name, 1, *c.m)...)
	}
	for _, r := range o.Rows {
		for i, m := range r.Runs {
			t.AddRow(runCells(r.Name(), i+1, m)...)
		}
	}
	return t
}

func runCells(row string, run int, m Measurement) []report.Cell {
	return []report.Cell{
		report.Text(row), report.Int(int64(run)),
		report.Num(m.RequestsPerS), report.Num(m.RepliesPerS),
		report.Num(m.P50), report.Num(m.P99), report.Num(m.P999),
		report.Int(int64(m.Requests)), report.Int(int64(m.Replies)),
		report.Int(int64(m.Lost)), report.Int(int64(m.Wrong)), report.Int(int64(m.Malformed)),
		report.Num(m.Seconds),
	}
}

// Charts draws the measured rows: throughput beside the paper's on a
// log scale, and latency. No measured row, no chart.
func Charts(o *Outcome, paper *report.Table4) []*report.BarChart {
	tput := &report.BarChart{
		Name: chartNames[0], Title: "Throughput, ukkv beside the paper", Unit: "req/s",
		Horizontal: true, Log: true, Series: []string{"ukkv", "paper"},
	}
	lat := &report.BarChart{
		Name: chartNames[1], Title: "Latency of right replies (median of the runs)", Unit: "µs",
		Horizontal: true, Log: true, Series: []string{"p50", "p99"},
	}
	for _, r := range o.Rows {
		if len(r.Runs) == 0 {
			continue
		}
		s := r.Summary()
		paperBar := report.Missing()
		if rps, _ := paperFigures(paper, r.Row); !math.IsNaN(rps) {
			paperBar = report.Bar{Value: rps}
		}
		ours := report.Bar{Value: s.Throughput.Median, Low: s.Throughput.Min, High: s.Throughput.Max}
		tput.Groups = append(tput.Groups, report.BarGroup{Label: r.Name(), Bars: []report.Bar{ours, paperBar}})
		lat.Groups = append(lat.Groups, report.BarGroup{Label: r.Name(), Bars: []report.Bar{{Value: s.P50}, {Value: s.P99}}})
	}
	if len(tput.Groups) == 0 {
		return nil
	}
	return []*report.BarChart{tput, lat}
}

// Report file names in the results folder.
const (
	SummaryBase = "table4"
	RunsBase    = "runs"
)

// Write writes the summary with its charts, the runs table, after a
// sweep the sweep table with its charts, and against a previous
// benchmark the repeat tables (rows, and ratios between rows) into dir, and returns the paths
// written. Files of an earlier benchmark that this one has no data for
// are removed, so that none passes for this one's.
func Write(dir string, o *Outcome, paper *report.Table4, stamp report.Stamp) ([]string, error) {
	paths, err := report.WriteAll(dir, RunsBase, RunsTable(o, stamp))
	if err != nil {
		return nil, err
	}
	charts := Charts(o, paper)
	more, err := report.WriteAll(dir, SummaryBase, SummaryTable(o, paper, stamp), charts...)
	if err != nil {
		return nil, err
	}
	paths = append(paths, more...)
	var stale []string
	if len(charts) == 0 {
		stale = append(stale, chartFiles(SummaryBase, chartNames)...)
	}
	if o.Sweep == nil {
		stale = append(stale, SweepBase+".json", SweepBase+".csv", SweepBase+".md")
	}
	if o.Previous == nil {
		for _, base := range []string{RepeatBase, RepeatRatiosBase} {
			stale = append(stale, base+".json", base+".csv", base+".md")
		}
	} else {
		more, err := report.WriteAll(dir, RepeatBase, RepeatTable(o, stamp))
		if err != nil {
			return nil, err
		}
		paths = append(paths, more...)
		if more, err = report.WriteAll(dir, RepeatRatiosBase, RepeatRatiosTable(o, stamp)); err != nil {
			return nil, err
		}
		paths = append(paths, more...)
	}
	sweepCharts := SweepCharts(o)
	if len(sweepCharts) == 0 {
		stale = append(stale, chartFiles(SweepBase, sweepChartNames)...)
	}
	if o.Sweep != nil {
		more, err := report.WriteAll(dir, SweepBase, SweepTable(o, stamp))
		if err != nil {
			return nil, err
		}
		paths = append(paths, more...)
	}
	if len(sweepCharts) > 0 {
		more, err := report.WriteLineCharts(dir, SweepBase, stamp, sweepCharts...)
		if err != nil {
			return nil, err
		}
		paths = append(paths, more...)
	}
	for _, name := range stale {
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return paths, nil
}

// chartFiles are the file names of base's charts.
func chartFiles(base string, names []string) []string {
	var files []string
	for _, n := range names {
		files = append(files, base+"-"+n+".svg")
	}
	return files
}

// chartNames are the Name of each chart Charts draws, sweepChartNames
// of each SweepCharts draws.
var (
	chartNames      = []string{"throughput", "latency"}
	sweepChartNames = []string{"replies", "latency"}
)
