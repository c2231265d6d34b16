package bench

import (
	"testing"

	"github.com/ukkv/ukkv/tools/report"
	"github.com/ukkv/ukkv/tools/variant"
)

func TestRowsMapOntoThePapersTable4(t *testing.T) {
	paper, err := report.PaperTable4()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"raw-uknetdev": "unikraft-guest/uknetdev", "lwip-socket": "unikraft-guest/lwip",
		"linux-single": "linux-guest/single", "linux-batch": "linux-guest/batch", "linux-dpdk": "linux-guest/dpdk",
		"metal-single": "linux-metal/single", "metal-batch": "linux-metal/batch",
		"batched": "", "memcached": "",
	}
	for _, r := range variant.All() {
		got := ""
		if r.HasPaper() {
			got = r.PaperSetup() + "/" + r.PaperMode
			if _, err := paper.Find(r.PaperSetup(), r.PaperMode); err != nil {
				t.Errorf("row %s: %v", r.Name, err)
			}
		}
		if w, ok := want[r.Name]; ok && got != w {
			t.Errorf("row %s maps to paper row %q, want %q", r.Name, got, w)
		}
	}
	for _, base := range []string{baselineSingle, baselineDPDK} {
		if _, err := variant.Lookup(base); err != nil {
			t.Errorf("ratio baseline: %v", err)
		}
	}
}
