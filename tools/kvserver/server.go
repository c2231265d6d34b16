package kvserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"time"

	log "github.com/sirupsen/logrus"

	"github.com/ukkv/ukkv/tools/kvproto"
	"github.com/ukkv/ukkv/tools/process"
)

// ReadyTimeout bounds the wait for a server to serve; generous because a
// loaded 2-core machine may take seconds to schedule it.
const ReadyTimeout = 30 * time.Second

// stopGrace is how long a server gets to exit after SIGTERM.
const stopGrace = 10 * time.Second

// Server is one running server.
type Server struct {
	Spec Spec
	Addr string // "127.0.0.1:PORT"
	Args []string
	proc *process.Process
	out  *output
}

// Start starts spec on a free loopback UDP port and returns once it
// serves. A server that loses the race for its port is started again on
// another one.
func Start(ctx context.Context, spec Spec) (*Server, error) {
	var err error
	for try := 0; try < 3; try++ {
		var s *Server
		if s, err = startOnce(ctx, spec); err == nil {
			return s, nil
		}
		log.Debugf("%s: %v", spec.Name, err)
	}
	return nil, err
}

func startOnce(ctx context.Context, spec Spec) (*Server, error) {
	port, err := freeUDPPort()
	if err != nil {
		return nil, err
	}
	s := &Server{Spec: spec, Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), Args: spec.Args(strconv.Itoa(port)), out: newOutput()}
	s.proc, err = process.Start(spec.Path, s.Args, process.Options{Output: s.out})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", spec.Name, err)
	}
	if err := s.awaitReady(ctx); err != nil {
		s.proc.Stop(stopGrace)
		return nil, fmt.Errorf("%s %v: %w\n%s", spec.Path, s.Args, err, s.out.String())
	}
	log.Debugf("%s serves on %s", spec.Name, s.Addr)
	return s, nil
}

func (s *Server) awaitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, ReadyTimeout)
	defer cancel()
	if s.Spec.ReadyLine {
		return s.awaitReadyLine(ctx)
	}
	return s.awaitVersion(ctx)
}

func (s *Server) awaitReadyLine(ctx context.Context) error {
	select {
	case addr := <-s.out.ready:
		if !servesAddr(addr, s.Addr) {
			return fmt.Errorf("ready on %s, asked for %s", addr, s.Addr)
		}
		return nil
	case <-s.proc.Done():
		return fmt.Errorf("ended before its ready line: %w", s.proc.Err())
	case <-ctx.Done():
		return fmt.Errorf("no ready line: %w", ctx.Err())
	}
}

// awaitVersion probes until the server answers, for servers that print
// no ready line.
func (s *Server) awaitVersion(ctx context.Context) error {
	c, err := kvproto.Dial(s.Addr)
	if err != nil {
		return err
	}
	defer c.Close()
	c.Timeout = 100 * time.Millisecond
	c.Retries = 0
	for {
		if _, err := c.Version(); err == nil {
			return nil
		}
		select {
		case <-s.proc.Done():
			return fmt.Errorf("ended before serving: %w", s.proc.Err())
		case <-ctx.Done():
			return fmt.Errorf("no answer to version: %w", ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Stop sends SIGTERM, waits for the exit (killing after a grace period)
// and reports an exit other than status 0.
func (s *Server) Stop() error {
	s.proc.Stop(stopGrace)
	// process reports a clean exit as a non-nil error too; only an
	// ExitError means a non-zero status or death by a signal.
	var exit *exec.ExitError
	if err := s.proc.Err(); errors.As(err, &exit) {
		return fmt.Errorf("%s: %w\n%s", s.Spec.Name, err, s.out.String())
	}
	return nil
}

// Output is everything the server printed so far.
func (s *Server) Output() string {
	return s.out.String()
}

// servesAddr says whether a server ready on addr serves want: the same
// address, or the same port on all addresses (a server bound to 0.0.0.0).
func servesAddr(addr, want string) bool {
	if addr == want {
		return true
	}
	_, wantPort, _ := net.SplitHostPort(want)
	host, port, err := net.SplitHostPort(addr)
	return err == nil && port == wantPort && net.ParseIP(host).IsUnspecified()
}

func freeUDPPort() (int, error) {
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return 0, fmt.Errorf("find a free UDP port: %w", err)
	}
	defer conn.Close()
	return conn.LocalAddr().(*net.UDPAddr).Port, nil
}
