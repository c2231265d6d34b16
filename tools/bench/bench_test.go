package bench

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ukkv/ukkv/tools/kvload"
	"github.com/ukkv/ukkv/tools/variant"
)

// fakeTarget answers runs with the next throughput of its list, or
// fails the run numbered failAt.
type fakeTarget struct {
	rates   []float64
	failAt  int
	runs    int
	stopped int
	opened  int
	closed  int
	steps   []kvload.Step
	cancel  func() // called on the first run, if set
}

func (f *fakeTarget) Open(ctx context.Context, w Workload, progress func(string)) (Session, error) {
	f.opened++
	return &fakeSession{f, progress}, nil
}

type fakeSession struct {
	f        *fakeTarget
	progress func(string)
}

func (s *fakeSession) Step(ctx context.Context, st kvload.Step) (Measurement, error) {
	f := s.f
	f.runs++
	f.steps = append(f.steps, st)
	if f.cancel != nil {
		f.cancel()
	}
	if f.runs == f.failAt {
		return Measurement{}, errors.New("guest died")
	}
	if s.progress != nil {
		s.progress("kvload: 1s 100 req/s 99 rep/s p50 10.0us p99 20.0us lost 0 wrong 0 malformed 0 outstanding 1")
	}
	r := f.rates[(f.runs-1)%len(f.rates)]
	return Measurement{RequestsPerS: r, RepliesPerS: r, P50: 10, P99: 20, Lost: 1}, nil
}

func (s *fakeSession) Close() error { s.f.closed++; return nil }

func (f *fakeTarget) Stop() error { f.stopped++; return nil }

// fakeBooter hands out targets by row name; a name with no target is
// skipped, and bootErr fails every boot.
type fakeBooter struct {
	targets map[string]*fakeTarget
	booted  []string
	bootErr error
}

func (b *fakeBooter) Boot(ctx context.Context, r *variant.Variant, w Workload) (Target, error) {
	b.booted = append(b.booted, r.Name)
	if b.bootErr != nil {
		return nil, b.bootErr
	}
	t, ok := b.targets[r.Name]
	if !ok {
		return nil, Skipf("image of %s not built", r.Name)
	}
	return t, nil
}

type fakeLoader struct {
	err error
	got Workload
}

func (l *fakeLoader) Ceiling(ctx context.Context, w Workload, progress func(string)) (Measurement, error) {
	l.got = w
	return Measurement{RepliesPerS: 1e6}, l.err
}

