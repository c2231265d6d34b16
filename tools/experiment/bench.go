package experiment

import (
	"context"
	"fmt"

	log "github.com/sirupsen/logrus"

	"github.com/ukkv/ukkv/tools/bench"
	"github.com/ukkv/ukkv/tools/boot"
	"github.com/ukkv/ukkv/tools/provenance"
	"github.com/ukkv/ukkv/tools/qemu"
	"github.com/ukkv/ukkv/tools/report"
	"github.com/ukkv/ukkv/tools/variant"
)

// BenchOptions say which rows the benchmark runs and how.
type BenchOptions struct {
	Rows     []*variant.Variant
	Runs     int
	Workload bench.Workload
	// Sweep finds each row's peak and measures the runs there; nil
	// measures them at the workload's window or rate.
	Sweep *bench.Sweep
	// Client says how kvload reaches guest rows; HostTap reaches host
	// rows over a TAP device instead of from a namespace.
	Client   bench.Client
	HostTap  bool
	Progress *bench.Progress
	// NoCeiling leaves out the client's own ceiling, for a caller that
	// only compares the rows with each other.
	NoCeiling bool
}

// BenchReport is a measured benchmark with what its reports need.
type BenchReport struct {
	Outcome *bench.Outcome
	Paper   *report.Table4
	Stamp   report.Stamp
}

// Bench measures the rows with the DPDK load generator, the way the
// paper's Table 4 does. Guest rows are skipped, with the reason, when
// guests cannot boot here. An error means nothing should be written:
// the benchmark was interrupted, or no row could be measured.
func Bench(ctx context.Context, env *Env, o BenchOptions) (*BenchReport, error) {
	paper, err := report.PaperTable4()
	if err != nil {
		return nil, err
	}
	real := &bench.Real{Repo: env.Repo, HostTap: o.HostTap}
	facts := provenance.Facts{Packages: []string{"dpdk"}}
	if needsGuests(o.Rows) {
		if real.Guests, err = env.guests(ctx, o.Client); err != nil {
			real.NoGuests = err.Error()
			log.Warnf("guest rows will be skipped: %v", err)
		} else {
			facts.Accelerator, facts.Reason = string(env.accel.Accel), env.accel.Reason
			facts.Packages = append(facts.Packages, "qemu-system-x86")
		}
	}
	accel := ""
	if facts.Accelerator != "" {
		accel = fmt.Sprintf("%s (%s)", facts.Accelerator, facts.Reason)
	}
	opts := bench.Options{
		Rows: o.Rows, Runs: o.Runs, Workload: o.Workload, Booter: real, Loader: real,
		Progress: o.Progress, Accelerator: accel, Sweep: o.Sweep,
	}
	if o.NoCeiling {
		opts.Loader = nil
	}
	if o.Client.Topology == bench.Both && real.Guests != nil {
		opts.Switch = switched(real)
	}
	out, err := bench.Run(ctx, opts)
	if err != nil {
		return nil, err
	}
	if err := out.NothingMeasured(); err != nil {
		return nil, err
	}
	return &BenchReport{Outcome: out, Paper: paper, Stamp: provenance.Stamp(ctx, env.Repo, facts)}, nil
}

// switched is real with its guests behind the switch.
func switched(real *bench.Real) *bench.Real {
	s, g := *real, *real.Guests
	g.Topology = bench.Switch
	s.Guests = &g
	return &s
}

func needsGuests(rows []*variant.Variant) bool {
	for _, r := range rows {
		if r.InGuest() {
			return true
		}
	}
	return false
}

// guests is the booter of guest rows, on the accelerator of env, reached
// by kvload as client says.
func (e *Env) guests(ctx context.Context, client bench.Client) (*bench.Guests, error) {
	if _, err := qemu.Binary(); err != nil {
		return nil, err
	}
	v, err := e.Accel(ctx)
	if err != nil {
		return nil, err
	}
	topology := client.Topology
	if topology == bench.Both {
		topology = bench.Direct // the switch's pass gets a copy
	}
	return &bench.Guests{Repo: e.Repo, Cache: e.Cache, Accel: v.Accel, ReadyTimeout: boot.DefaultReadyTimeout,
		Topology: topology, ClientNetns: client.Netns}, nil
}
