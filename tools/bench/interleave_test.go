package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ukkv/ukkv/tools/kvload"
	"github.com/ukkv/ukkv/tools/variant"
)

// courseLog records, in order, what the benchmark does to its rows:
// "boot ROW", "run ROW" (a session), "stop ROW", and what it saw of
// the client ceiling.
type courseLog struct{ events []string }

func (l *courseLog) add(format string, args ...any) {
	l.events = append(l.events, fmt.Sprintf(format, args...))
}

// loggedTarget is a row whose sessions fail from the failFrom-th on
// (0: never); cancel, if set, is called in session cancelAt.
type loggedTarget struct {
	log      *courseLog
	name     string
	failFrom int
	cancelAt int
	cancel   func()
	sessions int
	stops    int
}

func (t *loggedTarget) Open(ctx context.Context, w Workload, progress func(string)) (Session, error) {
	t.sessions++
	t.log.add("run %s", t.name)
	if t.sessions == t.cancelAt {
		t.cancel()
		return nil, ctx.Err()
	}
	if t.failFrom > 0 && t.sessions >= t.failFrom {
		return nil, errors.New("guest died")
	}
	return t, nil
}

func (t *loggedTarget) Step(ctx context.Context, st kvload.Step) (Measurement, error) {
	return Measurement{RequestsPerS: 1000, RepliesPerS: 1000, P50: 10, P99: 20}, nil
}

func (t *loggedTarget) Close() error { return nil }

func (t *loggedTarget) Stop() error {
	t.stops++
	t.log.add("stop %s", t.name)
	return nil
}

// loggedBooter boots the rows of targets and skips the others; a row
// named in fail fails to boot.
type loggedBooter struct {
	log     *courseLog
	suffix  string
	targets map[string]*loggedTarget
	fail    string
}

func (b *loggedBooter) Boot(ctx context.Context, r *variant.Variant, w Workload) (Target, error) {
	b.log.add("boot %s%s", r.Name, b.suffix)
	if r.Name == b.fail {
		return nil, errors.New("QEMU ended")
	}
	t, ok := b.targets[r.Name]
	if !ok {
		return nil, Skipf("image of %s not built", r.Name)
	}
	return t, nil
}

// loggedRows makes a booter with a target for each name; the targets
// carry the names with the booter's suffix.
func loggedRows(log *courseLog, suffix string, names ...string) *loggedBooter {
	b := &loggedBooter{log: log, suffix: suffix, targets: map[string]*loggedTarget{}}
	for _, n := range names {
		b.targets[n] = &loggedTarget{log: log, name: n + suffix}
	}
	return b
}

// stoppedOnce fails unless every target was stopped exactly once.
func stoppedOnce(t *testing.T, bs ...*loggedBooter) {
	t.Helper()
	for _, b := range bs {
		for _, tg := range b.targets {
			if tg.stops != 1 {
				t.Errorf("%s stopped %d times, want once", tg.name, tg.stops)
			}
		}
	}
}

