package bench

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ukkv/ukkv/tools/report"
)

// RepeatBase names the report that holds this benchmark against an
// earlier one: the same command twice should agree.
const RepeatBase = "repeat"

// repeatLimit is the largest share by which a row's figure may differ
// from the earlier benchmark's before the row is flagged.
const repeatLimit = 0.10

// Previous is an earlier benchmark's Table 4 and, when its folder
// holds them, its runs.
type Previous struct {
	// Path names the earlier report in the notes.
	Path  string
	Table *report.Table
	// Runs is the earlier benchmark's every run, nil without its file.
	Runs *report.Table
}

// ReadPrevious reads the Table 4 of an earlier benchmark in dir, and its
// runs beside it; a dir without a Table 4 gives nil and no error.
func ReadPrevious(dir string) (*Previous, error) {
	path := filepath.Join(dir, SummaryBase+".json")
	t, err := readTable(path)
	if t == nil || err != nil {
		return nil, err
	}
	runs, err := readTable(filepath.Join(dir, RunsBase+".json"))
	if err != nil {
		return nil, err
	}
	return &Previous{Path: path, Table: t, Runs: runs}, nil
}

// readTable reads a report's JSON; a missing file gives nil and no error.
func readTable(path string) (*report.Table, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := report.ReadJSON(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// throughputs are the measured rows' figures of the earlier benchmark.
func (p *Previous) throughputs() map[string]float64 {
	col := columnIndex(p.Table, "throughput")
	figures := map[string]float64{}
	for _, r := range p.Table.Rows {
		if v, ok := r[col].Number(); col >= 0 && ok && v > 0 {
			figures[r[0].String()] = v
		}
	}
	return figures
}

// runRates are the right replies a second of each run of a row of the
// earlier benchmark, in the order of the runs; nil without its runs.
func (p *Previous) runRates(name string) []float64 {
	if p.Runs == nil {
		return nil
	}
	col := columnIndex(p.Runs, "replies")
	var rates []float64
	for _, r := range p.Runs.Rows {
		if v, ok := r[col].Number(); col >= 0 && ok && r[0].String() == name {
			rates = append(rates, v)
		}
	}
	return rates
}

// columnIndex is the index of a table's column by name, -1 if absent.
func columnIndex(t *report.Table, name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// hostCeiling is the earlier benchmark's client ceiling (the mean of
// its start's and end's), NaN when it has none.
func (p *Previous) hostCeiling() float64 {
	figures := p.throughputs()
	var ceilings []float64
	for _, name := range []string{ceilingStartRow, ceilingEndRow} {
		if v, ok := figures[name]; ok {
			ceilings = append(ceilings, v)
		}
	}
	return Summarize(ceilings).Median
}

// hostRatio is how far the machine itself moved from the earlier
// benchmark to this one: client ceiling over client ceiling; NaN when
// either lacks one.
func (o *Outcome) hostRatio(p *Previous) float64 { return o.hostCeiling() / p.hostCeiling() }

// repeatRow is a row measured by both benchmarks, or a ratio between
// two rows taken in both.
type repeatRow struct {
	name           string
	this, previous float64
}

func (r repeatRow) ratio() float64 { return r.this / r.previous }

// beyond says the two figures differ by more than repeatLimit.
func (r repeatRow) beyond() bool { return beyondLimit(r.ratio()) }

// beyondLimit says a ratio of two figures that should agree is more
// than repeatLimit away from 1.
func beyondLimit(ratio float64) bool { return math.Abs(ratio-1) > repeatLimit }

// hostMovedAsMuch says the row moved as the machine did: its ratio
// within repeatLimit of the machine's.
func (r repeatRow) hostMovedAsMuch(host float64) bool { return !beyondLimit(r.ratio() / host) }

// repeatRows pairs the rows both benchmarks measured, in this one's order.
func (o *Outcome) repeatRows(p *Previous) []repeatRow {
	before := p.throughputs()
	var rows []repeatRow
	for _, r := range o.Rows {
		prev, ok := before[r.Name()]
		if len(r.Runs) > 0 && ok {
			rows = append(rows, repeatRow{r.Name(), r.Summary().Throughput.Median, prev})
		}
	}
	return rows
}

// ranking names rows from the highest figure to the lowest.
func ranking(rows []repeatRow, figure func(repeatRow) float64) []string {
	s := append([]repeatRow(nil), rows...)
	sort.SliceStable(s, func(a, b int) bool { return figure(s[a]) > figure(s[b]) })
	var names []string
	for _, r := range s {
		names = append(names, r.name)
	}
	return names
}

// repeatNotes say whether this benchmark repeats the earlier one: each
// row within repeatLimit, and the rows in the same order.
func (o *Outcome) repeatNotes() []string {
	p := o.Previous
	if p == nil {
		return nil
	}
	rows := o.repeatRows(p)
	if len(rows) == 0 {
		return []string{fmt.Sprintf("repeat: no row measured both here and in %s", p.describe())}
	}
	var beyond []string
	for _, r := range rows {
		if r.beyond() {
			beyond = append(beyond, fmt.Sprintf("%s %sx", r.name, formatRate(r.ratio())))
		}
	}
	within := "every row within 10%"
	if len(beyond) > 0 {
		within = fmt.Sprintf("%d of %d rows beyond 10%%: %s", len(beyond), len(rows), strings.Join(beyond, ", "))
	}
	this := ranking(rows, func(r repeatRow) float64 { return r.this })
	prev := ranking(rows, func(r repeatRow) float64 { return r.previous })
	order := "the same ordering of rows: " + strings.Join(this, " > ")
	if strings.Join(this, " ") != strings.Join(prev, " ") {
		order = fmt.Sprintf("another ordering of rows: %s here, %s before", strings.Join(this, " > "), strings.Join(prev, " > "))
	}
	return []string{fmt.Sprintf("repeat against %s: %s; %s; %s", p.describe(), within, order, o.hostNote(rows)),
		o.rowRatiosNote()}
}

// hostNote says how far the machine itself moved between the two
// benchmarks and, of the rows beyond repeatLimit, which moved with it.
func (o *Outcome) hostNote(rows []repeatRow) string {
	host := o.hostRatio(o.Previous)
	if math.IsNaN(host) {
		return "the machine's own ratio is unknown: a client ceiling is missing here or in the earlier benchmark"
	}
	note := fmt.Sprintf("the machine itself (client ceiling, mean of the start's and the end's) %sx the earlier benchmark's", formatRate(host))
	var with, against []string
	for _, r := range rows {
		switch {
		case !r.beyond():
		case r.hostMovedAsMuch(host):
			with = append(with, r.name)
		default:
			against = append(against, r.name)
		}
	}
	if len(with) > 0 {
		note += "; moved as much as the machine (within 10%): " + strings.Join(with, ", ")
	}
	if len(against) > 0 {
		note += "; moved otherwise than the machine: " + strings.Join(against, ", ")
	}
	return note
}

// describe names the earlier benchmark by its file and stamp.
func (p *Previous) describe() string {
	return fmt.Sprintf("%s (%s, %s)", p.Path, p.Table.Stamp.Date.Format("2006-01-02 15:04Z"), p.Table.Stamp.Command)
}

var repeatColumns = []report.Column{
	{Name: "row"}, {Name: "this run", Unit: "req/s"}, {Name: "previous run", Unit: "req/s"},
	{Name: "ratio", Unit: "x"}, {Name: "beyond 10%"}, {Name: "machine ratio", Unit: "x"}, {Name: "machine moved as much"},
	{Name: "rank"}, {Name: "previous rank"},
}

// RepeatTable sets each row's figure beside the earlier benchmark's.
func RepeatTable(o *Outcome, stamp report.Stamp) *report.Table {
	t := &report.Table{Title: "This benchmark against the previous one", Stamp: stamp, Columns: repeatColumns, Notes: o.repeatNotes()}
	rows := o.repeatRows(o.Previous)
	rank := func(names []string) map[string]int {
		m := map[string]int{}
		for i, n := range names {
			m[n] = i + 1
		}
		return m
	}
	this := rank(ranking(rows, func(r repeatRow) float64 { return r.this }))
	prev := rank(ranking(rows, func(r repeatRow) float64 { return r.previous }))
	host := o.hostRatio(o.Previous)
	for _, r := range rows {
		asMuch := ""
		if r.beyond() && !math.IsNaN(host) {
			asMuch = yesNo(r.hostMovedAsMuch(host))
		}
		t.AddRow(report.Text(r.name), report.Num(r.this), report.Num(r.previous), report.Num(r.ratio()),
			report.Text(yesNo(r.beyond())), report.Num(host), report.Text(asMuch),
			report.Int(int64(this[r.name])), report.Int(int64(prev[r.name])))
	}
	return t
}
