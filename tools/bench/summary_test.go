package bench

import (
	"encoding/csv"
	"encoding/xml"
	"errors"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ukkv/ukkv/tools/report"
	"github.com/ukkv/ukkv/tools/variant"
)

func paper(t *testing.T) *report.Table4 {
	t.Helper()
	p, err := report.PaperTable4()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func stamp() report.Stamp { return report.NewStamp("tcg", map[string]string{"ukkv": "test"}) }

func runsAt(rates ...float64) []Measurement {
	var ms []Measurement
	for i, r := range rates {
		ms = append(ms, Measurement{RequestsPerS: r, RepliesPerS: r, P50: float64(10 + i), P99: float64(100 + i), Wrong: uint64(i)})
	}
	return ms
}

func row(t *testing.T, name string) *variant.Variant {
	t.Helper()
	r, err := variant.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// sampleOutcome has both baselines, a Unikraft row, a skipped and a
// failed row.
func sampleOutcome(t *testing.T) *Outcome {
	return &Outcome{
		Workload: DefaultWorkload(), Runs: 3, Accelerator: "tcg (no KVM here)",
		Ceiling: &Measurement{RepliesPerS: 2e6},
		Rows: []RowResult{
			{Row: row(t, "raw-uknetdev"), Runs: runsAt(8000, 6000)},
			{Row: row(t, "batched"), Skipped: "image not built"},
			{Row: row(t, "linux-single"), Runs: runsAt(100, 300, 200)},
			{Row: row(t, "linux-dpdk"), Runs: runsAt(4000)},
			{Row: row(t, "metal-single"), Failed: errors.New("kvload gave no result\nlast lines")},
		},
	}
}

// cell finds the cell of a row (by its first cell) and column name.
func cell(t *testing.T, tb *report.Table, rowName, column string) report.Cell {
	t.Helper()
	col := -1
	for i, c := range tb.Columns {
		if c.Name == column {
			col = i
		}
	}
	for _, r := range tb.Rows {
		if r[0].String() == rowName && col >= 0 {
			return r[col]
		}
	}
	t.Fatalf("no cell %s/%s", rowName, column)
	return report.Cell{}
}

func num(t *testing.T, c report.Cell) float64 {
	t.Helper()
	v, ok := c.Number()
	if !ok {
		t.Fatalf("cell %q is not a number", c.String())
	}
	return v
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestSummaryTableSetsOursBesideThePaper(t *testing.T) {
	tb := SummaryTable(sampleOutcome(t), paper(t), stamp())
	for _, c := range []struct {
		col  string
		want float64
	}{
		{"throughput", 7000}, {"min", 6000}, {"max", 8000}, {"of client ceiling", 0.35}, {"paper", 6e6},
		// run by run: 8000/100 and 6000/300; 8000/4000 alone
		{"vs linux-single", 50}, {"paper vs linux-single", 6e6 / 105e3},
		{"vs linux-dpdk", 2}, {"paper vs linux-dpdk", 6 / 6.1},
		{"p50", 10.5}, {"p99", 100.5}, {"wrong", 1}, {"runs", 2},
	} {
		if got := num(t, cell(t, tb, "raw-uknetdev", c.col)); !near(got, c.want) {
			t.Errorf("raw-uknetdev %s = %g, want %g", c.col, got, c.want)
		}
	}
	if got := num(t, cell(t, tb, "linux-single", "vs linux-single")); got != 1 {
		t.Errorf("linux-single against itself: %g", got)
	}
	for _, c := range []struct{ row, status string }{{"batched", "skipped"}, {"metal-single", "failed"}, {"linux-dpdk", "measured"}} {
		if got := cell(t, tb, c.row, "status").String(); got != c.status {
			t.Errorf("%s status %q, want %q", c.row, got, c.status)
		}
	}
	for _, c := range []string{"throughput", "paper", "paper vs linux-single", "lost", "wrong"} {
		if got := cell(t, tb, "batched", c); got.String() != "" {
			t.Errorf("batched (skipped, no paper row) has %s %q", c, got.String())
		}
	}
	notes := strings.Join(tb.Notes, "\n")
	for _, want := range []string{"batched skipped: image not built", "metal-single failed: kvload gave no result last lines",
		"accelerator: tcg (no KVM here)", "client ceiling 2,000,000 req/s at the start, not measured at the end", "median of 3 run(s) of 5s after 1s"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
}

func TestRatiosAreEmptyWithoutTheirBaselineOrCeiling(t *testing.T) {
	o := &Outcome{Workload: DefaultWorkload(), Runs: 1, Rows: []RowResult{
		{Row: row(t, "metal-single"), Runs: runsAt(5000)},
		{Row: row(t, "linux-single"), Failed: errors.New("boot failed")},
	}}
	tb := SummaryTable(o, paper(t), stamp())
	for _, c := range []string{"vs linux-single", "vs linux-dpdk", "of client ceiling"} {
		if got := cell(t, tb, "metal-single", c); got.String() != "" {
			t.Errorf("%s = %q without a measured baseline", c, got.String())
		}
	}
	if !near(num(t, cell(t, tb, "metal-single", "paper vs linux-single")), 590.0/105) {
		t.Error("the paper's ratio must not depend on our baselines")
	}
}

func TestWriteProducesEveryReportFileAndTheyParse(t *testing.T) {
	dir := t.TempDir()
	paths, err := Write(dir, sampleOutcome(t), paper(t), stamp())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"runs.csv", "runs.json", "runs.md", "table4-latency.svg", "table4-throughput.svg", "table4.csv", "table4.json", "table4.md"}
	if got := baseNames(paths); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("wrote %v, want %v", got, want)
	}
	CheckReports(t, dir, true)
	runs := readJSON(t, filepath.Join(dir, "runs.json"))
	// the ceiling and 2+3+1 runs of the measured rows; none of the others
	if len(runs.Rows) != 7 || runs.Rows[0][0].String() != ceilingStartRow {
		t.Errorf("runs table has %d rows, first %q", len(runs.Rows), runs.Rows[0][0].String())
	}
	svg, _ := os.ReadFile(filepath.Join(dir, "table4-throughput.svg"))
	if strings.Contains(string(svg), "batched") || !strings.Contains(string(svg), "raw-uknetdev") {
		t.Error("throughput chart must show the measured rows only")
	}
}

func TestWriteWithNothingMeasuredDrawsNoChart(t *testing.T) {
	dir := t.TempDir()
	if _, err := Write(dir, sampleOutcome(t), paper(t), stamp()); err != nil {
		t.Fatal(err)
	}
	o := &Outcome{Workload: DefaultWorkload(), Runs: 1, Rows: []RowResult{{Row: row(t, "raw-uknetdev"), Skipped: "not built"}}}
	paths, err := Write(dir, o, paper(t), stamp())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		if strings.HasSuffix(p, ".svg") {
			t.Errorf("chart %s of nothing", p)
		}
	}
	CheckReports(t, dir, false)
	if svgs, _ := filepath.Glob(filepath.Join(dir, "*.svg")); len(svgs) > 0 {
		t.Errorf("charts of the earlier benchmark left beside this one's table: %v", svgs)
	}
}

func baseNames(paths []string) []string {
	var b []string
	for _, p := range paths {
		b = append(b, filepath.Base(p))
	}
	sort.Strings(b)
	return b
}

func readJSON(t *testing.T, path string) *report.Table {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tb, err := report.ReadJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return tb
}

// CheckReports checks that every report file of a bench exists in dir
// and parses: JSON as a report, CSV with as many fields in every record,
// Markdown holding the table, SVG as XML.
func CheckReports(t *testing.T, dir string, charts bool) {
	t.Helper()
	for _, base := range []string{RunsBase, SummaryBase} {
		tb := readJSON(t, filepath.Join(dir, base+".json"))
		f, err := os.Open(filepath.Join(dir, base+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(f)
		r.Comment = '#'
		recs, err := r.ReadAll()
		f.Close()
		if err != nil || len(recs) != len(tb.Rows)+1 || len(recs[0]) != len(tb.Columns) {
			t.Errorf("%s.csv: %d records of %d fields (%v), want %d of %d", base, len(recs), len(recs[0]), err, len(tb.Rows)+1, len(tb.Columns))
		}
		md, err := os.ReadFile(filepath.Join(dir, base+".md"))
		if err != nil || !strings.Contains(string(md), "| "+tb.Columns[0].Name) {
			t.Errorf("%s.md: no table (%v)", base, err)
		}
	}
	for _, name := range []string{"throughput", "latency"} {
		path := filepath.Join(dir, SummaryBase+"-"+name+".svg")
		data, err := os.ReadFile(path)
		if !charts {
			continue
		}
		if err != nil {
			t.Errorf("chart: %v", err)
			continue
		}
		var doc struct{ XMLName xml.Name }
		if err := xml.Unmarshal(data, &doc); err != nil || doc.XMLName.Local != "svg" {
			t.Errorf("%s is not SVG: %v", path, err)
		}
	}
}

func TestRowsNearTheClientCeilingAreFlagged(t *testing.T) {
	o := sampleOutcome(t)
	o.Ceiling = &Measurement{RepliesPerS: 8000}
	notes := strings.Join(SummaryTable(o, paper(t), stamp()).Notes, "\n")
	// raw-uknetdev's median 7000 is 87.5% of 8000; linux-dpdk's 4000 is half
	if !strings.Contains(notes, "raw-uknetdev reached 80% of the client ceiling") || strings.Contains(notes, "linux-dpdk reached") {
		t.Errorf("client-bound rows wrongly flagged:\n%s", notes)
	}
}
