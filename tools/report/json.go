package report

import (
	"encoding/json"
	"fmt"
	"io"
)

// SchemaVersion names the layout of the JSON form; it changes whenever a
// field changes meaning, so readers can refuse what they do not know.
const SchemaVersion = "ukkv-report/1"

// jsonTable is the JSON form of a Table: rows are arrays of cells in
// column order, each a number, a string or null (empty).
type jsonTable struct {
	Schema  string   `json:"schema"`
	Title   string   `json:"title"`
	Stamp   Stamp    `json:"stamp"`
	Columns []Column `json:"columns"`
	Rows    [][]Cell `json:"rows"`
	Notes   []string `json:"notes"`
}

// WriteJSON writes the table as indented JSON in the ukkv-report/1 schema.
func (t *Table) WriteJSON(w io.Writer) error {
	if err := t.check(); err != nil {
		return err
	}
	j := jsonTable{SchemaVersion, t.Title, t.Stamp, t.Columns, t.Rows, t.Notes}
	// Empty lists as [] rather than null keep the schema the same for all.
	if j.Rows == nil {
		j.Rows = [][]Cell{}
	}
	if j.Notes == nil {
		j.Notes = []string{}
	}
	if j.Stamp.Info == nil {
		j.Stamp.Info = map[string]string{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(j)
}

// ReadJSON reads a table written by WriteJSON.
func ReadJSON(r io.Reader) (*Table, error) {
	var j jsonTable
	if err := json.NewDecoder(r).Decode(&j); err != nil {
		return nil, fmt.Errorf("read report json: %w", err)
	}
	if j.Schema != SchemaVersion {
		return nil, fmt.Errorf("read report json: schema %q, want %q", j.Schema, SchemaVersion)
	}
	t := &Table{Title: j.Title, Stamp: j.Stamp, Columns: j.Columns, Rows: j.Rows, Notes: j.Notes}
	if err := t.check(); err != nil {
		return nil, fmt.Errorf("read report json: %w", err)
	}
	return t, nil
}
