// Package boot runs one guest: its DPDK side, QEMU, the console capture,
// the wait for the ready line, and a teardown that leaves nothing behind,
// as one value with Stop.
package boot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	log "github.com/sirupsen/logrus"

	"github.com/ukkv/ukkv/tools/dpdk"
	"github.com/ukkv/ukkv/tools/hostnet"
	"github.com/ukkv/ukkv/tools/process"
	"github.com/ukkv/ukkv/tools/qemu"
)

// Defaults of Options.
const (
	DefaultMemoryMiB    = 256
	DefaultReadyTimeout = 120 * time.Second
	// backendAnswerTimeout bounds the wait for the vhost-user backend to
	// answer once its socket exists.
	backendAnswerTimeout = 30 * time.Second
)

// Options say what to boot and how.
type Options struct {
	Image *Image
	Accel qemu.Accel
	// MemoryMiB is the guest's -m; 0 means DefaultMemoryMiB or what the
	// image needs.
	MemoryMiB int
	// Backend is the DPDK side; nil means testpmd switching to a TAP.
	Backend Backend
	// Subnet is the run's /24 ("10.9.8.0/24"); empty picks a free one.
	Subnet string
	// Server are the arguments of the server in the guest.
	Server []string
	// Console, if set, gets the guest's console as it comes.
	Console io.Writer
	// ReadyTimeout bounds the wait for the ready line.
	ReadyTimeout time.Duration
	// CPUs, if set, are the only CPUs QEMU and its threads run on: a
	// load generator polling on another CPU then never shares its core
	// with the guest. Empty leaves QEMU unpinned.
	CPUs []int
	// Plugin, if set, is a QEMU TCG plugin with its arguments
	// (qemu.Machine.Plugin); QMPSocket, if set, where QEMU serves its
	// machine protocol (qemu.DialQMP).
	Plugin, QMPSocket string
}

// MemoryMiB is the -m a guest of img boots with when asked for asked
// MiB: asked, or for 0 the default or more if the image needs it.
func MemoryMiB(img *Image, asked int) int {
	if asked != 0 {
		return asked
	}
	return max(DefaultMemoryMiB, img.MemoryMiB)
}

// Guest is one running guest.
type Guest struct {
	Net   *hostnet.Network
	Image *Image
	Accel qemu.Accel
	// Started is when QEMU was started, Ready when the ready line came.
	Started, Ready time.Time
	// Port is the UDP port of the ready line.
	Port int

	backend  Backend
	qemu     *process.Process
	console  *qemu.Console
	logFile  *os.File
	stopOnce sync.Once
	stopErr  error
	stopped  chan struct{}
}

// Start boots a guest and returns once it printed its ready line. On any
// failure, and when ctx ends, everything started is torn down.
func Start(ctx context.Context, opts Options) (*Guest, error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	n, err := hostnet.NewNetwork(opts.Subnet)
	if err != nil {
		return nil, err
	}
	g := &Guest{Net: n, Image: opts.Image, Accel: opts.Accel, backend: opts.Backend, stopped: make(chan struct{})}
	log.Debugf("%s: run folder %s, DPDK prefix %s, TAP %s, guest %s", opts.Image.Name, n.Dir, n.Prefix, n.Tap, n.GuestIP)
	if err := g.start(ctx, opts); err != nil {
		if stopErr := g.Stop(); stopErr != nil {
			log.Warn(stopErr)
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("boot of %s interrupted, everything it started is stopped and removed: %w", opts.Image.Name, ctx.Err())
		}
		return nil, fmt.Errorf("boot %s: %w", opts.Image.Name, err)
	}
	go func() {
		select {
		case <-ctx.Done():
			_ = g.Stop() // Wait reports; the caller's Stop returns the error
		case <-g.stopped:
		}
	}()
	return g, nil
}

func (o *Options) defaults() error {
	if o.Image == nil {
		return errors.New("boot: no image")
	}
	if o.Accel == "" {
		o.Accel = qemu.TCG
	}
	o.MemoryMiB = MemoryMiB(o.Image, o.MemoryMiB)
	if o.Backend == nil {
		o.Backend = &Switch{}
	}
	if o.ReadyTimeout == 0 {
		o.ReadyTimeout = DefaultReadyTimeout
	}
	// Fail before anything starts when QEMU is missing.
	_, err := qemu.Binary()
	return err
}

