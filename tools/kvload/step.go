package kvload

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Step is one load of a run in steps (Config.Steps): an open loop at
// Rate requests a second, or Window requests outstanding, measured for
// Duration after Warmup. Requests > 0 ends the measured run after that
// many requests, if Duration has not ended it first.
type Step struct {
	Rate             float64
	Window           int
	Duration, Warmup time.Duration
	Requests         int
}

// line is the step as kvload reads it on its standard input.
func (s Step) line() string {
	load := "window " + strconv.Itoa(s.Window)
	if s.Rate > 0 {
		load = "rate " + formatFloat(s.Rate)
	}
	if s.Requests > 0 {
		load += " requests " + strconv.Itoa(s.Requests)
	}
	return fmt.Sprintf("%s duration %s warmup %s\n", load, seconds(s.Duration), seconds(s.Warmup))
}

func (s Step) validate() error {
	switch {
	case (s.Rate > 0) == (s.Window > 0):
		return errors.New("kvload step: give a rate or a window")
	case s.Duration <= 0 || s.Warmup < 0:
		return fmt.Errorf("kvload step: duration %s, warm-up %s", s.Duration, s.Warmup)
	case s.Requests < 0:
		return fmt.Errorf("kvload step: %d requests", s.Requests)
	}
	return nil
}

// Step runs one load on a kvload started with Config.Steps and returns
// what it measured. The first step also waits for kvload's setup (link,
// ARP, the server's first right reply). Cancelling ctx stops kvload.
func (g *Generator) Step(ctx context.Context, s Step) (*Result, error) {
	if err := s.validate(); err != nil {
		return nil, err
	}
	in := g.proc.Input()
	if !g.cfg.Steps || in == nil {
		return nil, errors.New("kvload step: kvload was not started with Steps")
	}
	if _, err := io.WriteString(in, s.line()); err != nil {
		return nil, fmt.Errorf("kvload step: %w", err)
	}
	select {
	case line := <-g.out.results:
		return parseResult(line)
	case <-g.proc.Done():
		// its last result may have come just before it ended
		select {
		case line := <-g.out.results:
			return parseResult(line)
		default:
		}
		return nil, fmt.Errorf("kvload ended before its step's result (%v):\n%s", g.proc.Err(), g.out.Tail())
	case <-ctx.Done():
		g.Stop()
		return nil, ctx.Err()
	}
}
