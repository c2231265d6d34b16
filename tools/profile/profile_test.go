package profile

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ukkv/ukkv/tools/internal/testenv"
	"github.com/ukkv/ukkv/tools/qemu"
	"github.com/ukkv/ukkv/tools/report"
	"github.com/ukkv/ukkv/tools/symbols"
	"github.com/ukkv/ukkv/tools/variant"
)

// profiled is the variant the test profiles: the one with no network
// stack, so that its idle loop (polling) is the hardest to take out.
const profiled = "raw-uknetdev"

// TestProfileOfOneVariantIsRepeatable profiles raw-uknetdev twice: the
// two runs' totals must agree within 2%, every component be named in
// the report, and the report be written.
func TestProfileOfOneVariantIsRepeatable(t *testing.T) {
	testenv.NeedGuestHost(t)
	repo := testenv.Repo(t)
	testenv.Binary(t, "tbcount.so")
	testenv.Binary(t, "kvload")
	cfg := Defaults(repo, testenv.Cache(t))
	cfg.Accel = qemu.TCG
	cfg.Requests = 10000
	if _, err := os.Stat(filepath.Join(repo, "build", profiled)); err != nil {
		t.Skipf("%s is not built: run `bin/ukkv build %s` (needs the Unikraft sources)", profiled, profiled)
	}
	v, err := variant.Lookup(profiled)
	if err != nil {
		t.Fatal(err)
	}
	r, img, err := Variant(context.Background(), cfg, v)
	if err != nil {
		t.Fatal(err)
	}
	if img.Name != profiled || len(r.Runs) != 2 {
		t.Fatalf("profiled %s with %d runs, want %s with 2", img.Name, len(r.Runs), profiled)
	}
	for i, c := range r.Runs {
		t.Logf("run %d: %.0f instructions a request, %.0f idle, %d requests", i+1, c.Total(), c.Idle, c.Requests)
		if c.Requests != uint64(cfg.Requests) {
			t.Errorf("run %d: %d requests answered, want %d", i+1, c.Requests, cfg.Requests)
		}
	}
	if s := r.Spread(); s > 0.02 {
		t.Errorf("runs %.0f and %.0f instructions a request: %.1f%% apart, want within 2%%",
			r.Runs[0].Total(), r.Runs[1].Total(), 100*s)
	}
	// a raw front end spends in each of these; it has no network stack,
	// and its hot path copies and compares with the core's own word-wise
	// helpers, not the libc's
	for _, c := range []symbols.Component{symbols.KVCore, symbols.Packet, symbols.Driver} {
		if r.Runs[0].Components[c] <= 0 {
			t.Errorf("no instructions charged to %q", c)
		}
	}
	if n := r.Runs[0].Components[symbols.NetStack]; n != 0 {
		t.Errorf("%.0f instructions a request charged to the network stack of a front end without one", n)
	}
	checkReportWritten(t, cfg, r)
}

func checkReportWritten(t *testing.T, cfg Config, r *Result) {
	t.Helper()
	tab := Table(cfg, []*Result{r})
	tab.Stamp = report.NewStamp(string(cfg.Accel), nil)
	dir := t.TempDir()
	paths, err := report.WriteAll(dir, "profile", tab, Chart([]*Result{r}))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 4 {
		t.Errorf("wrote %v, want JSON, CSV, Markdown and SVG", paths)
	}
	md, err := os.ReadFile(filepath.Join(dir, "profile.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range symbols.Components {
		if !strings.Contains(string(md), "| "+string(c)+" ") {
			t.Errorf("the report names no %q", c)
		}
	}
	if !strings.Contains(string(md), idleRow) {
		t.Errorf("the report has no %q row", idleRow)
	}
}

// TestProfileRefusesRowsWhoseCodeIsUnknown: a Linux row whose program
// is not one of our C servers (a Debian package's, the Go server)
// cannot be charged to components, and the error names the rows that
// can, our socket servers among them.
func TestProfileRefusesRowsWhoseCodeIsUnknown(t *testing.T) {
	for _, name := range []string{"memcached", "go-linux"} {
		v, err := variant.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = imageAndSymbols(context.Background(), Defaults(t.TempDir(), t.TempDir()), v)
		if err == nil || !strings.Contains(err.Error(), "linux-dpdk") || !strings.Contains(err.Error(), "linux-batch") ||
			!strings.Contains(err.Error(), profiled) {
			t.Errorf("profile of %s: %v, want an error naming linux-dpdk, linux-batch and %s", name, err, profiled)
		}
	}
}

// TestProfilableLinuxRowsAreOurCServers: the Linux guest rows profiled
// are exactly those running a C server of ours.
func TestProfilableLinuxRowsAreOurCServers(t *testing.T) {
	var linux []string
	for _, v := range Profilable() {
		if v.Kind == variant.LinuxGuest {
			linux = append(linux, v.Name)
		}
	}
	want := []string{"linux-single", "linux-batch", "linux-dpdk"}
	if !slices.Equal(linux, want) {
		t.Errorf("profilable Linux guest rows %v, want %v", linux, want)
	}
}
