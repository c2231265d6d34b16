package bench

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ukkv/ukkv/tools/kvload"
	"github.com/ukkv/ukkv/tools/variant"
)

// serverTarget is a row served by a fakeServer; each session counts.
type serverTarget struct {
	server         *fakeServer
	opened, closed int
	stopped        int
}

func (t *serverTarget) Open(ctx context.Context, w Workload, progress func(string)) (Session, error) {
	t.opened++
	return t, nil
}

func (t *serverTarget) Step(ctx context.Context, s kvload.Step) (Measurement, error) {
	return t.server.measure(ctx, s)
}

func (t *serverTarget) Close() error { t.closed++; return nil }
func (t *serverTarget) Path() string { return "a fake wire" }
func (t *serverTarget) Stop() error  { t.stopped++; return nil }

type serverBooter map[string]*serverTarget

func (b serverBooter) Boot(ctx context.Context, r *variant.Variant, w Workload) (Target, error) {
	if t, ok := b[r.Name]; ok {
		return t, nil
	}
	return nil, Skipf("not here")
}

// sweptOutcome sweeps two fake rows of known capacity, 3 runs at each peak.
func sweptOutcome(t *testing.T) (*Outcome, serverBooter) {
	t.Helper()
	b := serverBooter{
		"raw-uknetdev": {server: &fakeServer{capacity: 400_000, latency: 20}},
		"linux-single": {server: &fakeServer{capacity: 8_000, latency: 200}},
	}
	sw := DefaultSweep()
	out, err := Run(context.Background(), Options{
		Rows: rowsNamed(t, "raw-uknetdev", "linux-single", "metal-batch"), Runs: 3, Workload: DefaultWorkload(),
		Booter: b, Sweep: &sw,
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, b
}

// TestRunSweepsThenMeasuresThePeak: one session for the sweep, one for
// each run at the peak's rate with the workload's duration.
func TestRunSweepsThenMeasuresThePeak(t *testing.T) {
	out, b := sweptOutcome(t)
	w := DefaultWorkload()
	for _, r := range out.Rows[:2] {
		tg := b[r.Row.Name]
		peak, ok := r.Sweep.PeakStep()
		if !ok || r.Status() != "measured" || len(r.Runs) != 3 {
			t.Fatalf("%s: %s, peak %v, %d runs (%v)", r.Row.Name, r.Status(), ok, len(r.Runs), r.Failed)
		}
		if tg.opened != 4 || tg.closed != 4 || tg.stopped != 1 {
			t.Errorf("%s: %d sessions opened, %d closed, %d stops; want 4, 4, 1", r.Row.Name, tg.opened, tg.closed, tg.stopped)
		}
		steps := tg.server.steps
		for _, st := range steps[len(steps)-3:] {
			if st != peak.Step(w.Duration, w.Warmup) {
				t.Errorf("%s: run %+v, want the peak's %s for %s", r.Row.Name, st, peak.LoadName(), w.Duration)
			}
		}
		if s := r.Summary().Throughput; s.Median != peak.RepliesPerS {
			t.Errorf("%s: median %g, want the peak's %g", r.Row.Name, s.Median, peak.RepliesPerS)
		}
	}
	if out.Rows[2].Status() != "skipped" || out.LoadBefore == "" || out.LoadAfter == "" {
		t.Errorf("metal-batch %s; load averages %q, %q", out.Rows[2].Status(), out.LoadBefore, out.LoadAfter)
	}
}

// TestSweepReports: every file is written and stamped, and each row's
// peak is Table 4's offered load and the sweep table's marked step.
func TestSweepReports(t *testing.T) {
	out, _ := sweptOutcome(t)
	dir := t.TempDir()
	paths, err := Write(dir, out, paper(t), stamp())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"runs.csv", "runs.json", "runs.md", "sweep-latency.svg", "sweep-replies.svg", "sweep.csv", "sweep.json", "sweep.md",
		"table4-latency.svg", "table4-throughput.svg", "table4.csv", "table4.json", "table4.md"}
	if got := baseNames(paths); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("wrote %v, want %v", got, want)
	}
	CheckReports(t, dir, true)
	for _, p := range paths {
		data, _ := os.ReadFile(p)
		// a chart escapes the command for XML; each starts its stamp alike
		if !strings.Contains(string(data), stamp().Command) && !strings.Contains(string(data), "Made by ") {
			t.Errorf("%s is not stamped with the command", filepath.Base(p))
		}
	}
	table4 := readJSON(t, filepath.Join(dir, SummaryBase+".json"))
	sweep := readJSON(t, filepath.Join(dir, SweepBase+".json"))
	for _, r := range out.Rows[:2] {
		peak, _ := r.Sweep.PeakStep()
		if got := num(t, cell(t, table4, r.Row.Name, "offered")); !near(got, peak.Offered) {
			t.Errorf("%s: Table 4 offered %g, peak %g", r.Row.Name, got, peak.Offered)
		}
		if got := num(t, cell(t, table4, r.Row.Name, "p99 bound")); !near(got, r.Sweep.P99Bound) {
			t.Errorf("%s: Table 4 p99 bound %g, sweep's %g", r.Row.Name, got, r.Sweep.P99Bound)
		}
		ref, _ := r.Sweep.ReferenceStep()
		if got := num(t, cell(t, table4, r.Row.Name, "single-point")); ref.Window != 16 || !near(got, ref.RepliesPerS) {
			t.Errorf("%s: Table 4 single-point %g, the sweep's window-16 step %+v", r.Row.Name, got, ref)
		}
		if !strings.Contains(strings.Join(table4.Notes, "\n"), "target "+r.Row.Name+" peak at least its single-point (window 16, same session): met") {
			t.Errorf("%s: no single-point check met in Table 4's notes", r.Row.Name)
		}
		var marked []float64
		steps := 0
		for _, row := range sweep.Rows {
			if row[0].String() != r.Row.Name {
				continue
			}
			steps++
			if row[13].String() == "peak" {
				v, _ := row[4].Number()
				marked = append(marked, v)
			}
		}
		if len(marked) != 1 || !near(marked[0], peak.Offered) || steps != len(r.Sweep.Steps)+len(r.Runs) {
			t.Errorf("%s: sweep table marks %v as peak (want %g), %d steps", r.Row.Name, marked, peak.Offered, steps)
		}
	}
	svg, _ := os.ReadFile(filepath.Join(dir, "sweep-replies.svg"))
	if strings.Count(string(svg), "<polyline") != 2 || strings.Count(string(svg), `r="7"`) != 2 {
		t.Error("the replies chart needs one line and one ringed peak a swept row")
	}
	notes := strings.Join(table4.Notes, "\n")
	for _, want := range []string{"p50 at most 10x the row's light-load p50", "raw-uknetdev: light-load p50 20.1 µs, p50 bound 201 µs, p99 bound 10,000 µs", "load average (1, 5, 15 min)", "linux-single path: a fake wire"} {
		if !strings.Contains(notes, want) {
			t.Errorf("Table 4 notes lack %q:\n%s", want, notes)
		}
	}
	// a later single-point bench leaves no sweep file of this one behind
	if _, err := Write(dir, sampleOutcome(t), paper(t), stamp()); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, SweepBase+"*")); len(left) > 0 {
		t.Errorf("sweep files left beside a single-point bench: %v", left)
	}
}

