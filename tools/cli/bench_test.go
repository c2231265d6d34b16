package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ukkv/ukkv/tools/internal/testenv"
	"github.com/ukkv/ukkv/tools/report"
)

func TestBenchRefusesBadInputBeforeStartingAnything(t *testing.T) {
	dir, empty := t.TempDir(), t.TempDir()
	// flags keep their values from one call to the next: each case
	// resets the one the case before it spoiled
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"nosuch"}, []string{`unknown row "nosuch"`, "raw-uknetdev", "linux-dpdk", "memcached", "metal-batch"}},
		{[]string{"--runs", "0", "metal-single"}, []string{"--runs 0"}},
		{[]string{"--runs", "1", "--get-ratio", "1.5", "metal-single"}, []string{"get ratio 1.5"}},
		{[]string{"--get-ratio", "0.9", "--sweep-factor", "1", "metal-single"}, []string{"sweep factor 1"}},
		{[]string{"--sweep-factor", "2", "--keep-up", "150", "metal-single"}, []string{"keep-up 1.5"}},
		{[]string{"--keep-up", "99", "--against", empty, "metal-single"}, []string{"--against " + empty + ": no table4.json there"}},
		{[]string{"--topology", "both", "metal-single"}, []string{`--topology "both": want direct, switch or direct,switch`}},
		{[]string{"--topology", "direct,switch", "--client-netns", "metal-single"}, []string{"--client-netns always puts the switch in"}},
		{[]string{"--sweep-factor", "2", "--rate", "1000", "--window", "8", "metal-single"}, []string{"exclude each other"}},
		{[]string{"--client-netns=false", "--topology", "direct", "--rate", "0", "--window", "8", "metal-single"}, []string{"--rate sets the load of --single-point"}},
	} {
		args := append([]string{"bench", "--results", dir}, tc.args...)
		_, err := execute(args...)
		if err == nil {
			t.Errorf("ukkv %s: no error", strings.Join(args, " "))
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("ukkv %s: %q does not say %q", strings.Join(args, " "), err, w)
			}
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("refused benchmarks wrote %d files", len(entries))
	}
}

func TestBenchMetalSingleWritesEveryReport(t *testing.T) {
	testenv.NeedRoot(t)
	testenv.Binary(t, "kvload")
	testenv.Binary(t, "kvstore-linux-single")
	dir := t.TempDir()
	// every workload flag given: flags keep values from earlier calls
	if out, err := execute("bench", "metal-single", "--single-point", "--results", dir, "--runs", "1", "--duration", "300ms",
		"--warmup", "100ms", "--get-ratio", "0.9", "--rate", "0", "--window", "4", "--keys", "100", "--against", ""); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, name := range []string{"runs.csv", "runs.md", "table4.csv", "table4.md", "table4-throughput.svg", "table4-latency.svg"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	f, err := os.Open(filepath.Join(dir, "table4.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tb, err := report.ReadJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	// the row, then the client ceilings at the start and at the end
	if len(tb.Rows) != 3 || tb.Rows[0][0].String() != "metal-single" || tb.Rows[0][2].String() != "measured" ||
		tb.Rows[1][0].String() != "client-ceiling (start)" || tb.Rows[2][0].String() != "client-ceiling (end)" {
		t.Errorf("table4.json rows: %v", tb.Rows)
	}
	if tb.Stamp.Info["unikraft"] == "" {
		t.Errorf("stamp without the pinned source revisions: %+v", tb.Stamp)
	}
}
