package dpdk

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/ukkv/ukkv/tools/process"
)

// socketDeadline bounds the wait for a vhost-user socket; a DPDK
// program takes about a second to create it, more on a busy machine.
const socketDeadline = 30 * time.Second

// ErrGone says the program that was to create a socket ended first.
var ErrGone = errors.New("ended before creating the socket")

// AwaitSocket polls until path is a socket. It fails with ctx's error, or
// with ErrGone once gone is closed (a nil gone never is).
func AwaitSocket(ctx context.Context, path string, gone <-chan struct{}) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if fi, err := os.Stat(path); err == nil && fi.Mode()&os.ModeSocket != 0 {
			return nil
		}
		select {
		case <-gone:
			return ErrGone
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// WaitSocket waits until path is a socket, p dies or the deadline passes.
func WaitSocket(ctx context.Context, path string, p *process.Process) error {
	ctx, cancel := context.WithTimeout(ctx, socketDeadline)
	defer cancel()
	err := AwaitSocket(ctx, path, p.Done())
	switch {
	case errors.Is(err, ErrGone):
		return fmt.Errorf("exited before creating %s: %w", path, p.Err())
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("no vhost-user socket %s after %s", path, socketDeadline)
	}
	return err
}
