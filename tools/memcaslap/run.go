package memcaslap

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"time"

	log "github.com/sirupsen/logrus"
)

// Options are the client settings of one run.
type Options struct {
	Server      string        // "host:port"
	Duration    time.Duration // rounded down to whole seconds, at least 1 s
	Threads     int           // memcaslap threads (-T)
	Concurrency int           // simulated clients (-c), a multiple of Threads
	// Window is the number of keys per client (-w), a multiple of 1024;
	// 0 keeps memcaslap's default of 10240. It bounds the data set, which
	// must fit the server's capacity to avoid misses.
	Window int
}

// Args is memcaslap's command line for o, without the program.
func (o Options) Args() []string {
	secs := int(o.Duration / time.Second)
	if secs < 1 {
		secs = 1
	}
	args := []string{"--servers=" + o.Server, "--udp",
		"--time=" + strconv.Itoa(secs) + "s",
		"--threads=" + strconv.Itoa(o.Threads),
		"--concurrency=" + strconv.Itoa(o.Concurrency)}
	if o.Window > 0 {
		args = append(args, "--win_size="+strconv.Itoa(o.Window/1024)+"k")
	}
	return args
}

// Validate refuses settings memcaslap would reject only after starting.
func (o Options) Validate() error {
	switch {
	case o.Server == "":
		return fmt.Errorf("memcaslap: no server")
	case o.Threads < 1 || o.Concurrency < 1:
		return fmt.Errorf("memcaslap: threads (%d) and concurrency (%d) must be positive", o.Threads, o.Concurrency)
	case o.Concurrency%o.Threads != 0:
		return fmt.Errorf("memcaslap: concurrency %d is not a multiple of threads %d", o.Concurrency, o.Threads)
	case o.Window%1024 != 0 || o.Window < 0:
		return fmt.Errorf("memcaslap: window %d is not a multiple of 1024", o.Window)
	}
	return nil
}

// exitGrace is how long memcaslap may linger after printing its summary:
// it hangs there when some requests never got a reply. A variable so
// that tests need not wait as long.
var exitGrace = 10 * time.Second

// startSlack bounds memcaslap's start-up and tear-down beyond the run.
const startSlack = time.Minute

// Run runs memcaslap at path with o and returns its summary and output.
func Run(ctx context.Context, path string, o Options) (Summary, []byte, error) {
	if err := o.Validate(); err != nil {
		return Summary{}, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, o.Duration+startSlack)
	defer cancel()
	out := &watchedOutput{summary: make(chan struct{})}
	cmd := exec.CommandContext(ctx, path, o.Args()...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	log.Debugf("running %s %v", path, o.Args())
	if err := cmd.Start(); err != nil {
		return Summary{}, nil, fmt.Errorf("start memcaslap: %w", err)
	}
	if err := waitOrKill(cmd, out.summary); err != nil {
		return Summary{}, out.Bytes(), fmt.Errorf("memcaslap %v: %w", o.Args(), err)
	}
	s, err := Parse(out.Bytes())
	return s, out.Bytes(), err
}

// waitOrKill waits for cmd to exit; once summary is closed it waits at
// most exitGrace and then kills it, as its figures are complete.
func waitOrKill(cmd *exec.Cmd, summary <-chan struct{}) error {
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		return err
	case <-summary:
	}
	select {
	case err := <-exited:
		return err
	case <-time.After(exitGrace):
		log.Warnf("memcaslap did not exit %v after its summary: killed", exitGrace)
		_ = cmd.Process.Kill()
		<-exited
		return nil
	}
}

// watchedOutput keeps memcaslap's output and closes summary once the
// final "Run time:" line is there.
type watchedOutput struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	summary chan struct{}
	marked  bool // "Run time:" seen
	closed  bool
}

var runTimeMarker = []byte("\nRun time: ")

func (w *watchedOutput) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if w.closed {
		return len(p), nil
	}
	// Only the new bytes (and a marker cut by the previous write) are
	// searched: error replies can make the output megabytes long.
	all := w.buf.Bytes()
	from := max(0, len(all)-len(p)-len(runTimeMarker))
	w.marked = w.marked || bytes.Contains(all[from:], runTimeMarker)
	if w.marked && bytes.HasSuffix(all, []byte("\n")) {
		w.closed = true
		close(w.summary)
	}
	return len(p), nil
}

func (w *watchedOutput) Bytes() []byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	return bytes.Clone(w.buf.Bytes())
}
