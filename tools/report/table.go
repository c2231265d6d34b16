// Package report writes what ukkv measured: tables as Markdown, CSV and
// JSON, bar charts as SVG, each stamped with the command, date and machine
// that produced it, and the paper's Table 4 to compare against.
//
// Each file carries its own stamp, so none can be separated from it: the
// Markdown as a paragraph under the title, the CSV as leading "# key:
// value" comment lines (not a sidecar file, which could get lost), the
// JSON as its "stamp" field, the SVG as small print under the chart.
package report

import (
	"encoding/json"
	"fmt"
	"math"
)

// Column names one column of a table and the unit of its numbers.
type Column struct {
	Name string `json:"name"`
	Unit string `json:"unit"`
}

// heading is the column's name with its unit, as Markdown and CSV show it.
func (c Column) heading() string {
	if c.Unit == "" {
		return c.Name
	}
	return c.Name + " (" + c.Unit + ")"
}

// Cell is one value of a table: text, a number, or empty.
type Cell struct {
	text  string
	num   float64
	isNum bool
}

// Text makes a text cell.
func Text(s string) Cell { return Cell{text: s} }

// Num makes a number cell. NaN and infinities (a ratio to a zero baseline)
// make an empty cell, since no output format can carry them faithfully.
func Num(v float64) Cell {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Cell{}
	}
	return Cell{num: v, isNum: true}
}

// Int makes a number cell from an integer count such as a size in bytes.
func Int(v int64) Cell { return Num(float64(v)) }

// Number returns the cell's value and whether it holds a number.
func (c Cell) Number() (float64, bool) { return c.num, c.isNum }

// String is the cell as Markdown shows it: numbers with thousands
// separators and three significant digits below 100.
func (c Cell) String() string {
	if c.isNum {
		return formatNumber(c.num)
	}
	return c.text
}

// MarshalJSON writes a number as a JSON number, text as a string and an
// empty cell as null.
func (c Cell) MarshalJSON() ([]byte, error) {
	switch {
	case c.isNum:
		return json.Marshal(c.num)
	case c.text == "":
		return []byte("null"), nil
	default:
		return json.Marshal(c.text)
	}
}

// UnmarshalJSON reads what MarshalJSON writes.
func (c *Cell) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch v := v.(type) {
	case nil:
		*c = Cell{}
	case float64:
		*c = Num(v)
	case string:
		*c = Text(v)
	default:
		return fmt.Errorf("table cell must be a number, a string or null, not %s", b)
	}
	return nil
}

// Table is one report: columns, rows of cells, free-form notes, and the
// stamp that says how it was made.
type Table struct {
	Title   string
	Stamp   Stamp
	Columns []Column
	Rows    [][]Cell
	Notes   []string
}

// AddRow appends a row; its length is checked when the table is written.
func (t *Table) AddRow(cells ...Cell) { t.Rows = append(t.Rows, cells) }

// check refuses a table that no format could write sensibly.
func (t *Table) check() error {
	if err := t.Stamp.check(); err != nil {
		return fmt.Errorf("table %q: %w", t.Title, err)
	}
	if len(t.Columns) == 0 {
		return fmt.Errorf("table %q has no columns", t.Title)
	}
	for i, row := range t.Rows {
		if len(row) != len(t.Columns) {
			return fmt.Errorf("table %q: row %d has %d cells for %d columns", t.Title, i+1, len(row), len(t.Columns))
		}
	}
	return nil
}
