package bench

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ukkv/ukkv/tools/boot"
	"github.com/ukkv/ukkv/tools/build"
	"github.com/ukkv/ukkv/tools/dpdk"
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
func benchAndWrite(t *testing.T, real *Real, rows []*variant.Variant, runs int, sw *Sweep) (*Outcome, string) {
	t.Helper()
	return benchAndWriteWith(t, Options{Rows: rows, Runs: runs, Booter: real, Loader: real, Sweep: sw})
}

// benchAndWriteWith is benchAndWrite of opts, in the short workload.
func benchAndWriteWith(t *testing.T, opts Options) (*Outcome, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	opts.Workload, opts.Progress = shortWorkload(), NewProgress(testWriter{t}, false)
	out, err := Run(ctx, opts)
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

// TestBenchMetalSingle measures a host row at one load over a TAP device
// (the swept test below reaches it from a namespace).
func TestBenchMetalSingle(t *testing.T) {
	repo := needBench(t, "kvstore-linux-single")
	out, _ := benchAndWrite(t, &Real{Repo: repo, NoGuests: "not in this test", HostTap: true}, rowsNamed(t, "metal-single"), 2, nil)
	checkMeasured(t, out.Rows[0], 2)
	if out.Ceiling == nil || out.Ceiling.RepliesPerS <= 0 {
		t.Errorf("no client ceiling: %v", out.CeilingErr)
	}
}

// TestBenchUnikraftRow benchmarks the first Unikraft row whose image is
// built, booted under QEMU with kvload as its vhost-user backend, then
// with testpmd switching between them, kvload on a virtio_user port or
// in a namespace of its own, and says which path it took.
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
	for _, tc := range []struct {
		name     string
		topology string
		netns    bool
		path     string
	}{
		{"direct", Direct, false, "direct: kvload on CPU"},
		{"switch", Switch, false, "switch: kvload as a virtio_user port"},
		{"netns", Direct, true, "switch: kvload in a network namespace"},
		{"both", Both, false, "direct: kvload on CPU"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.topology != Direct || tc.netns {
				if _, err := dpdk.Binary(); err != nil {
					t.Skip(err)
				}
			}
			if tc.netns {
				testenv.NeedNetAdmin(t)
			}
			guests := &Guests{Repo: repo, Cache: testenv.Cache(t), Accel: testenv.Accel(t), ReadyTimeout: boot.DefaultReadyTimeout,
				Topology: tc.topology, ClientNetns: tc.netns}
			opts := Options{Rows: []*variant.Variant{row}, Runs: 1, Booter: &Real{Repo: repo, Guests: guests}}
			if tc.topology == Both {
				switched := *guests
				guests.Topology, switched.Topology = Direct, Switch
				opts.Switch = &Real{Repo: repo, Guests: &switched}
			}
			out, _ := benchAndWriteWith(t, opts)
			checkMeasured(t, out.Rows[0], 1)
			if !strings.HasPrefix(out.Rows[0].Path, tc.path) {
				t.Errorf("path %q, want %q...", out.Rows[0].Path, tc.path)
			}
			if tc.topology == Both {
				checkBoth(t, out)
			}
		})
	}
}

// checkBoth wants the row measured direct, then through the switch,
// and the switch's cost in Table 4.
func checkBoth(t *testing.T, out *Outcome) {
	t.Helper()
	if len(out.Rows) != 2 || out.Rows[1].Topology != Switch {
		t.Fatalf("%d results, want the row direct and through the switch", len(out.Rows))
	}
	checkMeasured(t, out.Rows[1], 1)
	if !strings.HasPrefix(out.Rows[1].Path, "switch: kvload as a virtio_user port") {
		t.Errorf("second path %q, want the switch", out.Rows[1].Path)
	}
	tb := SummaryTable(out, paper(t), stamp())
	if c := num(t, cell(t, tb, out.Rows[1].Name(), "switch vs direct")); c <= 0 {
		t.Errorf("switch vs direct %g", c)
	}
}

// shortSweep rises in a few short steps from a load any server here
// sustains.
func shortSweep() *Sweep {
	sw := DefaultSweep()
	sw.Start, sw.MaxSteps, sw.Refine = 500, 4, 1
	sw.Duration, sw.Warmup = 300*time.Millisecond, 100*time.Millisecond
	return &sw
}

// TestBenchMetalSingleSwept sweeps a real row: its steps in one kvload,
// then a run at its peak, and the sweep's reports.
func TestBenchMetalSingleSwept(t *testing.T) {
	repo := needBench(t, "kvstore-linux-single")
	out, dir := benchAndWrite(t, &Real{Repo: repo, NoGuests: "not in this test"}, rowsNamed(t, "metal-single"), 1, shortSweep())
	r := out.Rows[0]
	checkMeasured(t, r, 1)
	if !strings.Contains(r.Path, "network namespace") {
		t.Errorf("path %q: want kvload in a namespace", r.Path)
	}
	peak, ok := r.Sweep.PeakStep()
	if !ok || len(r.Sweep.Steps) == 0 || r.Sweep.Steps[0].Offered != 500 || r.Sweep.LightP50 <= 0 {
		t.Fatalf("sweep %+v", r.Sweep)
	}
	for i, st := range r.Sweep.Steps {
		if st.Replies == 0 || st.Wrong != 0 || st.Seconds < 0.29 {
			t.Errorf("step %d: %+v", i+1, st)
		}
	}
	if peak.Replies == 0 || !peak.Within {
		t.Errorf("peak %+v", peak)
	}
	if ref, ok := r.Sweep.ReferenceStep(); !ok || ref.Window != 16 || ref.Replies == 0 {
		t.Errorf("no single-point step: %+v", ref)
	}
	for _, name := range []string{"sweep.json", "sweep.csv", "sweep-replies.svg", "sweep-latency.svg"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
}
