package bench

import (
	"strings"
	"testing"

	"github.com/ukkv/ukkv/tools/boot"
	"github.com/ukkv/ukkv/tools/report"
)

func names(rs []Row) string {
	var n []string
	for _, r := range rs {
		n = append(n, r.Name)
	}
	return strings.Join(n, ",")
}

func TestSelectNoNameIsEveryRowInReportOrder(t *testing.T) {
	got, err := Select(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "raw-uknetdev,batched,lwip-socket,linux-single,linux-batch,linux-dpdk,memcached,metal-single,metal-batch"
	if names(got) != want {
		t.Errorf("rows %s, want %s", names(got), want)
	}
}

func TestSelectKeepsReportOrderAndDropsRepeats(t *testing.T) {
	got, err := Select([]string{"metal-single", "raw-uknetdev", "metal-single"})
	if err != nil {
		t.Fatal(err)
	}
	if names(got) != "raw-uknetdev,metal-single" {
		t.Errorf("rows %s, want raw-uknetdev,metal-single", names(got))
	}
}

func TestSelectRefusesAnUnknownRowListingTheValidOnes(t *testing.T) {
	_, err := Select([]string{"linux-single", "metal-quad"})
	if err == nil {
		t.Fatal("unknown row accepted")
	}
	for _, want := range append([]string{`"metal-quad"`}, RowNames()...) {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}

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
	for _, r := range Rows() {
		w, ok := want[r.Name]
		if !ok {
			t.Errorf("row %s is not expected", r.Name)
			continue
		}
		got := ""
		if r.HasPaper() {
			got = string(r.Setup) + "/" + r.PaperMode
			if _, err := paper.Find(string(r.Setup), r.PaperMode); err != nil {
				t.Errorf("row %s: %v", r.Name, err)
			}
		}
		if got != w {
			t.Errorf("row %s maps to paper row %q, want %q", r.Name, got, w)
		}
	}
}

func TestEveryRowSaysHowItStarts(t *testing.T) {
	for _, r := range Rows() {
		var ok bool
		switch {
		case r.Setup == LinuxMetal:
			ok = r.Program != "" && r.Variant == "" && !r.DPDK
		case r.DPDK:
			ok = r.Setup == LinuxGuest && r.Program != "" && r.Variant == ""
		default:
			ok = r.Variant != "" && r.Program == ""
		}
		if !ok {
			t.Errorf("row %s (%s): variant %q, program %q, DPDK %v", r.Name, r.Setup, r.Variant, r.Program, r.DPDK)
		}
	}
}

func TestTheMemcachedRowBootsTheMemcachedGuest(t *testing.T) {
	if r, _ := find("memcached"); r.Variant != boot.MemcachedName || r.Preloads {
		t.Errorf("memcached row %+v: want variant %s, no preload", r, boot.MemcachedName)
	}
}
