package bench

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/ukkv/ukkv/tools/boot"
	"github.com/ukkv/ukkv/tools/dpdk"
	"github.com/ukkv/ukkv/tools/kvload"
	"github.com/ukkv/ukkv/tools/qemu"
	"github.com/ukkv/ukkv/tools/variant"
)

// guestPort is the UDP port of the server in a guest; the guest has its
// own address, so no other run can collide with it.
const guestPort = 11211

// Guests boots the guest rows under QEMU with kvload as the vhost-user
// backend of the guest's NIC: no switch between them.
type Guests struct {
	Repo, Cache  string
	Accel        qemu.Accel
	ReadyTimeout time.Duration
	// Topology is Direct (kvload is the guest's backend; the default
	// when empty) or Switch (testpmd between them).
	Topology string
	// ClientNetns puts kvload in a network namespace of its own, behind
	// a veth pair: a second host. A guest row then always has the switch.
	ClientNetns bool
}

// topology is the guests' topology: a client namespace needs the switch
// (kvload cannot be the guest's vhost-user backend from there).
func (gs *Guests) topology() string {
	if gs.ClientNetns || gs.Topology == Switch {
		return Switch
	}
	return Direct
}

// prepare finds or makes a guest row's image; a missing one skips it.
func (gs *Guests) prepare(ctx context.Context, kvloadBin string, row *variant.Variant) (Target, error) {
	img, err := gs.image(ctx, row)
	if err != nil {
		return nil, err
	}
	return &guestTarget{gs: gs, img: img, row: row, kvloadBin: kvloadBin}, nil
}

// image finds or makes the guest image of a row; what is missing skips it.
func (gs *Guests) image(ctx context.Context, row *variant.Variant) (*boot.Image, error) {
	img, err := boot.ImageFor(ctx, gs.Repo, gs.Cache, row)
	if err != nil {
		if row.Kind == variant.Unikraft {
			return nil, Skipf("%v (the build needs the Unikraft sources: `ukkv sources fetch` or `ukkv sources import`)", err)
		}
		return nil, Skipf("%v", err)
	}
	return img, nil
}

// guestTarget boots a fresh guest for every run: kvload owns the
// vhost-user socket and ends with its run. QEMU's chardev reconnect=1
// does re-attach a guest to the next kvload, but its ring restore fails
// ("vhost VQ 0 ring restore failed") and a raw-uknetdev guest then
// answered 500 req/s instead of 78,000, so the guest's life is one run.
type guestTarget struct {
	gs        *Guests
	img       *boot.Image
	row       *variant.Variant
	kvloadBin string
}

// loadBackend is a guest's vhost-user backend with kvload in steps
// behind it: kvload itself, or testpmd switching to it.
type loadBackend interface {
	boot.Backend
	Step(ctx context.Context, s kvload.Step) (*kvload.Result, error)
}

// Open boots the guest on the port of a kvload that runs in steps,
// directly or through testpmd.
func (t *guestTarget) Open(ctx context.Context, w Workload, progress func(string)) (Session, error) {
	c := loadConfig(t.kvloadBin, w, "")
	c.DstPort = guestPort
	c.Steps = true
	// kvload waits for the link while the guest boots
	c.LinkTimeout = t.gs.ReadyTimeout
	// a server that cannot preload (memcached) starts with its own
	// options and gets every key set by kvload first
	var server []string
	if t.row.Preloads {
		server = w.ServerArgs(strconv.Itoa(guestPort))
	} else {
		c.Fill = true
	}
	var lb loadBackend = &kvload.Vhost{Config: c, Progress: progress}
	if t.gs.topology() == Switch {
		lb = &switchedLoad{cfg: c, netns: t.gs.ClientNetns, progress: progress}
	}
	g, err := boot.Start(ctx, boot.Options{
		Image: t.img, Accel: t.gs.Accel, Backend: lb, Server: server, ReadyTimeout: t.gs.ReadyTimeout,
		// never on kvload's polling CPU: there the two handed the core
		// over at each kernel tick and a run fell to ~2,000 req/s
		CPUs: dpdk.Beside(c.CPU),
	})
	if err != nil {
		return nil, err
	}
	return &guestSession{guest: g, load: lb, name: t.img.Name}, nil
}

// Path says how kvload reaches the guest and where each runs.
func (t *guestTarget) Path() string {
	cpu := kvload.Defaults().CPU
	qemu := cpuList(dpdk.Beside(cpu))
	switch {
	case t.gs.topology() == Direct:
		return fmt.Sprintf("direct: kvload on CPU %d as the vhost-user backend of the guest's NIC, no switch between them; QEMU on CPU(s) %s", cpu, qemu)
	case t.gs.ClientNetns:
		return fmt.Sprintf("switch: kvload in a network namespace of its own, on af_packet at one end of a veth pair; testpmd forwards (io) between af_packet at the other end and the guest's vhost-user port; both poll on CPU %d; QEMU on CPU(s) %s", cpu, qemu)
	}
	return fmt.Sprintf("switch: kvload as a virtio_user port of testpmd, which forwards (io) to the guest's vhost-user port; both poll on CPU %d; QEMU on CPU(s) %s", cpu, qemu)
}

// guestSession is one guest and the kvload it is attached to.
type guestSession struct {
	guest *boot.Guest
	load  loadBackend
	name  string
}

func (s *guestSession) Step(ctx context.Context, st kvload.Step) (Measurement, error) {
	res, err := s.load.Step(ctx, st)
	if err != nil {
		return Measurement{}, fmt.Errorf("kvload against %s: %w", s.name, err)
	}
	return measurement(res), nil
}

// Close stops QEMU, then kvload.
func (s *guestSession) Close() error { return s.guest.Stop() }

// Stop has nothing to do: each run tears its guest down.
func (t *guestTarget) Stop() error { return nil }
