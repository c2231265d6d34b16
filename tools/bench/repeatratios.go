package bench

import (
	"fmt"
	"math"
	"strings"

	"github.com/ukkv/ukkv/tools/report"
)

// RepeatRatiosBase names the report that holds the ratios between rows
// of this benchmark against the earlier one's: a machine whose speed
// drifts moves every row, but should leave their ratios.
const RepeatRatiosBase = RepeatBase + "-ratios"

// ratioRows are the tracked ratios between rows that both benchmarks
// measured, each in this benchmark and the earlier one, run by run (the
// earlier one's medians when its runs are missing).
func (o *Outcome) ratioRows(p *Previous) []repeatRow {
	var rows []repeatRow
	for _, pair := range trackedRatios() {
		this := o.RowRatio(pair[0], pair[1]).Median
		before := p.rowRatio(pair[0], pair[1])
		if !math.IsNaN(this) && !math.IsNaN(before) {
			rows = append(rows, repeatRow{pair[0] + " / " + pair[1], this, before})
		}
	}
	return rows
}

// rowRatio is row's throughput over base's in the earlier benchmark, run
// by run, or the ratio of their medians without its runs; NaN when
// either row is missing.
func (p *Previous) rowRatio(row, base string) float64 {
	if r := pairedRatio(p.runRates(row), p.runRates(base)).Median; !math.IsNaN(r) {
		return r
	}
	figures := p.throughputs()
	r, hasRow := figures[row]
	b, hasBase := figures[base]
	if !hasRow || !hasBase {
		return math.NaN()
	}
	return r / b
}

// rowRatiosNote says which ratios between rows moved by more than
// repeatLimit from the earlier benchmark.
func (o *Outcome) rowRatiosNote() string {
	rows := o.ratioRows(o.Previous)
	if len(rows) == 0 {
		return "repeat of the ratios between rows: none of " + ratioNames() + " measured in both benchmarks"
	}
	var moved []string
	for _, r := range rows {
		if r.beyond() {
			moved = append(moved, fmt.Sprintf("%s %sx here, %sx before", r.name, formatRate(r.this), formatRate(r.previous)))
		}
	}
	if len(moved) == 0 {
		return fmt.Sprintf("repeat of the ratios between rows: all %d within 10%% of the earlier benchmark's", len(rows))
	}
	return fmt.Sprintf("repeat of the ratios between rows: %d of %d moved beyond 10%%: %s", len(moved), len(rows), strings.Join(moved, "; "))
}

// ratioNames lists the tracked ratios.
func ratioNames() string {
	var names []string
	for _, pair := range trackedRatios() {
		names = append(names, pair[0]+" / "+pair[1])
	}
	return strings.Join(names, ", ")
}

var repeatRatioColumns = []report.Column{
	{Name: "ratio"}, {Name: "this run", Unit: "x"}, {Name: "previous run", Unit: "x"},
	{Name: "moved", Unit: "x"}, {Name: "beyond 10%"},
}

// RepeatRatiosTable sets each tracked ratio between rows beside the
// earlier benchmark's.
func RepeatRatiosTable(o *Outcome, stamp report.Stamp) *report.Table {
	t := &report.Table{
		Title: "Ratios between rows, this benchmark against the previous one", Stamp: stamp, Columns: repeatRatioColumns,
		Notes: []string{"ratio: a row's throughput over another's in one benchmark, the median of the ratios of run 1 to run 1, run 2 to run 2 and so on; moved: this run's ratio over the previous run's; tracked: " + ratioNames(),
			o.rowRatiosNote()},
	}
	for _, r := range o.ratioRows(o.Previous) {
		t.AddRow(report.Text(r.name), report.Num(r.this), report.Num(r.previous), report.Num(r.ratio()), report.Text(yesNo(r.beyond())))
	}
	return t
}
