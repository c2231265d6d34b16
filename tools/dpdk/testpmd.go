// Package dpdk runs dpdk-testpmd as the vhost-user switch between a
// guest and a TAP device toward the host.
package dpdk

import (
	"context"
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
	// memoryMiB is testpmd's memory; its mbuf pool is sized to fit.
	memoryMiB = 256
	mbufs     = 16384
)

// Testpmd describes one testpmd switch. Every field must be unique to
// the run: two DPDK processes with one prefix do not start.
type Testpmd struct {
	Prefix string // DPDK --file-prefix
	Socket string // vhost-user socket testpmd creates as the server
	Tap    string // TAP device toward the host
	Output io.Writer
}

// Switch is a running testpmd.
type Switch struct {
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

// Args is testpmd's command line: port 0 is the guest's vhost-user port,
// port 1 the TAP; io forwarding passes every frame between them.
func (t Testpmd) Args(hugepages bool) []string {
	args := []string{"--lcores", lcores(), "-n", "1", "--no-pci", "--file-prefix", t.Prefix}
	if !hugepages {
		args = append(args, "--no-huge")
	}
	args = append(args, "-m", strconv.Itoa(memoryMiB),
		"--vdev", VhostPort(t.Socket),
		"--vdev", "net_tap0,iface="+t.Tap,
		"--", "--forward-mode=io", "--nb-cores=1", "--rxq=1", "--txq=1",
		"--total-num-mbufs="+strconv.Itoa(mbufs))
	return args
}

// lcores maps testpmd's main lcore and its one forwarding lcore onto the
// CPUs this process may use: the forwarding one polls, so it gets the
// last CPU to itself when there are two or more.
func lcores() string {
	first, last := CPURange()
	return fmt.Sprintf("0@%d,1@%d", first, last)
}

// Start starts testpmd and returns once its vhost-user socket exists.
func (t Testpmd) Start(ctx context.Context) (*Switch, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	huge := hugepagesFree(memoryMiB)
	if !huge {
		log.Debug("no free hugepages: testpmd runs with --no-huge")
	}
	args := t.Args(huge)
	log.Debugf("%s %v", bin, args)
	// testpmd without -i waits for Enter and quits at end of input.
	p, err := process.Start(bin, args, process.Options{Output: t.Output, KeepStdin: true})
	if err != nil {
		return nil, err
	}
	s := &Switch{Process: p, prefix: t.Prefix}
	if err := WaitSocket(ctx, t.Socket, p); err != nil {
		s.Stop()
		return nil, fmt.Errorf("testpmd: %w", err)
	}
	return s, nil
}

// Stop ends testpmd and removes the files DPDK leaves when killed.
func (s *Switch) Stop() error {
	s.Process.Stop(5 * time.Second)
	return removeRunFiles(s.prefix)
}