func rowsNamed(t *testing.T, names ...string) []*variant.Variant {
	t.Helper()
	rs, err := variant.Select(names, variant.All())
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestRunMeasuresEachRowRunsTimesAndStopsIt(t *testing.T) {
	single := &fakeTarget{rates: []float64{100, 300, 200}}
	metal := &fakeTarget{rates: []float64{1000}}
	b := &fakeBooter{targets: map[string]*fakeTarget{"linux-single": single, "metal-single": metal}}
	var shown bytes.Buffer
	out, err := Run(context.Background(), Options{
		Rows: rowsNamed(t, "linux-single", "metal-single"), Runs: 3, Workload: DefaultWorkload(),
		Booter: b, Loader: &fakeLoader{}, Progress: NewProgress(&shown, false),
	})
	if err != nil {
		t.Fatal(err)
	}
	if single.runs != 3 || metal.runs != 3 || single.stopped != 1 || metal.stopped != 1 {
		t.Errorf("runs %d/%d, stops %d/%d; want 3 runs and 1 stop each", single.runs, metal.runs, single.stopped, metal.stopped)
	}
	if s := out.Rows[0].Summary(); s.Throughput != (Spread{200, 100, 300}) || s.Lost != 3 {
		t.Errorf("linux-single summary %+v", s)
	}
	if out.Ceiling == nil || out.Ceiling.RepliesPerS != 1e6 {
		t.Errorf("ceiling %+v", out.Ceiling)
	}
	for _, want := range []string{"client ceiling at the start 1,000,000 req/s", "run 3/3 of metal-single", "run 1/3 of linux-single  1s  100 req/s  99 rep/s  p99 20 µs"} {
		if !strings.Contains(shown.String(), want) {
			t.Errorf("progress lacks %q:\n%s", want, shown.String())
		}
	}
}

func TestRunSkipsRowsWithoutPrerequisitesAndGoesOn(t *testing.T) {
	metal := &fakeTarget{rates: []float64{1000}}
	b := &fakeBooter{targets: map[string]*fakeTarget{"metal-single": metal}}
	out, err := Run(context.Background(), Options{
		Rows: rowsNamed(t, "raw-uknetdev", "metal-single"), Runs: 1, Workload: DefaultWorkload(), Booter: b,
	})
	if err != nil {
		t.Fatal(err)
	}
	raw := out.Rows[0]
	if raw.Status() != "skipped" || raw.Skipped != "image of raw-uknetdev not built" || len(raw.Runs) != 0 {
		t.Errorf("raw-uknetdev: %+v", raw)
	}
	if out.Rows[1].Status() != "measured" || out.Failed() != nil {
		t.Errorf("metal-single: %+v, failed %v", out.Rows[1], out.Failed())
	}
	if out.Ceiling != nil || out.CeilingErr != nil {
		t.Errorf("no loader, yet a ceiling: %+v %v", out.Ceiling, out.CeilingErr)
	}
}

func TestRunKeepsTheRunsBeforeAFailureAndStopsTheRow(t *testing.T) {
	single := &fakeTarget{rates: []float64{100}, failAt: 2}
	metal := &fakeTarget{rates: []float64{1000}}
	b := &fakeBooter{targets: map[string]*fakeTarget{"linux-single": single, "metal-single": metal}}
	out, err := Run(context.Background(), Options{
		Rows: rowsNamed(t, "linux-single", "metal-single"), Runs: 3, Workload: DefaultWorkload(),
		Booter: b, Loader: &fakeLoader{err: errors.New("no ring")},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := out.Rows[0]
	if r.Status() != "failed" || len(r.Runs) != 1 || single.runs != 2 || single.stopped != 1 {
		t.Errorf("linux-single: status %s, %d runs kept, %d tried, %d stops", r.Status(), len(r.Runs), single.runs, single.stopped)
	}
	if err := out.Failed(); err == nil || !strings.Contains(err.Error(), "linux-single: run 2: guest died") {
		t.Errorf("Failed() = %v", err)
	}
	if metal.runs != 3 {
		t.Errorf("a failed row stopped the next one: %d runs", metal.runs)
	}
	if out.Ceiling != nil || out.CeilingErr == nil {
		t.Errorf("ceiling error lost: %+v %v", out.Ceiling, out.CeilingErr)
	}
}

func TestRunReportsABootFailureAsAFailedRow(t *testing.T) {
	b := &fakeBooter{bootErr: errors.New("QEMU ended")}
	out, err := Run(context.Background(), Options{Rows: rowsNamed(t, "linux-single"), Runs: 1, Workload: DefaultWorkload(), Booter: b})
	if err != nil {
		t.Fatal(err)
	}
	if out.Rows[0].Status() != "failed" || out.Failed() == nil {
		t.Errorf("row %+v", out.Rows[0])
	}
}

func TestRunEndsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	single := &fakeTarget{rates: []float64{100}, cancel: cancel}
	metal := &fakeTarget{rates: []float64{1000}}
	b := &fakeBooter{targets: map[string]*fakeTarget{"linux-single": single, "metal-single": metal}}
	_, err := Run(ctx, Options{Rows: rowsNamed(t, "linux-single", "metal-single"), Runs: 1, Workload: DefaultWorkload(), Booter: b})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
	if single.stopped != 1 || metal.stopped != 1 || metal.runs != 0 {
		t.Errorf("after cancel: %d and %d stops of the started rows, %d runs of the next", single.stopped, metal.stopped, metal.runs)
	}
}

func TestRunRefusesBadOptions(t *testing.T) {
	b := &fakeBooter{}
	for name, o := range map[string]Options{
		"no runs":          {Runs: 0, Workload: DefaultWorkload()},
		"rate and window":  {Runs: 1, Workload: func() Workload { w := DefaultWorkload(); w.Rate = 1000; return w }()},
		"get ratio":        {Runs: 1, Workload: func() Workload { w := DefaultWorkload(); w.GetRatio = 1.5; return w }()},
		"no duration":      {Runs: 1, Workload: func() Workload { w := DefaultWorkload(); w.Duration = 0; return w }()},
		"neither loop":     {Runs: 1, Workload: func() Workload { w := DefaultWorkload(); w.Window = 0; return w }()},
		"negative warm-up": {Runs: 1, Workload: func() Workload { w := DefaultWorkload(); w.Warmup = -time.Second; return w }()},
	} {
		o.Booter, o.Rows = b, rowsNamed(t, "metal-single")
		if _, err := Run(context.Background(), o); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if len(b.booted) != 0 {
		t.Errorf("rows booted despite bad options: %v", b.booted)
	}
}

func TestNothingMeasuredNamesEveryRowsReason(t *testing.T) {
	o := &Outcome{Rows: []RowResult{
		{Row: &variant.Variant{Name: "a"}, Skipped: "not built"},
		{Row: &variant.Variant{Name: "b"}, Failed: errors.New("QEMU ended\nconsole tail")},
	}}
	err := o.NothingMeasured()
	if err == nil || !strings.Contains(err.Error(), "a skipped: not built") || !strings.Contains(err.Error(), "b failed: QEMU ended") {
		t.Errorf("NothingMeasured() = %v", err)
	}
	o.Rows = append(o.Rows, RowResult{Row: &variant.Variant{Name: "c"}, Runs: runsAt(1)})
	if err := o.NothingMeasured(); err != nil {
		t.Errorf("a measured row, yet %v", err)
	}
}

func TestTheCeilingOfAnOpenLoopIsAClosedOne(t *testing.T) {
	w := DefaultWorkload()
	w.Window = 64
	if got := CeilingWorkload(w); got != w {
		t.Errorf("closed loop changed for the ceiling: %+v", got)
	}
	w.Window, w.Rate = 0, 5000
	got := CeilingWorkload(w)
	if got.Rate != 0 || got.Window != DefaultWorkload().Window || got.Keys != w.Keys || got.Duration != w.Duration {
		t.Errorf("ceiling of an open loop: %+v", got)
	}
	if err := got.Validate(); err != nil {
		t.Error(err)
	}
}

func TestRunMeasuresTheCeilingOfAnOpenLoopClosed(t *testing.T) {
	w := DefaultWorkload()
	w.Window, w.Rate = 0, 5000
	l := &fakeLoader{}
	b := &fakeBooter{targets: map[string]*fakeTarget{}}
	if _, err := Run(context.Background(), Options{Rows: rowsNamed(t, "metal-single"), Runs: 1, Workload: w, Booter: b, Loader: l}); err != nil {
		t.Fatal(err)
	}
	if l.got != CeilingWorkload(w) {
		t.Errorf("ceiling measured with %+v", l.got)
	}
}
