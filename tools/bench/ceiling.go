package bench

import (
	"fmt"
	"math"

	"github.com/ukkv/ukkv/tools/report"
)

// Names of the client ceilings in Table 4 and the runs table: measured
// before the first row and after the last, they show how far the
// machine's own speed moved during the benchmark.
const (
	ceilingStartRow = "client-ceiling (start)"
	ceilingEndRow   = "client-ceiling (end)"
)

// namedCeiling is a measured client ceiling with its row's name.
type namedCeiling struct {
	name string
	m    *Measurement
}

// ceilings are the client ceilings measured, the start's first.
func (o *Outcome) ceilings() []namedCeiling {
	var cs []namedCeiling
	for _, c := range []namedCeiling{{ceilingStartRow, o.Ceiling}, {ceilingEndRow, o.CeilingEnd}} {
		if c.m != nil {
			cs = append(cs, c)
		}
	}
	return cs
}

// hostCeiling is the machine's speed over the benchmark: the mean of
// the client ceilings measured; NaN without one.
func (o *Outcome) hostCeiling() float64 {
	var figures []float64
	for _, c := range o.ceilings() {
		figures = append(figures, c.m.RepliesPerS)
	}
	return Summarize(figures).Median // of one or two: their mean
}

// drift is the client ceiling at the end over the one at the start,
// NaN unless both were measured.
func (o *Outcome) drift() float64 {
	if o.Ceiling == nil || o.CeilingEnd == nil {
		return math.NaN()
	}
	return o.CeilingEnd.RepliesPerS / o.Ceiling.RepliesPerS
}

// addCeilingRows adds the client ceilings to Table 4 as rows of their
// own (throughput only), so that a later benchmark can read how fast
// the machine was during this one.
func (o *Outcome) addCeilingRows(t *report.Table) {
	for _, c := range o.ceilings() {
		cells := []report.Cell{report.Text(c.name), report.Text("client"), report.Text("measured"), report.Int(1), report.Num(c.m.RepliesPerS)}
		for len(cells) < len(t.Columns) {
			cells = append(cells, report.Text(""))
		}
		t.AddRow(cells...)
	}
}

// ceilingShare is a throughput in percent of the client ceiling (the
// mean of the start's and the end's), NaN without a ceiling.
func (o *Outcome) ceilingShare(requestsPerSecond float64) float64 {
	return 100 * requestsPerSecond / o.hostCeiling()
}

// ceilingNote gives the client ceilings and how far the machine moved
// between them.
func (o *Outcome) ceilingNote() string {
	start := ceilingFigure(o.Ceiling, o.CeilingErr)
	end := ceilingFigure(o.CeilingEnd, o.CeilingEndErr)
	note := fmt.Sprintf("client ceiling %s at the start, %s at the end", start, end)
	if d := o.drift(); !math.IsNaN(d) {
		note += fmt.Sprintf(": the machine moved %+.0f%% during the benchmark", 100*(d-1))
	}
	if len(o.ceilings()) == 0 {
		return note
	}
	return note + fmt.Sprintf(" (kvload against a loopback that answers at no cost: %s); a row near their mean is limited by the client, not by the server",
		CeilingWorkload(o.Workload))
}

// ceilingFigure is a client ceiling as the notes give it, or why it
// is missing.
func ceilingFigure(m *Measurement, err error) string {
	switch {
	case m != nil:
		return formatRate(m.RepliesPerS) + " req/s"
	case err != nil:
		return "not measured (" + firstLine(err.Error()) + ")"
	}
	return "not measured"
}
