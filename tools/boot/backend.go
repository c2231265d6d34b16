package boot

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/ukkv/ukkv/tools/dpdk"
	"github.com/ukkv/ukkv/tools/qemu"
)

// Backend is the DPDK side the guest's vhost-user port attaches to: it
// owns the vhost-user server socket at Network.Socket. The default is
// testpmd switching to a TAP device; a load generator brings its own.
type Backend interface {
	// Start returns once the socket exists; Start of the guest then
	// waits until the backend answers on it.
	Start(ctx context.Context, n *Network) error
	// Done is closed if the backend ends on its own; Err says how.
	Done() <-chan struct{}
	Err() error
	// Stop ends the backend and removes what it made.
	Stop() error
}

// Switch is testpmd forwarding between the guest and a TAP device on
// which the host has the .1 address of the run's subnet.
type Switch struct {
	sw      *dpdk.Switch
	log     *qemu.Console
	logFile *os.File
	tap     string
}

// Start starts testpmd and configures the host side of the TAP.
func (s *Switch) Start(ctx context.Context, n *Network) error {
	var err error
	if s.logFile, err = os.Create(filepath.Join(n.Dir, "testpmd.log")); err != nil {
		return fmt.Errorf("testpmd log: %w", err)
	}
	s.log = qemu.NewConsole("", s.logFile)
	s.tap = n.Tap
	s.sw, err = dpdk.Testpmd{Prefix: n.Prefix, Socket: n.Socket, Tap: n.Tap, Output: s.log}.Start(ctx)
	if err != nil {
		return fmt.Errorf("%w\n--- testpmd output:\n%s", err, s.log.Tail())
	}
	if err := ipCmd("addr", "add", n.HostIP.String()+"/24", "dev", n.Tap); err != nil {
		return err
	}
	return ipCmd("link", "set", n.Tap, "up")
}

// Done is closed when testpmd has ended.
func (s *Switch) Done() <-chan struct{} { return s.sw.Done() }

// Err says how testpmd ended, with its last output.
func (s *Switch) Err() error {
	return fmt.Errorf("testpmd ended (%v); its last output:\n%s", s.sw.Err(), s.log.Tail())
}

// Stop ends testpmd and removes the TAP device if it outlived it.
func (s *Switch) Stop() error {
	var errs []string
	if s.sw != nil {
		if err := s.sw.Stop(); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if s.logFile != nil {
		s.logFile.Close()
	}
	if s.tap != "" && linkExists(s.tap) {
		if err := ipCmd("link", "del", s.tap); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("stop testpmd: %s", strings.Join(errs, "; "))
	}
	return nil
}

// External is a vhost-user backend owned by someone else (no switch):
// the run only waits for its socket to appear.
type External struct {
	Wait time.Duration
}

// Start waits until the socket exists.
func (e External) Start(ctx context.Context, n *Network) error {
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

func ipCmd(args ...string) error {
	out, err := exec.Command("ip", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ip %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// linkExists says whether a network interface of that name exists.
func linkExists(name string) bool {
	_, err := os.Stat("/sys/class/net/" + name)
	return err == nil
}
