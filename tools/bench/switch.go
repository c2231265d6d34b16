package bench

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/ukkv/ukkv/tools/dpdk"
	"github.com/ukkv/ukkv/tools/hostnet"
	"github.com/ukkv/ukkv/tools/kvload"
	"github.com/ukkv/ukkv/tools/process"
)

// Topologies of a guest row: kvload as the guest's vhost-user backend,
// or the paper's, with testpmd switching between the guest and kvload;
// Both measures each guest row one way, then the other.
const (
	Direct = "direct"
	Switch = "switch"
	Both   = Direct + "," + Switch
)

// Client says where the load generator sits: Topology (Direct or
// Switch) for guest rows, Netns for a namespace of its own, Port for a
// DPDK port toward a second machine (not driven here).
type Client struct {
	Topology string
	Netns    bool
	Port     string
}

// switchedLoad is a guest's backend in the paper's topology: testpmd
// forwards (io) between the guest's vhost-user port and the client's
// side, where the paper's client reached it through a NIC: a second
// vhost-user port with kvload on a virtio_user port, or, with a client
// namespace, af_packet on a veth pair whose other end kvload holds
// inside the namespace.
type switchedLoad struct {
	cfg      kvload.Config
	netns    bool
	progress func(string)
	ns       *hostnet.Namespace
	sw       *dpdk.Running
	swOut    *process.Buffer
	gen      *kvload.Generator
	done     chan struct{}
}

// Start makes the client's side, starts testpmd, then kvload.
func (s *switchedLoad) Start(ctx context.Context, n *hostnet.Network) error {
	c := s.cfg
	c.Prefix = n.Prefix + "c"
	// kvload speaks for the run's host address whatever its own port's
	c.SrcIP, c.DstIP, c.DstMAC = n.HostIP, n.GuestIP, n.MAC
	var outside string
	if s.netns {
		ns, err := hostnet.NewNamespace(ctx, "")
		if err != nil {
			return err
		}
		s.ns = ns
		outside, c.Port, c.Netns = dpdk.AfPacketPort(ns.HostLink), dpdk.AfPacketPort(ns.Link), ns.Name
	} else {
		client := filepath.Join(n.Dir, "client.sock")
		outside, c.Port = dpdk.SecondVhostPort(client), dpdk.VirtioUserPort(client)
	}
	s.swOut = &process.Buffer{}
	sw, err := dpdk.SwitchTo(n.Prefix, n.Socket, outside, c.CPU, s.swOut).Start(ctx)
	if err != nil {
		return fmt.Errorf("%w\n--- testpmd output:\n%s", err, s.swOut.String())
	}
	s.sw = sw
	if !s.netns {
		client := filepath.Join(n.Dir, "client.sock")
		if err := dpdk.WaitSocket(ctx, client, sw.Process); err != nil {
			return fmt.Errorf("testpmd's port for kvload: %w", err)
		}
	}
	if s.gen, err = kvload.Start(c, s.progress); err != nil {
		return err
	}
	s.done = make(chan struct{})
	go func() {
		select {
		case <-sw.Done():
		case <-s.gen.Done():
		}
		close(s.done)
	}()
	return nil
}

// Done is closed when testpmd or kvload has ended.
func (s *switchedLoad) Done() <-chan struct{} { return s.done }

// Err says which ended, with testpmd's output.
func (s *switchedLoad) Err() error {
	select {
	case <-s.sw.Done():
		return fmt.Errorf("testpmd ended (%v):\n%s", s.sw.Err(), s.swOut.String())
	default:
		return errors.New("kvload ended before the guest")
	}
}

// Stop ends kvload, then testpmd, and removes their files and the
// client's namespace.
func (s *switchedLoad) Stop() error {
	var errs []error
	if s.gen != nil {
		s.gen.Stop()
	}
	if s.sw != nil {
		errs = append(errs, s.sw.Stop())
	}
	if s.ns != nil {
		errs = append(errs, s.ns.Remove())
	}
	return errors.Join(errs...)
}

func (s *switchedLoad) Step(ctx context.Context, st kvload.Step) (*kvload.Result, error) {
	return s.gen.Step(ctx, st)
}
