package boot

import (
	"context"
	"errors"
	"fmt"
	"time"

	log "github.com/sirupsen/logrus"

	"github.com/ukkv/ukkv/tools/kvproto"
)

// Boots boots a guest n times, one after the other, and returns each
// time from QEMU's start to the ready line.
func Boots(ctx context.Context, n int, opts Options) ([]time.Duration, error) {
	times := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		g, err := Start(ctx, opts)
		if err != nil {
			return nil, err
		}
		times = append(times, g.BootTime())
		if err := g.Stop(); err != nil {
			return nil, err
		}
		log.Debugf("%s boot %d/%d: %s", opts.Image.Name, i+1, n, g.BootTime().Round(time.Millisecond))
	}
	return times, nil
}

// Serves says whether the guest's server answers a version request.
func Serves(g *Guest) error {
	c, err := kvproto.Dial(g.Addr())
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.Version(); err != nil {
		return fmt.Errorf("%s at %s does not serve: %w", g.Image.Name, g.Addr(), err)
	}
	return nil
}

// bootsAndServes boots with memMiB of memory and checks the server.
func bootsAndServes(ctx context.Context, opts Options, memMiB int) error {
	opts.MemoryMiB = memMiB
	g, err := Start(ctx, opts)
	if err != nil {
		return err
	}
	serveErr := Serves(g)
	if err := g.Stop(); err != nil {
		return err
	}
	return serveErr
}

// SmallestMemory finds by bisection the smallest -m, in MiB and within
// [lo, hi], with which the guest boots and serves. hi must work; a guest
// given too little memory may hang rather than fail, which the ready
// timeout of opts bounds.
func SmallestMemory(ctx context.Context, opts Options, lo, hi int) (int, error) {
	return bisect(lo, hi, func(mib int) error {
		err := bootsAndServes(ctx, opts, mib)
		log.Debugf("%s with %d MiB: %v", opts.Image.Name, mib, err)
		if ctx.Err() != nil {
			return fmt.Errorf("memory search of %s: %w", opts.Image.Name, errStop{ctx.Err()})
		}
		return err
	})
}

// errStop ends a bisection: the failure is not the guest's.
type errStop struct{ error }

func (e errStop) Unwrap() error { return e.error }

// bisect returns the smallest n in [lo, hi] for which works succeeds,
// assuming that every n above it does too. hi must work.
func bisect(lo, hi int, works func(int) error) (int, error) {
	if err := works(hi); err != nil {
		return 0, fmt.Errorf("fails even with %d: %w", hi, err)
	}
	// Invariant: hi works; everything below lo failed.
	for lo < hi {
		mid := (lo + hi) / 2
		err := works(mid)
		var stop errStop
		if errors.As(err, &stop) {
			return 0, err
		}
		if err == nil {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return hi, nil
}
