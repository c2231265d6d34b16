package bench

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"

	"github.com/ukkv/ukkv/tools/kvload"
	"github.com/ukkv/ukkv/tools/process"
	"github.com/ukkv/ukkv/tools/variant"
)

// Real is the Booter and Loader of a real benchmark: kvload from the
// repository's bin/, guests booted by tools/boot, host-native servers as
// processes.
type Real struct {
	Repo string
	// Guests boots guest rows; nil skips them for the reason NoGuests.
	Guests   *Guests
	NoGuests string
	// HostTap reaches host rows over a TAP device instead of from a
	// network namespace over a veth pair (af_packet), which served
	// twice the requests with the same server on a 2-core machine: its
	// client spends no system call per received frame.
	HostTap bool
}

// kvloadBinary is bin/kvload, or a skip saying how to build it.
func (r *Real) kvloadBinary() (string, error) {
	bin := filepath.Join(r.Repo, "bin", "kvload")
	if _, err := os.Stat(bin); err != nil {
		return "", Skipf("%s is missing: run `make`", filepath.Join("bin", "kvload"))
	}
	if os.Geteuid() != 0 {
		return "", Skipf("kvload needs root (DPDK, TAP devices, vhost-user): run as root")
	}
	return bin, nil
}

// Boot starts a row of any setup.
func (r *Real) Boot(ctx context.Context, row *variant.Variant, w Workload) (Target, error) {
	bin, err := r.kvloadBinary()
	if err != nil {
		return nil, err
	}
	if !row.InGuest() {
		return startMetal(ctx, r.Repo, bin, row, w, !r.HostTap)
	}
	if r.Guests == nil {
		return nil, Skipf("%s", r.NoGuests)
	}
	return r.Guests.prepare(ctx, bin, row)
}

// Ceiling runs kvload against a ring loopback, which sends every request
// back at no cost: the most the client itself can do.
func (r *Real) Ceiling(ctx context.Context, w Workload, progress func(string)) (Measurement, error) {
	bin, err := r.kvloadBinary()
	if err != nil {
		return Measurement{}, err
	}
	c := kvload.RingCeiling(loadConfig(bin, w, process.OwnedName()))
	c.SrcIP, c.DstIP = net.IPv4(10, 0, 0, 2), net.IPv4(10, 0, 0, 1)
	res, err := kvload.Measure(ctx, c, progress)
	if err != nil {
		return Measurement{}, fmt.Errorf("kvload on a ring loopback: %w", err)
	}
	return measurement(res), nil
}

// loadConfig is kvload's configuration for workload w, its port and
// addresses left to the caller.
func loadConfig(bin string, w Workload, prefix string) kvload.Config {
	c := kvload.Defaults()
	c.Binary = bin
	c.Prefix = prefix
	c.Workload = w.Workload
	return c
}

// measurement keeps what the benchmark reports of kvload's result.
func measurement(r *kvload.Result) Measurement {
	return Measurement{
		RequestsPerS: r.RequestsPerS, RepliesPerS: r.RepliesPerS,
		P50: r.Latency.P50, P99: r.Latency.P99, P999: r.Latency.P999,
		Requests: r.Requests, Replies: r.Replies,
		Lost: r.Lost, Wrong: r.Wrong, Malformed: r.Malformed,
		Seconds: r.DurationS,
	}
}