// TestRunsAreInterleaved: every row is started first, then run 1 of every
// row, run 2 of every row...; a row failing in a run stops at once and
// only it; skipped and unbootable rows get no runs; every Target is
// stopped once, at the end, and the ceiling is measured at both ends.
func TestRunsAreInterleaved(t *testing.T) {
	log := &courseLog{}
	b := loggedRows(log, "", "raw-uknetdev", "linux-single", "metal-single")
	b.targets["linux-single"].failFrom = 2
	b.fail = "linux-dpdk"
	var shown bytes.Buffer
	out, err := Run(context.Background(), Options{
		Rows: rowsNamed(t, "raw-uknetdev", "batched", "linux-single", "linux-dpdk", "metal-single"), Runs: 3,
		Workload: DefaultWorkload(), Booter: b, Loader: &fakeLoader{}, Progress: NewProgress(&shown, false),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"boot raw-uknetdev", "boot batched", "boot linux-single", "boot linux-dpdk", "boot metal-single",
		"run raw-uknetdev", "run linux-single", "run metal-single",
		"run raw-uknetdev", "run linux-single", "stop linux-single", "run metal-single",
		"run raw-uknetdev", "run metal-single",
		"stop raw-uknetdev", "stop metal-single",
	}
	if got := strings.Join(log.events, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("order:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	stoppedOnce(t, b)
	var status []string
	for _, r := range out.Rows {
		status = append(status, fmt.Sprintf("%s %s %d", r.Name(), r.Status(), len(r.Runs)))
	}
	if got := strings.Join(status, ", "); got != "raw-uknetdev measured 3, batched skipped 0, linux-single failed 1, linux-dpdk failed 0, metal-single measured 3" {
		t.Errorf("rows: %s", got)
	}
	if err := out.Failed(); err == nil || !strings.Contains(err.Error(), "linux-single: run 2: guest died") {
		t.Errorf("Failed() = %v", err)
	}
	if out.Ceiling == nil || out.CeilingEnd == nil {
		t.Errorf("ceilings %+v at the start, %+v at the end", out.Ceiling, out.CeilingEnd)
	}
	for _, line := range []string{"client ceiling at the start 1,000,000 req/s", "run 2/3 of raw-uknetdev: 1,000 req/s",
		"run 2/3 of linux-single: guest died", "client ceiling at the end 1,000,000 req/s"} {
		if !strings.Contains(shown.String(), line) {
			t.Errorf("progress lacks %q:\n%s", line, shown.String())
		}
	}
}

// TestInterleavedRunsWithTheSwitch: a guest row's switch result follows
// it in every round, a host row has none, and both Targets stop.
func TestInterleavedRunsWithTheSwitch(t *testing.T) {
	log := &courseLog{}
	direct := loggedRows(log, "", "raw-uknetdev", "metal-single")
	switched := loggedRows(log, " (switch)", "raw-uknetdev")
	out, err := Run(context.Background(), Options{
		Rows: rowsNamed(t, "raw-uknetdev", "metal-single"), Runs: 2, Workload: DefaultWorkload(), Booter: direct, Switch: switched,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"boot raw-uknetdev", "boot raw-uknetdev (switch)", "boot metal-single",
		"run raw-uknetdev", "run raw-uknetdev (switch)", "run metal-single",
		"run raw-uknetdev", "run raw-uknetdev (switch)", "run metal-single",
		"stop raw-uknetdev", "stop raw-uknetdev (switch)", "stop metal-single",
	}
	if got := strings.Join(log.events, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("order:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	stoppedOnce(t, direct, switched)
	if len(out.Rows) != 3 || out.Rows[1].Name() != "raw-uknetdev (switch)" || len(out.Rows[1].Runs) != 2 {
		t.Errorf("rows %+v", out.Rows)
	}
}

// TestASweepThatFailsStopsItsRowAtOnce: a row whose sweep failed is
// stopped before the next row starts and gets no runs.
func TestASweepThatFailsStopsItsRowAtOnce(t *testing.T) {
	log := &courseLog{}
	b := loggedRows(log, "", "raw-uknetdev", "linux-single")
	b.targets["raw-uknetdev"].failFrom = 1
	sw := DefaultSweep()
	sw.MaxSteps, sw.Refine = 1, 0
	out, err := Run(context.Background(), Options{
		Rows: rowsNamed(t, "raw-uknetdev", "linux-single"), Runs: 2, Workload: DefaultWorkload(), Booter: b, Sweep: &sw,
	})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(log.events, "\n")
	if !strings.HasPrefix(got, "boot raw-uknetdev\nrun raw-uknetdev\nstop raw-uknetdev\nboot linux-single\n") {
		t.Errorf("order:\n%s", got)
	}
	if strings.Count(got, "run raw-uknetdev") != 1 || out.Rows[0].Status() != "failed" || len(out.Rows[0].Runs) != 0 {
		t.Errorf("raw-uknetdev %s with %d runs after its sweep failed:\n%s", out.Rows[0].Status(), len(out.Rows[0].Runs), got)
	}
	stoppedOnce(t, b)
}

// TestCtrlCStopsEveryStartedRow: the end of the context during a run
// stops the runs and every Target started, and leaves out the ceiling
// at the end.
func TestCtrlCStopsEveryStartedRow(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := &courseLog{}
	b := loggedRows(log, "", "raw-uknetdev", "linux-single", "metal-single")
	b.targets["linux-single"].cancelAt, b.targets["linux-single"].cancel = 2, cancel
	out, err := Run(ctx, Options{
		Rows: rowsNamed(t, "raw-uknetdev", "linux-single", "metal-single"), Runs: 3, Workload: DefaultWorkload(),
		Booter: b, Loader: &fakeLoader{},
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
	stoppedOnce(t, b)
	if n := strings.Count(strings.Join(log.events, "\n"), "run "); n != 5 {
		t.Errorf("%d runs, want the 3 of round 1 and 2 of round 2:\n%s", n, strings.Join(log.events, "\n"))
	}
	if out.Ceiling == nil || out.CeilingEnd != nil {
		t.Errorf("ceilings %+v at the start, %+v at the end after Ctrl-C", out.Ceiling, out.CeilingEnd)
	}
}
