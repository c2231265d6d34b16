package boot

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ukkv/ukkv/tools/dpdk"
	"github.com/ukkv/ukkv/tools/hostnet"
	"github.com/ukkv/ukkv/tools/qemu"
)

// Backend is the DPDK side the guest's vhost-user port attaches to: it
// owns the vhost-user server socket at Network.Socket. The default is
// testpmd switching to a TAP device; a load generator brings its own.
type Backend interface {
	// Start returns once the socket exists; Start of the guest then
	// waits until the backend answers on it.
	Start(ctx context.Context, n *hostnet.Network) error
	// Done is closed if the backend ends on its own; Err says how.
	Done() <-chan struct{}
	Err() error
	// Stop ends the backend and removes what it made.
	Stop() error
}

// Switch is testpmd forwarding between the guest and a TAP device on
// which the host has the .1 address of the run's subnet.
type Switch struct {
	sw      *dpdk.Running
	log     *qemu.Console
	logFile *os.File
}

// Start starts testpmd and configures the host side of the TAP.
func (s *Switch) Start(ctx context.Context, n *hostnet.Network) error {
	var err error
	if s.logFile, err = os.Create(filepath.Join(n.Dir, "testpmd.log")); err != nil {
		return fmt.Errorf("testpmd log: %w", err)
	}
	s.log = qemu.NewConsole("", s.logFile)
	s.sw, err = dpdk.Switch(n.Prefix, n.Socket, n.Tap, s.log).Start(ctx)
	if err != nil {
		return fmt.Errorf("%w\n--- testpmd output:\n%s", err, s.log.Tail())
	}
	return hostnet.ConfigureTap(ctx, n.Tap, hostnet.CIDR(n.HostIP))
}

// Done is closed when testpmd has ended.
func (s *Switch) Done() <-chan struct{} { return s.sw.Done() }

// Err says how testpmd ended, with its last output.
func (s *Switch) Err() error {
	return fmt.Errorf("testpmd ended (%v); its last output:\n%s", s.sw.Err(), s.log.Tail())
}

// Stop ends testpmd and removes its files; the TAP device, should it
// outlive testpmd, goes with the run's network.
func (s *Switch) Stop() error {
	if s.logFile != nil {
		defer s.logFile.Close()
	}
	if s.sw == nil {
		return nil
	}
	if err := s.sw.Stop(); err != nil {
		return fmt.Errorf("stop testpmd: %w", err)
	}
	return nil
}

// External is a vhost-user backend owned by someone else (no switch):
// the run only waits for its socket to appear.
type External struct {
	Wait time.Duration
}

// Start waits until the socket exists.
func (e External) Start(ctx context.Context, n *hostnet.Network) error {
	ctx, cancel := context.WithTimeout(ctx, e.Wait)
	defer cancel()
	if err := dpdk.AwaitSocket(ctx, n.Socket, nil); err != nil {
		return fmt.Errorf("no vhost-user backend created %s: %w", n.Socket, err)
	}
	return nil
}

// Done never closes: the owner watches its own backend.
func (External) Done() <-chan struct{} { return nil }

// Err is never called, as Done never closes.
func (External) Err() error { return nil }

// Stop leaves the backend to its owner.
func (External) Stop() error { return nil }
