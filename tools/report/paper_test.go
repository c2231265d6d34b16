package report

import (
	"math"
	"strings"
	"testing"
)

func TestPaperTable4(t *testing.T) {
	tab, err := PaperTable4()
	if err != nil {
		t.Fatal(err)
	}
	want := []PaperRow{
		{"linux-metal", "single", 590_000, "recvmsg/sendmsg server on the host"},
		{"linux-metal", "batch", 985_000, "recvmmsg/sendmmsg server on the host"},
		{"linux-guest", "single", 105_000, "socket server in a Linux VM behind vhost-user"},
		{"linux-guest", "batch", 276_000, "batched socket server in a Linux VM"},
		{"linux-guest", "dpdk", 6_100_000, "DPDK server in a Linux VM (virtio PMD)"},
		{"unikraft-guest", "lwip", 250_000, "socket server on Unikraft + lwIP"},
		{"unikraft-guest", "uknetdev", 6_000_000, "raw uknetdev server on Unikraft"},
		{"unikraft-guest", "dpdk", 6_100_000, "DPDK on Unikraft"},
	}
	if len(tab.Rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(tab.Rows), len(want))
	}
	for i, r := range tab.Rows {
		if r != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, r, want[i])
		}
	}
}

// The paper's own ratios: uknetdev 57x linux-guest single and 0.98x
// linux-guest dpdk, lwIP 2.4x linux-guest single.
func TestPaperRatios(t *testing.T) {
	tab, err := PaperTable4()
	if err != nil {
		t.Fatal(err)
	}
	uknetdev, err := tab.Find("unikraft-guest", "uknetdev")
	if err != nil {
		t.Fatal(err)
	}
	r := tab.Ratios(uknetdev)
	if math.Abs(r.VsLinuxSingle-57.14) > 0.01 || math.Abs(r.VsLinuxDPDK-0.984) > 0.001 {
		t.Errorf("uknetdev ratios %+v, want 57.14x and 0.984x", r)
	}
	if r := tab.Ratios(250_000); math.Abs(r.VsLinuxSingle-2.38) > 0.01 {
		t.Errorf("lwip ratio to linux single %v, want 2.38", r.VsLinuxSingle)
	}
	if _, err := tab.Find("linux-guest", "memcached"); err == nil {
		t.Error("Find of an absent row succeeded")
	}
}

func TestParseThroughput(t *testing.T) {
	for in, want := range map[string]float64{
		"590 K/s": 590_000, "6.1 M/s": 6_100_000, "6 M/s": 6_000_000, "42 /s": 42, " 1.5 G/s ": 1.5e9, "0.25 K/s": 250,
	} {
		if got, err := ParseThroughput(in); err != nil || got != want {
			t.Errorf("ParseThroughput(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"590K/s", "590 k/s", "590 K", "-5 K/s", "1e3 K/s", "NaN /s", "inf M/s", "", "5 M/s extra", "1. K/s"} {
		if got, err := ParseThroughput(in); err == nil {
			t.Errorf("ParseThroughput(%q) = %v, want an error", in, got)
		}
	}
}

func TestParseTable4Errors(t *testing.T) {
	const head = "# comment\nsetup,mode,throughput,meaning\n"
	for name, in := range map[string]string{
		"no single baseline": head + "linux-guest,dpdk,6.1 M/s,x\n",
		"no dpdk baseline":   head + "linux-guest,single,105 K/s,x\n",
		"bad throughput":     head + "linux-guest,single,fast,x\nlinux-guest,dpdk,6.1 M/s,x\n",
		"wrong header":       "setup,mode,rps,meaning\n",
		"missing field":      head + "linux-guest,single,105 K/s\n",
		"empty":              "",
	} {
		if _, err := ParseTable4(strings.NewReader(in)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
