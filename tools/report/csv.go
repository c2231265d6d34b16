package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteCSV writes the table as CSV preceded by comment lines: first the
// stamp as "# key: value" (keys as in the JSON form, e.g. machine.cpu,
// info.unikraft), then "# title: ..." and one "# note: ..." per note. A
// reader skips them with encoding/csv's Comment = '#' (pandas: comment='#').
// The header row holds "name (unit)"; numbers are written in full
// precision without separators.
func (t *Table) WriteCSV(w io.Writer) error {
	if err := t.check(); err != nil {
		return err
	}
	var b strings.Builder
	for _, f := range t.Stamp.fields() {
		writeComment(&b, f[0], f[1])
	}
	if t.Title != "" {
		writeComment(&b, "title", t.Title)
	}
	for _, n := range t.Notes {
		writeComment(&b, "note", n)
	}
	head := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = c.heading()
	}
	writeRecord(&b, head)
	for _, row := range t.Rows {
		writeRecord(&b, csvRecord(row))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeRecord writes one CSV line. Unlike encoding/csv it also quotes a
// field starting with '#', which a reader would otherwise take for a
// comment when it opens the line, and a lone empty field, which would
// make a blank line that readers skip.
func writeRecord(b *strings.Builder, fields []string) {
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		if strings.ContainsAny(f, ",\"\r\n") || strings.HasPrefix(f, "#") || strings.TrimSpace(f) != f || len(fields) == 1 && f == "" {
			f = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
		}
		b.WriteString(f)
	}
	b.WriteByte('\n')
}

// writeComment writes one comment line; a line break in the value would
// end the comment, so it becomes a space.
func writeComment(b *strings.Builder, key, value string) {
	fmt.Fprintf(b, "# %s: %s\n", key, strings.NewReplacer("\r", "", "\n", " ").Replace(value))
}

func csvRecord(row []Cell) []string {
	rec := make([]string, len(row))
	for i, c := range row {
		if v, ok := c.Number(); ok {
			rec[i] = strconv.FormatFloat(v, 'f', -1, 64)
		} else {
			rec[i] = c.String()
		}
	}
	return rec
}
