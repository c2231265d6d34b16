package report

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// WriteMarkdown writes the table as a Markdown section: the title, the
// stamp as a header paragraph, the table with its columns padded to one
// width (numbers right-aligned), and the notes as a list.
func (t *Table) WriteMarkdown(w io.Writer) error {
	if err := t.check(); err != nil {
		return err
	}
	var b strings.Builder
	if t.Title != "" {
		fmt.Fprintf(&b, "## %s\n\n", t.Title)
	}
	writeStampMarkdown(&b, t.Stamp)
	cells := t.markdownCells()
	widths := make([]int, len(t.Columns))
	for _, row := range cells {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c), 3)
		}
	}
	right := t.numericColumns()
	for r, row := range cells {
		writeMarkdownRow(&b, row, widths, right)
		if r == 0 {
			writeMarkdownRule(&b, widths, right)
		}
	}
	if len(t.Notes) > 0 {
		b.WriteString("\nNotes:\n\n")
		for _, n := range t.Notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeStampMarkdown(b *strings.Builder, s Stamp) {
	// A command holding a backtick needs a longer code fence.
	openFence, closeFence := "`", "`"
	if strings.Contains(s.Command, "`") {
		openFence, closeFence = "`` ", " ``"
	}
	fmt.Fprintf(b, "Made by %s%s%s on %s.  \n", openFence, s.Command, closeFence, s.Date.Format(time.RFC3339))
	fmt.Fprintf(b, "Machine: %s.", markdownEscape(s.Machine.summary()))
	if len(s.Info) > 0 {
		fmt.Fprintf(b, "  \nInfo: %s.", markdownEscape(s.infoLine()))
	}
	b.WriteString("\n\n")
}

// markdownCells is the header row followed by every row, as display text.
func (t *Table) markdownCells() [][]string {
	cells := make([][]string, 0, len(t.Rows)+1)
	head := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = markdownEscape(c.heading())
	}
	cells = append(cells, head)
	for _, row := range t.Rows {
		r := make([]string, len(row))
		for i, c := range row {
			r[i] = markdownEscape(c.String())
		}
		cells = append(cells, r)
	}
	return cells
}

// numericColumns says which columns hold only numbers (or nothing), to be
// right-aligned so that digits line up.
func (t *Table) numericColumns() []bool {
	right := make([]bool, len(t.Columns))
	for i := range right {
		right[i] = true
		for _, row := range t.Rows {
			if _, isNum := row[i].Number(); !isNum && row[i].String() != "" {
				right[i] = false
				break
			}
		}
	}
	return right
}

func writeMarkdownRow(b *strings.Builder, row []string, widths []int, right []bool) {
	b.WriteString("|")
	for i, c := range row {
		pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
		if right[i] {
			fmt.Fprintf(b, " %s%s |", pad, c)
		} else {
			fmt.Fprintf(b, " %s%s |", c, pad)
		}
	}
	b.WriteString("\n")
}

func writeMarkdownRule(b *strings.Builder, widths []int, right []bool) {
	b.WriteString("|")
	for i, w := range widths {
		if right[i] {
			fmt.Fprintf(b, " %s: |", strings.Repeat("-", w-1))
		} else {
			fmt.Fprintf(b, " %s |", strings.Repeat("-", w))
		}
	}
	b.WriteString("\n")
}

var markdownEscaper = strings.NewReplacer("|", `\|`, "\n", " ", "\r", "")

func markdownEscape(s string) string { return markdownEscaper.Replace(s) }
