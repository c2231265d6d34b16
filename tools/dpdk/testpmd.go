// Package dpdk runs and describes every DPDK process of the toolkit:
// EAL arguments, ports, dpdk-testpmd in each forwarding mode we use,
// CPU choice, socket waits and the clean-up of DPDK's runtime files.
package dpdk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"time"

	log "github.com/sirupsen/logrus"

	"github.com/ukkv/ukkv/tools/process"
)

const (
	testpmdBinary = "dpdk-testpmd"
	// memoryMiB is testpmd's memory; its mbuf pool is sized to fit (the
	// default pool, about 340 MB, would not).
	memoryMiB = 256
	mbufs     = 16384
)

// Testpmd is one testpmd: its EAL, forwarding mode and ports. Build it
// with Switch or Macswap.
type Testpmd struct {
	EAL
	Mode string // --forward-mode
	// Serves, if set, is the vhost-user socket testpmd creates as the
	// server: Start returns once it exists.
	Serves string
	Output io.Writer
}

// Switch is testpmd as the switch of a run: io forwarding passes every
// frame between port 0, the guest's vhost-user port on socket, and port
// 1, a TAP device toward the host. Its forwarding lcore polls on the
// last CPU, to itself when there are two or more.
func Switch(prefix, socket, tap string, out io.Writer) Testpmd {
	cpus := CPUs()
	return Testpmd{
		EAL: EAL{Prefix: prefix, Lcores: Lcores(cpus[0], cpus[len(cpus)-1]), MemoryMiB: memoryMiB,
			Hugepages: hugepagesFree(memoryMiB), Vdevs: []string{VhostPort(socket), TapPort(tap)}},
		Mode: "io", Serves: socket, Output: out,
	}
}

// SwitchTo is testpmd as the switch of the paper's topology: io
// forwarding between port 0, the guest's vhost-user port on socket, and
// port 1, the client's side (outside, a --vdev such as SecondVhostPort
// or AfPacketPort). Both lcores share cpu, the client's, so that the
// guest keeps the other CPUs to itself.
func SwitchTo(prefix, socket, outside string, cpu int, out io.Writer) Testpmd {
	return Testpmd{
		EAL: EAL{Prefix: prefix, Lcores: Lcores(cpu, cpu), MemoryMiB: memoryMiB,
			Hugepages: hugepagesFree(memoryMiB), Vdevs: []string{VhostPort(socket), outside}},
		Mode: "io", Serves: socket, Output: out,
	}
}

// Macswap is testpmd as a responder that costs nothing: it sends every
// frame back with its MAC addresses swapped, over a virtio_user port of
// the vhost-user server on socket. Its lcores share a CPU other than
// the client's when there is one (the main lcore sleeps).
func Macswap(prefix, socket string, clientCPU int, out io.Writer) Testpmd {
	cpu := lastBeside(clientCPU)
	return Testpmd{
		EAL: EAL{Prefix: prefix, Lcores: Lcores(cpu, cpu), MemoryMiB: memoryMiB,
			Vdevs: []string{VirtioUserPort(socket)}},
		Mode: "macswap", Output: out,
	}
}

// Running is a started testpmd.
type Running struct {
	*process.Process
	prefix string
}

// Binary finds dpdk-testpmd or says which package has it.
func Binary() (string, error) {
	path, err := exec.LookPath(testpmdBinary)
	if err != nil {
		return "", fmt.Errorf("%s not found: install the Debian package dpdk-dev", testpmdBinary)
	}
	return path, nil
}

// Args is testpmd's command line: one forwarding lcore, one queue a port.
// --no-mlockall: testpmd otherwise locks every mapping it will ever make
// (mlockall MCL_FUTURE), and mapping a guest's memory for vhost-user then
// faults in all of it, which made a guest's boot grow with its -m (a
// 1 GiB guest waited seconds for its device to start).
func (t Testpmd) Args() []string {
	return append(t.EAL.Args(), "--forward-mode="+t.Mode, "--nb-cores=1", "--rxq=1", "--txq=1",
		"--total-num-mbufs="+strconv.Itoa(mbufs), "--no-mlockall")
}

// Start starts testpmd, and returns once the socket it serves exists.
func (t Testpmd) Start(ctx context.Context) (*Running, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	if !t.Hugepages {
		log.Debug("testpmd runs with --no-huge")
	}
	args := t.Args()
	log.Debugf("%s %v", bin, args)
	// testpmd without -i waits for Enter and quits at end of input.
	p, err := process.Start(bin, args, process.Options{Output: t.Output, KeepStdin: true})
	if err != nil {
		return nil, err
	}
	r := &Running{Process: p, prefix: t.Prefix}
	if t.Serves == "" {
		return r, nil
	}
	if err := WaitSocket(ctx, t.Serves, p); err != nil {
		return nil, fmt.Errorf("testpmd: %w", errors.Join(err, r.Stop()))
	}
	return r, nil
}

// Stop ends testpmd and removes the files DPDK leaves.
func (r *Running) Stop() error {
	r.Process.Stop(5 * time.Second)
	return RemoveRunFiles(r.prefix)
}
