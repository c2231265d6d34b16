package bench

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ukkv/ukkv/tools/boot"
	"github.com/ukkv/ukkv/tools/build"
	"github.com/ukkv/ukkv/tools/internal/testenv"
	"github.com/ukkv/ukkv/tools/qemu"
	"github.com/ukkv/ukkv/tools/variant"
)

// Real benchmarks, very short: they prove the pieces fit and every
// report is written, not what the figures are.

// shortWorkload is a run of a fraction of a second, with a generous
// reply timeout so that a busy machine does not turn slowness into loss.
func shortWorkload() Workload {
	w := DefaultWorkload()
	w.Keys, w.Window = 200, 4
	w.Duration, w.Warmup = 500*time.Millisecond, 100*time.Millisecond
	return w
}

// needBench skips unless kvload and programs can run here, and returns
// the repository.
func needBench(t *testing.T, programs ...string) string {
	t.Helper()
	testenv.NeedRoot(t)
	for _, p := range append([]string{"kvload"}, programs...) {
		testenv.Binary(t, p)
	}
	return testenv.Repo(t)
}

// benchAndWrite runs rows for real and writes the reports into a
// temporary folder, which it returns with the outcome.
func benchAndWrite(t *testing.T, real *Real, rows []*variant.Variant, runs int) (*Outcome, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out, err := Run(ctx, Options{Rows: rows, Runs: runs, Workload: shortWorkload(), Booter: real, Loader: real,
		Progress: NewProgress(testWriter{t}, false)})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := Write(dir, out, paper(t), stamp()); err != nil {
		t.Fatal(err)
	}
	CheckReports(t, dir, true)
	return out, dir
}

// checkMeasured wants every run of the row answered, none wrong.
func checkMeasured(t *testing.T, r RowResult, runs int) {
	t.Helper()
	if r.Status() != "measured" || len(r.Runs) != runs {
		t.Fatalf("%s: %s (%s%v), %d runs of %d", r.Row.Name, r.Status(), r.Skipped, r.Failed, len(r.Runs), runs)
	}
	for i, m := range r.Runs {
		if m.Replies == 0 || m.Wrong != 0 || m.Malformed != 0 || m.P50 <= 0 || m.P99 < m.P50 {
			t.Errorf("%s run %d: %+v", r.Row.Name, i+1, m)
		}
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func TestBenchMetalSingle(t *testing.T) {
	repo := needBench(t, "kvstore-linux-single")
	out, _ := benchAndWrite(t, &Real{Repo: repo, NoGuests: "not in this test"}, rowsNamed(t, "metal-single"), 2)
	checkMeasured(t, out.Rows[0], 2)
	if out.Ceiling == nil || out.Ceiling.RepliesPerS <= 0 {
		t.Errorf("no client ceiling: %v", out.CeilingErr)
	}
}

// TestBenchUnikraftRow benchmarks the first Unikraft row whose image is
// built, booted under QEMU with kvload as its vhost-user backend.
func TestBenchUnikraftRow(t *testing.T) {
	repo := needBench(t)
	if _, err := qemu.Binary(); err != nil {
		t.Skip(err)
	}
	var row *variant.Variant
	for _, r := range variant.OfKind(variant.Unikraft) {
		if _, err := build.ImagePath(repo, r.Name); err == nil {
			row = r
			break
		}
	}
	if row == nil {
		t.Skip("no Unikraft image is built: run `ukkv sources fetch` (or `ukkv sources import`), then `ukkv build`")
	}
	guests := &Guests{Repo: repo, Cache: testenv.Cache(t), Accel: testenv.Accel(t), ReadyTimeout: boot.DefaultReadyTimeout}
	out, _ := benchAndWrite(t, &Real{Repo: repo, Guests: guests}, []*variant.Variant{row}, 1)
	checkMeasured(t, out.Rows[0], 1)
}
