package kvload

import (
	"context"
	"fmt"

	"github.com/ukkv/ukkv/tools/dpdk"
	"github.com/ukkv/ukkv/tools/hostnet"
)

// Vhost is kvload as a guest's vhost-user backend (a boot.Backend): it
// creates the socket the guest's QEMU connects to, waits for the guest's
// server to answer right, then runs Config's workload against it. Its
// LinkTimeout must cover the guest's boot.
type Vhost struct {
	Config   Config
	Progress func(string)
	gen      *Generator
}

// Start starts kvload on the run's socket, with the host address as its
// own and the guest's addresses as the server's, and returns once the
// socket exists.
func (v *Vhost) Start(ctx context.Context, n *hostnet.Network) error {
	c := v.Config
	c.Port = dpdk.VhostPort(n.Socket)
	c.Prefix = n.Prefix
	c.SrcIP, c.DstIP, c.DstMAC = n.HostIP, n.GuestIP, n.MAC
	g, err := Start(c, v.Progress)
	if err != nil {
		return err
	}
	v.gen = g
	if err := awaitSocket(ctx, n.Socket, g); err != nil {
		g.Stop()
		return err
	}
	return nil
}

// Done is closed when kvload has ended.
func (v *Vhost) Done() <-chan struct{} { return v.gen.Done() }

// Err says how kvload ended, with its last output.
func (v *Vhost) Err() error {
	return fmt.Errorf("kvload ended (%v):\n%s", v.gen.proc.Err(), v.gen.out.Tail())
}

// Stop ends kvload if it still runs and removes its files.
func (v *Vhost) Stop() error {
	if v.gen != nil {
		v.gen.Stop()
	}
	return nil
}

// Step runs one load of a run in steps (Config.Steps).
func (v *Vhost) Step(ctx context.Context, s Step) (*Result, error) {
	return v.gen.Step(ctx, s)
}

// Result waits for the run to end and returns what kvload measured.
func (v *Vhost) Result(ctx context.Context) (*Result, error) {
	return v.gen.Wait(ctx)
}

// awaitSocket waits for kvload's vhost-user socket; an error carries
// kvload's last output.
func awaitSocket(ctx context.Context, path string, g *Generator) error {
	if err := dpdk.WaitSocket(ctx, path, g.proc); err != nil {
		return fmt.Errorf("kvload: %w:\n%s", err, g.out.Tail())
	}
	return nil
}
