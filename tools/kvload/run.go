package kvload

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	log "github.com/sirupsen/logrus"

	"github.com/ukkv/ukkv/tools/dpdk"
	"github.com/ukkv/ukkv/tools/process"
)

// stopGrace is how long kvload gets after SIGTERM to print what it
// measured so far and to close its port.
const stopGrace = 5 * time.Second

// Generator is one running kvload.
type Generator struct {
	cfg  Config
	proc *process.Process
	out  *output
}

// Start starts kvload. progress, if not nil, gets its line of each
// second. Use Start and Wait when a peer must connect after kvload is
// up (kvload as a guest's vhost-user backend); otherwise Measure.
func Start(cfg Config, progress func(string)) (*Generator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(cfg.Binary); err != nil {
		return nil, fmt.Errorf("kvload: %w (run `make`)", err)
	}
	g := &Generator{cfg: cfg, out: &output{progress: progress}}
	if cfg.Steps {
		// one result a step, taken by Step before the next is asked for
		g.out.results = make(chan []byte, 1)
	}
	bin, args := cfg.Binary, cfg.Args()
	if cfg.Netns != "" {
		// ip execs kvload once inside: its pid and group stay kvload's
		bin, args = "ip", append([]string{"netns", "exec", cfg.Netns, cfg.Binary}, args...)
	}
	log.Debugf("%s %v", bin, args)
	p, err := process.Start(bin, args, process.Options{Output: g.out, KeepStdin: cfg.Steps})
	if err != nil {
		return nil, err
	}
	g.proc = p
	return g, nil
}

// Done is closed when kvload has ended.
func (g *Generator) Done() <-chan struct{} { return g.proc.Done() }

// Wait waits for kvload to end and returns its result. Cancelling ctx
// stops it; what it measured until then is returned with ctx's error.
func (g *Generator) Wait(ctx context.Context) (*Result, error) {
	var stopped error
	select {
	case <-g.proc.Done():
	case <-ctx.Done():
		g.proc.Stop(stopGrace)
		stopped = ctx.Err()
	}
	g.removeRunFiles()
	line := g.out.Result()
	if line == nil {
		return nil, errors.Join(stopped, fmt.Errorf("kvload gave no result (%v):\n%s", g.proc.Err(), g.out.Tail()))
	}
	r, err := parseResult(line)
	if err != nil {
		return nil, errors.Join(stopped, err)
	}
	return r, stopped
}

// Stop ends kvload at once if it still runs and removes its files.
func (g *Generator) Stop() {
	g.proc.Stop(stopGrace)
	g.removeRunFiles()
}

// removeRunFiles removes the files DPDK leaves for the prefix.
func (g *Generator) removeRunFiles() {
	if err := dpdk.RemoveRunFiles(g.cfg.Prefix); err != nil {
		log.Warnf("kvload: %v", err)
	}
}

// Measure runs kvload to its end and returns its result.
func Measure(ctx context.Context, cfg Config, progress func(string)) (*Result, error) {
	g, err := Start(cfg, progress)
	if err != nil {
		return nil, err
	}
	return g.Wait(ctx)
}
