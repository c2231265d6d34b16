package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"

	"github.com/ukkv/ukkv/tools/dpdk"
	"github.com/ukkv/ukkv/tools/hostnet"
	"github.com/ukkv/ukkv/tools/kvload"
	"github.com/ukkv/ukkv/tools/kvserver"
	"github.com/ukkv/ukkv/tools/process"
	"github.com/ukkv/ukkv/tools/variant"
)

// metal is a host-native row: our Linux front end as a host process,
// reached by kvload through a TAP device of its own for each run, or
// from a network namespace of its own over a veth pair.
type metal struct {
	kvloadBin string
	server    *kvserver.Server
	port      int
	loadCPU   int
	cpus      []int
	netns     bool
}

// startMetal starts the row's front end on every address of the host,
// so that it serves each run's TAP device whatever its address.
func startMetal(ctx context.Context, repo, kvloadBin string, row *variant.Variant, w Workload, netns bool) (Target, error) {
	prog, err := row.ProgramPath(repo)
	if err != nil {
		return nil, Skipf("%v", err)
	}
	// the server keeps off kvload's polling CPU, as a guest does
	loadCPU := kvload.Defaults().CPU
	cpus := dpdk.Beside(loadCPU)
	bin, _ := process.Pinned(cpus, prog, nil)
	spec := kvserver.Spec{
		Name: row.Name, Path: bin,
		Args: func(port string) []string {
			_, args := process.Pinned(cpus, prog, row.Argv("", w.ServerArgs(port)))
			return args
		},
		ReadyLine: true,
	}
	s, err := kvserver.Start(ctx, spec)
	if err != nil {
		return nil, err
	}
	port, err := portOf(s.Addr)
	if err != nil {
		return nil, errors.Join(err, s.Stop())
	}
	return &metal{kvloadBin: kvloadBin, server: s, port: port, loadCPU: loadCPU, cpus: cpus, netns: netns}, nil
}

// Open starts a kvload in steps over a fresh TAP device or namespace:
// host .1, kvload .2.
func (m *metal) Open(ctx context.Context, w Workload, progress func(string)) (Session, error) {
	if m.netns {
		return m.openInNamespace(ctx, w, progress)
	}
	n, err := hostnet.NewNetwork("")
	if err != nil {
		return nil, err
	}
	c := loadConfig(m.kvloadBin, w, n.Prefix)
	c.Port = dpdk.TapPort(n.Tap)
	c.SrcIP, c.DstIP, c.DstPort = n.GuestIP, n.HostIP, m.port
	c.Steps = true
	g, err := kvload.Start(c, progress)
	if err != nil {
		return nil, errors.Join(err, n.Remove())
	}
	s := &metalSession{gen: g, remove: n.Remove, name: m.server.Spec.Name}
	if err := hostnet.ConfigureTap(ctx, n.Tap, hostnet.CIDR(n.HostIP)); err != nil {
		return nil, errors.Join(err, s.Close())
	}
	return s, nil
}

// openInNamespace starts a kvload in steps inside a fresh namespace, on
// af_packet at its end of the veth pair.
func (m *metal) openInNamespace(ctx context.Context, w Workload, progress func(string)) (Session, error) {
	ns, err := hostnet.NewNamespace(ctx, "")
	if err != nil {
		return nil, err
	}
	if err := ns.FullChecksums(ctx); err != nil {
		return nil, errors.Join(err, ns.Remove())
	}
	c := loadConfig(m.kvloadBin, w, ns.Name)
	c.Port, c.Netns = dpdk.AfPacketPort(ns.Link), ns.Name
	c.SrcIP, c.DstIP, c.DstPort = ns.IP, ns.HostIP, m.port
	c.Steps = true
	g, err := kvload.Start(c, progress)
	if err != nil {
		return nil, errors.Join(err, ns.Remove())
	}
	return &metalSession{gen: g, remove: ns.Remove, name: m.server.Spec.Name}, nil
}

// metalSession is one kvload toward a host server; remove takes its
// TAP device or namespace away.
type metalSession struct {
	gen    *kvload.Generator
	remove func() error
	name   string
}

func (s *metalSession) Step(ctx context.Context, st kvload.Step) (Measurement, error) {
	res, err := s.gen.Step(ctx, st)
	if err != nil {
		return Measurement{}, fmt.Errorf("kvload against %s: %w", s.name, err)
	}
	return measurement(res), nil
}

// Close ends kvload and removes its TAP device (with the run's folder)
// or its namespace.
func (s *metalSession) Close() error {
	s.gen.Stop()
	return s.remove()
}

// Path says how kvload reaches the server and where each runs.
func (m *metal) Path() string {
	if m.netns {
		return fmt.Sprintf("kvload on CPU %d in a network namespace of its own, on af_packet at one end of a veth pair "+
			"(a system call per burst; the kernel's UDP receive of each request runs in kvload's send, on its CPU), the server on CPU(s) %s",
			m.loadCPU, cpuList(m.cpus))
	}
	return fmt.Sprintf("kvload on CPU %d over a TAP device (DPDK's net_tap: a write or read system call per frame; "+
		"the kernel's UDP receive of each request runs in kvload's write, on its CPU), the server on CPU(s) %s",
		m.loadCPU, cpuList(m.cpus))
}

// Stop ends the server; an unclean exit is an error.
func (m *metal) Stop() error { return m.server.Stop() }

// portOf is the port of "HOST:PORT".
func portOf(addr string) (int, error) {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		return 0, fmt.Errorf("address %q: %w", addr, err)
	}
	return strconv.Atoi(p)
}
