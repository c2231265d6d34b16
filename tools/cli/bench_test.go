package cli

import (
	"os"
	"strings"
	"testing"
)

func TestBenchRefusesBadInputBeforeStartingAnything(t *testing.T) {
	dir := t.TempDir()
	// flags keep their values from one call to the next: each case
	// resets the one the case before it spoiled
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"nosuch"}, []string{`unknown row "nosuch"`, "raw-uknetdev", "linux-dpdk", "memcached", "metal-batch"}},
		{[]string{"--runs", "0", "metal-single"}, []string{"--runs 0"}},
		{[]string{"--runs", "1", "--get-ratio", "1.5", "metal-single"}, []string{"get ratio 1.5"}},
		{[]string{"--get-ratio", "0.9", "--rate", "1000", "--window", "8", "metal-single"}, []string{"exclude each other"}},
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
