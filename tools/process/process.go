// Package process starts the helper programs of a run (QEMU, testpmd) so
// that they can always be stopped: each in its own process group, away
// from the terminal's Ctrl-C (the toolkit tears them down in order), and
// killed by the kernel if the toolkit itself dies.
package process

import (
	"errors"
	"fmt"
	"io"
	"os/exec"
	"syscall"
	"time"
)

// Process is one started program.
type Process struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	done  chan struct{}
	err   error
}

// Options say where a program's output goes and whether its standard
// input stays open (testpmd quits when it reads end of file).
type Options struct {
	Output    io.Writer
	KeepStdin bool
}

// Start starts path with args. Output gets standard output and error.
func Start(path string, args []string, opts Options) (*Process, error) {
	cmd := exec.Command(path, args...)
	cmd.Stdout = opts.Output
	cmd.Stderr = opts.Output
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	p := &Process{cmd: cmd, done: make(chan struct{})}
	if opts.KeepStdin {
		in, err := cmd.StdinPipe()
		if err != nil {
			return nil, fmt.Errorf("stdin of %s: %w", path, err)
		}
		p.stdin = in
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", path, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// Input is the process's standard input when Options.KeepStdin held it
// open, nil otherwise.
func (p *Process) Input() io.Writer {
	if p.stdin == nil {
		return nil
	}
	return p.stdin
}

// Pid is the process id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Done is closed when the process has ended.
func (p *Process) Done() <-chan struct{} { return p.done }

// Err says how the process ended; valid once Done is closed.
func (p *Process) Err() error {
	if p.err == nil {
		return errors.New("exited with status 0")
	}
	return p.err
}

// Stop asks the process to end, first by closing its input if it is
// held open, then by SIGTERM, each with grace to act on it, and at last
// kills its whole group.
func (p *Process) Stop(grace time.Duration) {
	if p.stdin != nil {
		p.stdin.Close()
		if p.waitFor(grace) {
			return
		}
	}
	_ = syscall.Kill(-p.Pid(), syscall.SIGTERM)
	if !p.waitFor(grace) {
		_ = syscall.Kill(-p.Pid(), syscall.SIGKILL)
		<-p.done
	}
}

// waitFor says whether the process ended within d.
func (p *Process) waitFor(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-p.done:
		return true
	case <-t.C:
		return false
	}
}
