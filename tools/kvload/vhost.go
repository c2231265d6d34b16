package kvload

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/ukkv/ukkv/tools/boot"
)

// socketDeadline bounds the wait for kvload's vhost-user socket.
const socketDeadline = 30 * time.Second

// VhostPort is the --vdev of a vhost-user backend serving on socket.
func VhostPort(socket string) string {
	return "net_vhost0,iface=" + socket + ",queues=1"
}

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
// own and the guest's as the server's, and returns once the socket exists.
func (v *Vhost) Start(ctx context.Context, n *boot.Network) error {
	c := v.Config
	c.Port = VhostPort(n.Socket)
	c.Prefix = n.Prefix
	c.SrcIP, c.DstIP = n.HostIP, n.GuestIP
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

// Result waits for the run to end and returns what kvload measured.
func (v *Vhost) Result(ctx context.Context) (*Result, error) {
	return v.gen.Wait(ctx)
}

func awaitSocket(ctx context.Context, path string, g *Generator) error {
	ctx, cancel := context.WithTimeout(ctx, socketDeadline)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if fi, err := os.Stat(path); err == nil && fi.Mode()&os.ModeSocket != 0 {
			return nil
		}
		select {
		case <-g.Done():
			return fmt.Errorf("kvload ended before creating %s (%v):\n%s", path, g.proc.Err(), g.out.Tail())
		case <-ctx.Done():
			return fmt.Errorf("kvload made no vhost-user socket %s: %w", path, ctx.Err())
		case <-tick.C:
		}
	}
}
