package report

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"
)

func TestTableGolden(t *testing.T) {
	for _, f := range []struct {
		name  string
		write func(*Table, *bytes.Buffer) error
	}{
		{"table.md", func(t *Table, b *bytes.Buffer) error { return t.WriteMarkdown(b) }},
		{"table.csv", func(t *Table, b *bytes.Buffer) error { return t.WriteCSV(b) }},
		{"table.json", func(t *Table, b *bytes.Buffer) error { return t.WriteJSON(b) }},
	} {
		t.Run(f.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := f.write(sampleTable(), &b); err != nil {
				t.Fatal(err)
			}
			golden(t, f.name, b.Bytes())
		})
	}
}

func TestJSONRoundTrip(t *testing.T) {
	want := sampleTable()
	var b bytes.Buffer
	if err := want.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	got, err := ReadJSON(&b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back\n%+v\nwrote\n%+v", got, want)
	}
}

func TestReadJSONRefusesOtherSchemas(t *testing.T) {
	for _, in := range []string{
		`{"schema":"ukkv-report/0","columns":[{"name":"a"}],"rows":[]}`,
		`{"schema":"ukkv-report/1","columns":[{"name":"a"}],"rows":[[1,2]]}`,
		`{"schema":"ukkv-report/1","columns":[{"name":"a"}],"rows":[[true]]}`,
		`not json`,
	} {
		if _, err := ReadJSON(strings.NewReader(in)); err == nil {
			t.Errorf("ReadJSON(%s) succeeded", in)
		}
	}
}

// csvRecords writes tab as CSV and reads it back as an ordinary CSV
// reader that skips comments does.
func csvRecords(t *testing.T, tab *Table) [][]string {
	t.Helper()
	var b bytes.Buffer
	if err := tab.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(&b)
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// The CSV comments must not disturb an ordinary CSV reader.
func TestCSVReadsBack(t *testing.T) {
	recs := csvRecords(t, sampleTable())
	want := [][]string{
		{"variant", "throughput (req/s)", "vs linux-single (x)", "image (bytes)"},
		{"raw-uknetdev", "6100000", "58.0952", "434504"},
		{"lwip|socket", "250123.6", "2.381", "438600"},
		{"linux-single", "105000", "1", ""},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("records %q, want %q", recs, want)
	}
}

func TestWritersRefuseRaggedRows(t *testing.T) {
	tab := sampleTable()
	tab.AddRow(Text("short"))
	for name, write := range map[string]func(*bytes.Buffer) error{
		"md": func(b *bytes.Buffer) error { return tab.WriteMarkdown(b) }, "csv": func(b *bytes.Buffer) error { return tab.WriteCSV(b) },
		"json": func(b *bytes.Buffer) error { return tab.WriteJSON(b) },
	} {
		var b bytes.Buffer
		if err := write(&b); err == nil || !strings.Contains(err.Error(), "row 4 has 1 cells for 4 columns") {
			t.Errorf("%s: error %v", name, err)
		}
		if b.Len() != 0 {
			t.Errorf("%s: wrote %d bytes of a bad table", name, b.Len())
		}
	}
}

func TestNonFiniteNumbersAreEmpty(t *testing.T) {
	zero := 0.0
	for _, v := range []float64{zero / zero, 1 / zero} {
		if c := Num(v); c != (Cell{}) {
			t.Errorf("Num(%v) = %#v, want an empty cell", v, c)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	for v, want := range map[float64]string{
		6_100_000: "6,100,000", 250_123.6: "250,124", -1234: "-1,234", 999: "999", 100: "100",
		57.14: "57.1", 2.381: "2.38", 0.983: "0.983", 0.0012345: "0.00123", 1.5: "1.5", 0: "0", 99.96: "100",
	} {
		if got := formatNumber(v); got != want {
			t.Errorf("formatNumber(%v) = %q, want %q", v, got, want)
		}
	}
	for v, want := range map[float64]string{
		590_000: "590k", 6_100_000: "6.1M", 999_999: "1M", 1234: "1.23k", 438_600: "439k", 57.14: "57.1", 2e9: "2G",
	} {
		if got := formatCompact(v); got != want {
			t.Errorf("formatCompact(%v) = %q, want %q", v, got, want)
		}
	}
}

// Fields a CSV reader would misread unquoted come back intact.
func TestCSVQuotesTrickyText(t *testing.T) {
	tricky := []string{"#1", "a,b", `say "hi"`, "two\nlines", " padded", ""}
	tab := &Table{Stamp: fixedStamp(), Columns: []Column{{Name: "text"}}}
	for _, s := range tricky {
		tab.AddRow(Text(s))
	}
	recs := csvRecords(t, tab)
	if len(recs) != len(tricky)+1 {
		t.Fatalf("read %d records, want %d: %q", len(recs), len(tricky)+1, recs)
	}
	for i, s := range tricky {
		if recs[i+1][0] != s {
			t.Errorf("record %d = %q, want %q", i+1, recs[i+1][0], s)
		}
	}
}

func TestOutputsRefuseAMissingStamp(t *testing.T) {
	tab := sampleTable()
	tab.Stamp = Stamp{}
	var b bytes.Buffer
	for name, err := range map[string]error{
		"md": tab.WriteMarkdown(&b), "csv": tab.WriteCSV(&b), "json": tab.WriteJSON(&b), "svg": bootChart().WriteSVG(&b, Stamp{}),
	} {
		if err == nil || !strings.Contains(err.Error(), "no stamp") {
			t.Errorf("%s: error %v, want one about the missing stamp", name, err)
		}
	}
	if b.Len() != 0 {
		t.Errorf("wrote %d bytes without a stamp", b.Len())
	}
}

// A command holding a backtick must not break out of its code span.
func TestMarkdownStampWithBacktick(t *testing.T) {
	tab := sampleTable()
	tab.Stamp.Command = QuoteCommand([]string{"ukkv", "run", "a`b"})
	var b bytes.Buffer
	if err := tab.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	if want := "Made by `` ukkv run 'a`b' `` on"; !strings.Contains(b.String(), want) {
		t.Errorf("markdown lacks %q:\n%s", want, b.String())
	}
}
