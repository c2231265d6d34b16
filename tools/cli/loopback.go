package cli

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	log "github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/ukkv/ukkv/tools/bench"
	"github.com/ukkv/ukkv/tools/build"
	"github.com/ukkv/ukkv/tools/kvproto"
	"github.com/ukkv/ukkv/tools/kvserver"
	"github.com/ukkv/ukkv/tools/memcaslap"
	"github.com/ukkv/ukkv/tools/report"
)

type loopbackOptions struct {
	duration    time.Duration
	runs        int
	concurrency int
	threads     int
	capacity    int
}

func init() {
	var o loopbackOptions
	cmd := &cobra.Command{
		Use:   "loopback",
		Short: "Measure requests/s of linux-single, linux-batch, go and memcached on loopback under memcaslap --udp",
		Long: `Loopback runs Debian's memcaslap over UDP against bin/kvstore-linux-single,
bin/kvstore-linux-batch, bin/kvstore-go and Debian's memcached -U, with the same client settings,
each server fresh for every run and the servers taken in turn, and writes the
median, minimum and maximum requests/s to results/loopback/. A run with any error
reply, drop or timeout, or whose server counted other requests than memcaslap
sent, fails the whole measurement.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runLoopback(cmd, o)
		},
	}
	f := cmd.Flags()
	f.DurationVar(&o.duration, "duration", 10*time.Second, "length of each run (whole seconds)")
	f.IntVar(&o.runs, "runs", 3, "runs per server")
	f.IntVar(&o.concurrency, "concurrency", 16, "memcaslap concurrency (simulated clients)")
	f.IntVar(&o.threads, "threads", 1, "memcaslap threads; concurrency must be a multiple")
	f.IntVar(&o.capacity, "capacity", 1<<20, "items each server can hold: every memcaslap set stores a new key")
	root.AddCommand(cmd)
}

func (o loopbackOptions) check() error {
	switch {
	case o.duration < time.Second:
		return fmt.Errorf("--duration %v: at least 1s", o.duration)
	case o.runs < 1:
		return fmt.Errorf("--runs %d: at least 1", o.runs)
	case o.capacity < 1:
		return fmt.Errorf("--capacity %d: at least 1", o.capacity)
	}
	return o.client("127.0.0.1:0").Validate()
}

// client is the memcaslap setting every server gets; a window of 1024
// keys per client keeps the gets on a fixed working set.
func (o loopbackOptions) client(addr string) memcaslap.Options {
	return memcaslap.Options{Server: addr, Duration: o.duration, Threads: o.threads, Concurrency: o.concurrency, Window: 1024}
}

func runLoopback(cmd *cobra.Command, o loopbackOptions) error {
	if err := o.check(); err != nil {
		return err
	}
	repo, err := build.RepoRoot()
	if err != nil {
		return err
	}
	tool, err := lookPath("memcaslap", "apt-get install libmemcached-tools")
	if err != nil {
		return err
	}
	specs, err := loopbackServers(repo, o.capacity)
	if err != nil {
		return err
	}
	tps, err := measureLoopback(cmd.Context(), specs, tool, o)
	if err != nil {
		return err
	}
	t := loopbackTable(specs, tps, o)
	t.Stamp = report.NewStamp("", toolVersions(tool, specs[len(specs)-1].Path))
	return writeResults(cmd, repo, "loopback", t, loopbackChart(specs, tps))
}

func lookPath(name, install string) (string, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s is missing: run `%s`", name, install)
	}
	return path, nil
}

// loopbackServers are the servers compared, memcached last as the
// yardstick. memcached gets the memory for as many items as ours, so
// that neither evicts nor refuses.
func loopbackServers(repo string, capacity int) ([]kvserver.Spec, error) {
	var specs []kvserver.Spec
	for _, name := range []string{"linux-single", "linux-batch", "go"} {
		path := filepath.Join(repo, "bin", "kvstore-"+name)
		if _, err := exec.LookPath(path); err != nil {
			return nil, fmt.Errorf("%s is missing: run `make`", path)
		}
		specs = append(specs, kvserver.FrontEnd(name, path, "--capacity", strconv.Itoa(capacity)))
	}
	mc, err := lookPath("memcached", "apt-get install memcached")
	if err != nil {
		return nil, err
	}
	megabytes := max(64, capacity*1200>>20)
	return append(specs, kvserver.Memcached(mc, "-m", strconv.Itoa(megabytes))), nil
}

// measureLoopback returns the requests/s of every run, by server name.
// Servers take turns, so that a drift of the machine spreads over all.
func measureLoopback(ctx context.Context, specs []kvserver.Spec, tool string, o loopbackOptions) (map[string][]float64, error) {
	tps := map[string][]float64{}
	for run := 1; run <= o.runs; run++ {
		for _, spec := range specs {
			r, err := measureOnce(ctx, spec, tool, o)
			if err != nil {
				return nil, fmt.Errorf("%s, run %d: %w", spec.Name, run, err)
			}
			log.Infof("%s run %d/%d: %.0f requests/s", spec.Name, run, o.runs, r)
			tps[spec.Name] = append(tps[spec.Name], r)
		}
	}
	return tps, nil
}

// measureOnce runs memcaslap against a fresh server and checks that the
// run was clean and the server then exits cleanly.
func measureOnce(ctx context.Context, spec kvserver.Spec, tool string, o loopbackOptions) (float64, error) {
	s, err := kvserver.Start(ctx, spec)
	if err != nil {
		return 0, err
	}
	sum, _, runErr := memcaslap.Run(ctx, tool, o.client(s.Addr))
	if runErr == nil {
		runErr = checkRun(sum, s.Addr, o.concurrency)
	}
	if err := errors.Join(runErr, s.Stop()); err != nil {
		return 0, err
	}
	return sum.TPS, nil
}

// checkRun refuses a run whose figure would not count: memcaslap saw an
// error, or the server's counters disagree with memcaslap's.
func checkRun(sum memcaslap.Summary, addr string, concurrency int) error {
	if err := sum.Check(1); err != nil {
		return err
	}
	c, err := kvproto.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	stats, err := c.Stats()
	if err != nil {
		return fmt.Errorf("server stats after the run: %w", err)
	}
	return sum.CheckServer(stats, concurrency)
}

func loopbackTable(specs []kvserver.Spec, tps map[string][]float64, o loopbackOptions) *report.Table {
	t := &report.Table{
		Title: "Loopback: requests/s under memcaslap --udp",
		Columns: []report.Column{
			{Name: "server"}, {Name: "median", Unit: "requests/s"}, {Name: "min", Unit: "requests/s"},
			{Name: "max", Unit: "requests/s"}, {Name: "vs memcached", Unit: "x"}, {Name: "runs"},
		},
	}
	yardstick := bench.Summarize(tps["memcached"]).Median
	for _, spec := range specs {
		r := bench.Summarize(tps[spec.Name])
		t.AddRow(report.Text(spec.Name), report.Num(r.Median), report.Num(r.Min),
			report.Num(r.Max), report.Num(r.Median/yardstick), report.Int(int64(len(tps[spec.Name]))))
	}
	t.Notes = append(t.Notes, fmt.Sprintf("client: memcaslap %s (default workload: 90%% get, 10%% set of new keys, 64-byte keys, 1024-byte values)",
		strings.Join(o.client("127.0.0.1:PORT").Args(), " ")))
	t.Notes = append(t.Notes, "each run starts a fresh server on a free port of 127.0.0.1 (PORT below); servers take turns run by run")
	for _, spec := range specs {
		t.Notes = append(t.Notes, fmt.Sprintf("%s: %s %s", spec.Name, filepath.Base(spec.Path), strings.Join(spec.Args("PORT"), " ")))
	}
	return t
}

func loopbackChart(specs []kvserver.Spec, tps map[string][]float64) *report.BarChart {
	c := &report.BarChart{Title: "Loopback requests/s (median, min-max)", Unit: "requests/s", Horizontal: true}
	for _, spec := range specs {
		r := bench.Summarize(tps[spec.Name])
		c.Groups = append(c.Groups, report.BarGroup{Label: spec.Name,
			Bars: []report.Bar{{Value: r.Median, Low: r.Min, High: r.Max}}})
	}
	return c
}

// toolVersions says which load generator and yardstick made the figures.
func toolVersions(memcaslapPath, memcachedPath string) map[string]string {
	info := map[string]string{}
	for name, path := range map[string]string{"memcaslap": memcaslapPath, "memcached": memcachedPath} {
		out, err := exec.Command(path, "-V").Output()
		if err != nil {
			log.Warnf("%s -V: %v", name, err)
			continue
		}
		info[name] = strings.TrimSpace(string(out))
	}
	return info
}

// median is the median of xs, for the subcommands of this package.
func median(xs []float64) float64 { return bench.Summarize(xs).Median }