func (g *Guest) start(ctx context.Context, opts Options) error {
	if err := g.backend.Start(ctx, g.Net); err != nil {
		return err
	}
	if err := dpdk.AwaitVhostBackend(ctx, g.Net.Socket, backendAnswerTimeout); err != nil {
		return err
	}
	var err error
	if g.logFile, err = os.Create(filepath.Join(g.Net.Dir, "console.log")); err != nil {
		return fmt.Errorf("console log: %w", err)
	}
	sinks := []io.Writer{g.logFile}
	if opts.Console != nil {
		sinks = append(sinks, opts.Console)
	}
	g.console = qemu.NewConsole(opts.Image.ReadyLine, sinks...)
	m := qemu.Machine{
		Accel: opts.Accel, MemoryMiB: opts.MemoryMiB,
		Kernel: opts.Image.Kernel, Initrd: opts.Image.Initrd,
		Append:      opts.Image.Append(g.Net, opts.Server),
		VhostSocket: g.Net.Socket, MAC: g.Net.MAC, LegacyIRQ: opts.Image.LegacyIRQ,
		Plugin: opts.Plugin, QMPSocket: opts.QMPSocket,
	}
	g.Started = time.Now()
	if g.qemu, err = qemu.Start(m, opts.CPUs, g.console); err != nil {
		return err
	}
	return g.awaitReady(ctx, opts.ReadyTimeout)
}

// awaitReady waits for the ready line, a dead QEMU or backend, the
// timeout or the end of ctx.
func (g *Guest) awaitReady(ctx context.Context, timeout time.Duration) error {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-g.console.Ready():
		g.Ready = g.console.ReadyAt()
		g.Port = readyPort(g.console.ReadyLine())
		return nil
	case <-g.qemu.Done():
		return fmt.Errorf("QEMU ended before the guest was ready (%v); last console lines:\n%s", g.qemu.Err(), g.console.Tail())
	case <-g.backend.Done():
		return g.backend.Err()
	case <-timer.C:
		return fmt.Errorf("guest printed no %q within %s; last console lines:\n%s", g.Image.ReadyLine, timeout, g.console.Tail())
	case <-ctx.Done():
		return ctx.Err()
	}
}

// readyPort takes the port of "ready udp ADDR:PORT", 0 if none.
func readyPort(line string) int {
	f := strings.Fields(line)
	if len(f) == 0 {
		return 0
	}
	_, port, err := net.SplitHostPort(f[len(f)-1])
	if err != nil {
		return 0
	}
	p, _ := strconv.Atoi(port)
	return p
}

// Addr is where the host reaches the guest's server.
func (g *Guest) Addr() string {
	return net.JoinHostPort(g.Net.GuestIP.String(), strconv.Itoa(g.Port))
}

// BootTime is the time from QEMU's start to the ready line.
func (g *Guest) BootTime() time.Duration { return g.Ready.Sub(g.Started) }

// ConsoleTail is the last lines of the console.
func (g *Guest) ConsoleTail() string { return g.console.Tail() }

// Wait blocks until ctx ends (nil) or QEMU or the backend dies (an error
// saying which and why); either way the guest is then torn down.
func (g *Guest) Wait(ctx context.Context) error {
	var err error
	select {
	case <-ctx.Done():
	case <-g.qemu.Done():
		err = fmt.Errorf("QEMU ended (%v); last console lines:\n%s", g.qemu.Err(), g.console.Tail())
	case <-g.backend.Done():
		err = g.backend.Err()
	}
	if ctx.Err() != nil {
		// The teardown on cancel ends QEMU too: that is no crash.
		err = nil
	}
	if stopErr := g.Stop(); stopErr != nil && err == nil {
		err = stopErr
	}
	return err
}

// Stop ends QEMU, then the backend, and removes the run's folder with
// its sockets and logs, and its TAP device. It is safe to call more than once.
func (g *Guest) Stop() error {
	g.stopOnce.Do(func() {
		defer close(g.stopped)
		var errs []string
		if g.qemu != nil {
			g.qemu.Stop(3 * time.Second)
		}
		if err := g.backend.Stop(); err != nil {
			errs = append(errs, err.Error())
		}
		if g.logFile != nil {
			g.logFile.Close()
		}
		if err := g.Net.Remove(); err != nil {
			errs = append(errs, err.Error())
		}
		if len(errs) > 0 {
			g.stopErr = fmt.Errorf("teardown of %s: %s", g.Image.Name, strings.Join(errs, "; "))
		}
	})
	return g.stopErr
}
