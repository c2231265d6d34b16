package kvload

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ukkv/ukkv/tools/dpdk"
	"github.com/ukkv/ukkv/tools/process"
)

// A client ceiling is kvload measured against a responder that costs
// nothing, beside every result, so that a client limit is never taken
// for a server limit. Two responders:
//
//	RingCeiling:    kvload --echo on a net_ring loopback, in-process: the
//	                client's own cost, with no port in between.
//	MacswapCeiling: kvload --echo as a vhost-user backend, testpmd
//	                --forward-mode=macswap on a virtio_user port of it:
//	                the client plus the vhost-user path a guest uses.

// RingCeiling returns c turned into an echo run on a net_ring loopback.
func RingCeiling(c Config) Config {
	c.Port = dpdk.RingPort
	c.Echo = true
	c.Fill = false
	c.DstMAC = ""
	return c
}

// MacswapCeiling runs c as an echo run with testpmd's macswap as the
// responder over a vhost-user / virtio_user pair.
func MacswapCeiling(ctx context.Context, c Config, progress func(string)) (*Result, error) {
	if _, err := dpdk.Binary(); err != nil {
		return nil, err
	}
	dir, err := process.OwnedTempDir("ceiling")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	socket := filepath.Join(dir, "vhost.sock")
	c.Port = dpdk.VhostPort(socket)
	c.Echo = true
	c.Fill = false
	g, err := Start(c, progress)
	if err != nil {
		return nil, err
	}
	defer g.Stop()
	if err := awaitSocket(ctx, socket, g); err != nil {
		return nil, err
	}
	out := &output{}
	tp, err := dpdk.Macswap(c.Prefix+"-macswap", socket, c.CPU, out).Start(ctx)
	if err != nil {
		return nil, err
	}
	defer tp.Stop()
	r, err := g.Wait(ctx)
	if err != nil {
		select {
		case <-tp.Done():
			err = errors.Join(err, fmt.Errorf("testpmd ended (%v):\n%s", tp.Err(), out.Tail()))
		default:
		}
	}
	return r, err
}
