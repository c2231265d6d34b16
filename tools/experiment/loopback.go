package experiment

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

	"github.com/ukkv/ukkv/tools/bench"
	"github.com/ukkv/ukkv/tools/kvproto"
	"github.com/ukkv/ukkv/tools/kvserver"
	"github.com/ukkv/ukkv/tools/memcaslap"
	"github.com/ukkv/ukkv/tools/provenance"
	"github.com/ukkv/ukkv/tools/report"
	"github.com/ukkv/ukkv/tools/variant"
)

// LoopbackOptions are the client settings every server of the loopback
// measurement gets.
type LoopbackOptions struct {
	Duration    time.Duration
	Runs        int
	Concurrency int
	Threads     int
	// Capacity is the items each server can hold: every memcaslap set
	// stores a new key.
	Capacity int
}

// Check refuses options memcaslap or the servers would refuse later.
func (o LoopbackOptions) Check() error {
	switch {
	case o.Duration < time.Second:
		return fmt.Errorf("--duration %v: at least 1s", o.Duration)
	case o.Runs < 1:
		return fmt.Errorf("--runs %d: at least 1", o.Runs)
	case o.Capacity < 1:
		return fmt.Errorf("--capacity %d: at least 1", o.Capacity)
	}
	return o.client("127.0.0.1:0").Validate()
}

// client is the memcaslap setting every server gets; a window of 1024
// keys per client keeps the gets on a fixed working set.
func (o LoopbackOptions) client(addr string) memcaslap.Options {
	return memcaslap.Options{Server: addr, Duration: o.Duration, Threads: o.Threads, Concurrency: o.Concurrency, Window: 1024}
}

// Loopback runs memcaslap --udp against our Linux front ends and
// Debian's memcached on 127.0.0.1, a fresh server for every run, the
// servers taking turns, and reports requests/s. A run with an error
// reply, a drop or a timeout, or a server whose counters disagree with
// memcaslap's, fails the whole measurement.
func Loopback(ctx context.Context, env *Env, o LoopbackOptions) (*Report, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	tool, err := exec.LookPath("memcaslap")
	if err != nil {
		return nil, fmt.Errorf("memcaslap is missing: install the Debian package libmemcached-tools")
	}
	specs, err := loopbackServers(env.Repo, o.Capacity)
	if err != nil {
		return nil, err
	}
	tps, err := measureLoopback(ctx, specs, tool, o)
	if err != nil {
		return nil, err
	}
	t := loopbackTable(specs, tps, o)
	t.Stamp = provenance.Stamp(ctx, env.Repo, provenance.Facts{Packages: []string{"libmemcached-tools", "memcached"}})
	return &Report{Name: "loopback", Table: t, Charts: []*report.BarChart{loopbackChart(specs, tps)}}, nil
}

// memcachedPath is the program of the registry's memcached row.
func memcachedPath(repo string) (string, error) {
	v, err := variant.Lookup("memcached")
	if err != nil {
		return "", err
	}
	return v.ProgramPath(repo)
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
	mc, err := memcachedPath(repo)
	if err != nil {
		return nil, err
	}
	megabytes := max(64, capacity*1200>>20)
	return append(specs, kvserver.Memcached(mc, "-m", strconv.Itoa(megabytes))), nil
}

// measureLoopback returns the requests/s of every run, by server name.
// Servers take turns, so that a drift of the machine spreads over all.
func measureLoopback(ctx context.Context, specs []kvserver.Spec, tool string, o LoopbackOptions) (map[string][]float64, error) {
	tps := map[string][]float64{}
	for run := 1; run <= o.Runs; run++ {
		for _, spec := range specs {
			r, err := measureOnce(ctx, spec, tool, o)
			if err != nil {
				return nil, fmt.Errorf("%s, run %d: %w", spec.Name, run, err)
			}
			log.Infof("%s run %d/%d: %.0f requests/s", spec.Name, run, o.Runs, r)
			tps[spec.Name] = append(tps[spec.Name], r)
		}
	}
	return tps, nil
}

// measureOnce runs memcaslap against a fresh server and checks that the
// run was clean and the server then exits cleanly.
func measureOnce(ctx context.Context, spec kvserver.Spec, tool string, o LoopbackOptions) (float64, error) {
	s, err := kvserver.Start(ctx, spec)
	if err != nil {
		return 0, err
	}
	sum, _, runErr := memcaslap.Run(ctx, tool, o.client(s.Addr))
	if runErr == nil {
		runErr = checkRun(sum, s.Addr, o.Concurrency)
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

func loopbackTable(specs []kvserver.Spec, tps map[string][]float64, o LoopbackOptions) *report.Table {
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
