package bench

import (
	"fmt"
	"strings"
)

// Setup says where a row's server runs; the names are the paper's.
type Setup string

// The setups of the benchmark.
const (
	UnikraftGuest Setup = "unikraft-guest"
	LinuxGuest    Setup = "linux-guest"
	LinuxMetal    Setup = "linux-metal"
)

// Row is one line of the benchmark: what runs, how it is started, and
// which row of the paper's Table 4 it compares with.
type Row struct {
	Name  string
	Setup Setup
	// Variant names the registry entry a guest row boots, or the boot
	// package's memcached guest.
	Variant string
	// Program is the bin/ front end a host-native row runs, or the DPDK
	// program of a DPDK guest row.
	Program string
	// DPDK says a guest row runs Program on DPDK's virtio PMD in a Linux
	// guest rather than a registered variant.
	DPDK bool
	// PaperMode is the row's mode in the paper's Table 4 (in the same
	// setup); empty when the paper has no such row.
	PaperMode string
	// Preloads says the server fills its table at start-up; kvload sets
	// every key first for a server that cannot (memcached).
	Preloads bool
}

// HasPaper says whether the paper measured this row.
func (r Row) HasPaper() bool { return r.PaperMode != "" }

// rows is every row, in the order of the report. The ratio baselines
// are linux-single and linux-dpdk in the guest, as in the paper.
var rows = []Row{
	{Name: "raw-uknetdev", Setup: UnikraftGuest, Variant: "raw-uknetdev", PaperMode: "uknetdev", Preloads: true},
	{Name: "batched", Setup: UnikraftGuest, Variant: "batched", Preloads: true},
	{Name: "lwip-socket", Setup: UnikraftGuest, Variant: "lwip-socket", PaperMode: "lwip", Preloads: true},
	{Name: "linux-single", Setup: LinuxGuest, Variant: "linux-single", PaperMode: "single", Preloads: true},
	{Name: "linux-batch", Setup: LinuxGuest, Variant: "linux-batch", PaperMode: "batch", Preloads: true},
	{Name: "linux-dpdk", Setup: LinuxGuest, Program: "kvstore-linux-dpdk", DPDK: true, PaperMode: "dpdk", Preloads: true},
	{Name: "memcached", Setup: LinuxGuest, Variant: "memcached-guest"},
	{Name: "metal-single", Setup: LinuxMetal, Program: "kvstore-linux-single", PaperMode: "single", Preloads: true},
	{Name: "metal-batch", Setup: LinuxMetal, Program: "kvstore-linux-batch", PaperMode: "batch", Preloads: true},
}

// The rows every other row's ratios are taken against.
const (
	baselineSingle = "linux-single"
	baselineDPDK   = "linux-dpdk"
)

// Rows returns every row in report order.
func Rows() []Row { return append([]Row(nil), rows...) }

// RowNames lists the names of every row.
func RowNames() []string {
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = r.Name
	}
	return names
}

// Select returns the named rows in report order, each once; no name
// means all. An unknown name is an error listing the valid ones.
func Select(names []string) ([]Row, error) {
	if len(names) == 0 {
		return Rows(), nil
	}
	want := map[string]bool{}
	for _, n := range names {
		if _, ok := find(n); !ok {
			return nil, fmt.Errorf("unknown row %q (valid: %s)", n, strings.Join(RowNames(), ", "))
		}
		want[n] = true
	}
	var sel []Row
	for _, r := range rows {
		if want[r.Name] {
			sel = append(sel, r)
		}
	}
	return sel, nil
}

func find(name string) (Row, bool) {
	for _, r := range rows {
		if r.Name == name {
			return r, true
		}
	}
	return Row{}, false
}
