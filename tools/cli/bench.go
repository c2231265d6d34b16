package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	log "github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/ukkv/ukkv/tools/bench"
	"github.com/ukkv/ukkv/tools/experiment"
	"github.com/ukkv/ukkv/tools/variant"
)

// benchResultsDir is where `ukkv bench` reports, relative to the repository.
const benchResultsDir = "results/bench"

func init() {
	var buildProfile string
	var (
		runs        int
		results     string
		singlePoint bool
		closedSweep bool
		lossPercent float64
		keepPercent float64
		p99Floor    time.Duration
		client      bench.Client
		hostTap     bool
		against     string
	)
	w := bench.DefaultWorkload()
	sw := bench.DefaultSweep()
	cmd := &cobra.Command{
		Use:   "bench [ROW...]",
		Short: "Measure requests/s of every row of the paper's Table 4 with the DPDK load generator",
		Long: `Bench measures the KV server's throughput the way the paper's Table 4 does,
one row after the other it starts the row (boots its guest with bin/kvload as
the vhost-user backend, or starts the host-native front end and reaches it
through a TAP device) and finds its peak sustainable throughput by a load
sweep; then it measures --runs runs at each row's peak round-robin (run 1 of
every row, then run 2 of every row, ...), so that every row's median samples
the same stretch of time on a machine whose speed drifts, takes the medians
and stops the rows.

The sweep offers an open loop rising from --sweep-start req/s by
--sweep-factor a step in one kvload session (one guest boot) until a step
breaks a bound, then --sweep-refine steps split the gap around the knee;
then a closed loop does the same with its window, from --window (the
single-point mode's, 16) or from 1 when the client could not send the open
loop's rate (--sweep-closed sweeps only windows, from 1). A step beyond
bounds is measured again (--sweep-retries) and the last is judged: a busy
2-core machine's scheduler stalls any process for milliseconds at any load. A
sustainable step loses or answers wrong at most --loss-bound percent of its
requests, in an open loop answers at least --keep-up percent of the rate (of
the requests sent, if fewer) and
keeps its p50 within --p50-bound times the row's light-load p50 (a growing
queue lifts the median, a stall does not; a closed loop's window caps its
queue), and keeps its p99 within --p99-bound times that p50, twice the
light-load p99 or --p99-floor, whichever is highest.
The peak is the step within bounds with the most right replies; each run at
its load is a fresh session. Table 4 sets each peak beside the throughput of
the --window step of the same session and flags a row whose peak is below.
--single-point skips the sweep and measures the runs at --window or --rate.

The client's own ceiling is measured at the start and at the end, against a
loopback that answers at no cost: how far the machine moved meanwhile. Rows whose prerequisites are missing are skipped with the reason.
Without ROW, every row runs:
  ` + strings.Join(variant.Names(variant.All()), ", ") + `
Writes results/bench/table4.{md,csv,json} (laid out like the paper's table,
with its figures and ratios beside ours), table4-throughput.svg,
table4-latency.svg, runs.{md,csv,json} (every run) and, after a sweep,
sweep.{md,csv,json} (every step) with sweep-replies.svg (replies against
offered load) and sweep-latency.svg (p99 against replies). When the report
folder (or --against) holds an earlier benchmark's table4.json, it is read
before being replaced and repeat.{md,csv,json} sets each row beside it:
ratio, rows more than 10% off, the machine's own ratio (client ceiling
against client ceiling) and whether the rows kept their order;
repeat-ratios.{md,csv,json} sets the ratios between rows that the targets
use beside the earlier ones.
Needs root.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			rows, err := selectInProfile(args, variant.All(), buildProfile)
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("rate") && !cmd.Flags().Changed("window") {
				w.Window = 0 // an open loop has no window
			}
			if runs < 1 {
				return fmt.Errorf("--runs %d: want at least 1", runs)
			}
			if err := w.Validate(); err != nil {
				return err
			}
			if client.Topology != bench.Direct && client.Topology != bench.Switch && client.Topology != bench.Both {
				return fmt.Errorf("--topology %q: want %s, %s or %s", client.Topology, bench.Direct, bench.Switch, bench.Both)
			}
			if client.Topology == bench.Both && client.Netns {
				return fmt.Errorf("--client-netns always puts the switch in: give --topology %s", bench.Switch)
			}
			if client.Port != "" {
				return fmt.Errorf("--client-port %s: this command drives its own kvload; with a second machine, run testpmd and kvload by hand as README's \"Two machines\" says", client.Port)
			}
			if singlePoint {
				return runBench(cmd.Context(), rows, runs, w, nil, client, hostTap, results, against)
			}
			if cmd.Flags().Changed("rate") {
				return fmt.Errorf("--rate sets the load of --single-point; a sweep finds each row's own")
			}
			sw.Closed, sw.Loss, sw.KeepUp, sw.Window = closedSweep, lossPercent/100, keepPercent/100, w.Window
			sw.P99Floor = float64(p99Floor.Microseconds())
			if closedSweep && !cmd.Flags().Changed("sweep-start") {
				sw.Start = 1
			}
			if err := sw.Validate(); err != nil {
				return err
			}
			return runBench(cmd.Context(), rows, runs, w, &sw, client, hostTap, results, against)
		},
	}
	f := cmd.Flags()
	f.IntVar(&runs, "runs", 3, "measured runs of each row")
	durationFlag(f, &w.Duration, "duration", w.Duration, "length of each measured run")
	durationFlag(f, &w.Warmup, "warmup", w.Warmup, "unmeasured load before each run")
	f.Float64Var(&w.GetRatio, "get-ratio", w.GetRatio, "share of GET requests, 0..1 (the rest are SETs)")
	f.IntVar(&w.Keys, "keys", w.Keys, "number of keys")
	f.IntVar(&w.ValueSize, "value-size", w.ValueSize, "bytes of each value")
	f.Float64Var(&w.Zipf, "zipf", w.Zipf, "Zipf exponent of key popularity (0: uniform)")
	f.IntVar(&w.Window, "window", w.Window, "closed loop: requests kept outstanding (--single-point), or the window a sweep's closed loop rises from")
	f.Float64Var(&w.Rate, "rate", w.Rate, "open loop: requests a second (instead of --window)")
	f.BoolVar(&singlePoint, "single-point", false, "no sweep: measure each row at --window or --rate")
	f.BoolVar(&closedSweep, "sweep-closed", false, "sweep windows of a closed loop (from 1) instead of open-loop rates")
	f.Float64Var(&sw.Start, "sweep-start", sw.Start, "first offered load of a sweep, req/s (a window with --sweep-closed)")
	f.Float64Var(&sw.Factor, "sweep-factor", sw.Factor, "rise of the load from one sweep step to the next")
	f.IntVar(&sw.MaxSteps, "sweep-steps", sw.MaxSteps, "most rising steps of a sweep")
	f.IntVar(&sw.Refine, "sweep-refine", sw.Refine, "steps that split the gap around the knee after the rise")
	durationFlag(f, &sw.Duration, "step-duration", sw.Duration, "measured length of each sweep step")
	durationFlag(f, &sw.Warmup, "step-warmup", sw.Warmup, "unmeasured load before each sweep step")
	f.IntVar(&sw.Retries, "sweep-retries", sw.Retries, "measurements again of a sweep step beyond bounds, the last judged")
	f.Float64Var(&lossPercent, "loss-bound", 100*sw.Loss, "percent of requests a sustainable step may lose or get wrong")
	f.Float64Var(&keepPercent, "keep-up", 100*sw.KeepUp, "percent of an open loop's rate (of the requests sent, if fewer) a sustainable step answers right")
	f.Float64Var(&sw.P50Factor, "p50-bound", sw.P50Factor, "p50 bound of a sustainable open-loop step, times the row's light-load p50")
	f.Float64Var(&sw.P99Factor, "p99-bound", sw.P99Factor, "p99 bound of a sustainable step, times the row's light-load p50 (or twice its light-load p99, or --p99-floor, if higher)")
	durationFlag(f, &p99Floor, "p99-floor", time.Duration(sw.P99Floor)*time.Microsecond, "least p99 bound of a sustainable step, above the machine's scheduling stalls")
	f.StringVar(&client.Topology, "topology", bench.Direct, "guest rows: "+bench.Direct+" (kvload is the guest's vhost-user backend), "+bench.Switch+" (testpmd forwards between the guest and kvload, as in the paper) or "+bench.Both+" (each guest row one way, then the other, and Table 4 gives the switch's cost)")
	f.BoolVar(&client.Netns, "client-netns", false, "guest rows: run kvload as a second host, in a network namespace of its own on af_packet over a veth pair, through the switch (host rows always are, unless --host-tap)")
	f.BoolVar(&hostTap, "host-tap", false, "host rows: reach the server over a TAP device instead of from a namespace over a veth pair")
	f.StringVar(&client.Port, "client-port", "", "PCI address of a DPDK port toward a second machine (see README: not driven by this command)")
	f.StringVar(&results, "results", "", "report folder (default: "+benchResultsDir+" in the repository)")
	f.StringVar(&against, "against", "", "folder of an earlier benchmark's table4.json to hold this one against (default: the report folder's, read before it is replaced)")
	addProfileFlag(cmd, &buildProfile)
	root.AddCommand(cmd)
}

// runBench measures the rows and writes the reports; rows that failed
// make the command fail after the reports are written.
func runBench(ctx context.Context, rows []*variant.Variant, runs int, w bench.Workload, sw *bench.Sweep, client bench.Client, hostTap bool, results, against string) error {
	env, err := experiment.NewEnv()
	if err != nil {
		return err
	}
	if results == "" {
		results = filepath.Join(env.Repo, benchResultsDir)
	}
	prev, err := previousBench(results, against)
	if err != nil {
		return err
	}
	r, err := experiment.Bench(ctx, env, experiment.BenchOptions{
		Rows: rows, Runs: runs, Workload: w, Sweep: sw, Client: client, HostTap: hostTap,
		Progress: bench.NewProgress(os.Stderr, isTerminal(os.Stderr)),
	})
	if err != nil {
		if ctx.Err() == nil {
			return fmt.Errorf("%w\nnothing written: the reports in %s are left as they were", err, results)
		}
		return err // interrupted: nothing is written, so no report shows a partial bench
	}
	r.Outcome.Previous = prev
	paths, err := bench.Write(results, r.Outcome, r.Paper, r.Stamp)
	if err != nil {
		return err
	}
	log.Infof("wrote %s", strings.Join(relativeTo(env.Repo, paths), ", "))
	return r.Outcome.Failed()
}

// previousBench is the earlier benchmark to hold this one against: the
// one in against, which must hold one, or else the one in results, if any.
func previousBench(results, against string) (*bench.Previous, error) {
	if against == "" {
		prev, err := bench.ReadPrevious(results)
		if prev != nil {
			// The report folder's own path would name this machine.
			prev.Path = "the earlier " + bench.SummaryBase + ".json of this folder"
		}
		return prev, err
	}
	prev, err := bench.ReadPrevious(against)
	if err == nil && prev == nil {
		err = fmt.Errorf("--against %s: no %s.json there: give the report folder of an earlier `ukkv bench`", against, bench.SummaryBase)
	}
	return prev, err
}

// isTerminal says whether f is a character device such as a terminal,
// where the progress display can rewrite its live line.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
