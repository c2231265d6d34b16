package kvload

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"golang.org/x/sys/unix"

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
	c.Port = "net_ring0"
	c.Echo = true
	c.Fill = false
	c.DstMAC = ""
	return c
}

// testpmd's memory and mbufs without hugepages: its default mbuf pool
// (about 340 MB) would not fit.
const (
	macswapMemoryMiB = 256
	macswapMbufs     = 16384
)

// MacswapCeiling runs c as an echo run with testpmd's macswap as the
// responder over a vhost-user / virtio_user pair. testpmd polls on
// another CPU than kvload when there is one.
func MacswapCeiling(ctx context.Context, c Config, progress func(string)) (*Result, error) {
	bin, err := dpdk.Binary()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "kvload-ceiling-")
	if err != nil {
		return nil, fmt.Errorf("ceiling run folder: %w", err)
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
	prefix := c.Prefix + "-macswap"
	p, err := process.Start(bin, macswapArgs(prefix, socket, otherCPU(c.CPU)), process.Options{Output: out})
	if err != nil {
		return nil, err
	}
	defer func() {
		p.Stop(stopGrace)
		os.RemoveAll(filepath.Join("/var/run/dpdk", prefix))
	}()
	r, err := g.Wait(ctx)
	if err != nil {
		select {
		case <-p.Done():
			err = errors.Join(err, fmt.Errorf("testpmd ended (%v):\n%s", p.Err(), out.Tail()))
		default:
		}
	}
	return r, err
}

// macswapArgs: testpmd's main and forwarding lcores share one CPU (the
// main one sleeps), and --stats-period keeps it running without input.
func macswapArgs(prefix, socket string, cpu int) []string {
	c := strconv.Itoa(cpu)
	return []string{
		"--no-pci", "--no-huge", "--no-shconf", "--no-telemetry",
		"-m", strconv.Itoa(macswapMemoryMiB),
		"--lcores", "0@" + c + ",1@" + c,
		"--file-prefix", prefix,
		"--vdev", "net_virtio_user0,path=" + socket + ",queues=1",
		"--", "--forward-mode=macswap", "--nb-cores=1", "--rxq=1", "--txq=1",
		"--total-num-mbufs=" + strconv.Itoa(macswapMbufs),
		"--stats-period", strconv.Itoa(int(time.Hour.Seconds())),
	}
}

// otherCPU is a CPU this process may use other than cpu, or cpu itself.
func otherCPU(cpu int) int {
	var set unix.CPUSet
	if unix.SchedGetaffinity(0, &set) == nil {
		for i := 1024 - 1; i >= 0; i-- {
			if i != cpu && set.IsSet(i) {
				return i
			}
		}
	}
	return cpu
}