func TestSpreadAboveTenPercentIsFlagged(t *testing.T) {
	o := sampleOutcome(t)
	notes := strings.Join(SummaryTable(o, paper(t), stamp()).Notes, "\n")
	// raw-uknetdev 6000..8000 around 7000: 29%; linux-dpdk has one run
	if !strings.Contains(notes, "raw-uknetdev: runs differ by 29% (6,000 to 8,000 req/s)") || strings.Contains(notes, "linux-dpdk: runs differ") {
		t.Errorf("spread notes:\n%s", notes)
	}
}

// TestSwitchBesideDirect: with a second booter for the switch, each
// guest row is measured again right after itself, a host row is not,
// and Table 4 gives the switch's cost per guest row.
func TestSwitchBesideDirect(t *testing.T) {
	direct := serverBooter{
		"raw-uknetdev": {server: &fakeServer{capacity: 400_000, latency: 20}},
		"metal-single": {server: &fakeServer{capacity: 100_000, latency: 20}},
	}
	switched := serverBooter{
		"raw-uknetdev": {server: &fakeServer{capacity: 200_000, latency: 20}},
		"metal-single": {server: &fakeServer{capacity: 1, latency: 20}}, // never booted
	}
	sw := DefaultSweep()
	out, err := Run(context.Background(), Options{
		Rows: rowsNamed(t, "raw-uknetdev", "metal-single"), Runs: 1, Workload: DefaultWorkload(),
		Booter: direct, Switch: switched, Sweep: &sw,
	})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range out.Rows {
		names = append(names, r.Name()+" "+r.Status())
	}
	if got := strings.Join(names, ", "); got != "raw-uknetdev measured, raw-uknetdev (switch) measured, metal-single measured" {
		t.Fatalf("rows: %s", got)
	}
	if switched["metal-single"].opened != 0 {
		t.Error("a host row was booted behind the switch")
	}
	tb := SummaryTable(out, paper(t), stamp())
	if got := num(t, cell(t, tb, "raw-uknetdev (switch)", "switch vs direct")); !near(got, 0.5) {
		t.Errorf("switch vs direct %g, want 0.5", got)
	}
	if _, ok := cell(t, tb, "raw-uknetdev", "switch vs direct").Number(); ok {
		t.Error("a direct row has a switch cost")
	}
	if notes := strings.Join(tb.Notes, "\n"); !strings.Contains(notes, "switch vs direct (") || !strings.Contains(notes, "raw-uknetdev 0.5x") {
		t.Errorf("no switch cost in the notes:\n%s", notes)
	}
	for cpus, warned := range map[int]bool{2: true, 3: false} {
		out.CPUs = cpus
		notes := strings.Join(SummaryTable(out, paper(t), stamp()).Notes, "\n")
		if strings.Contains(notes, "three busy threads on fewer CPUs") != warned {
			t.Errorf("with %d CPUs, a note on the switch's busy threads is %v:\n%s", cpus, !warned, notes)
		}
	}
}
