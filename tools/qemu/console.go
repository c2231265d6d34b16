package qemu

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"time"
)

// tailLines is how many console lines an error message quotes.
const tailLines = 15

// Console takes a guest's console output, copies it to a log and an
// optional live stream, keeps its last lines for error messages, and
// says when the ready line appeared.
type Console struct {
	mu      sync.Mutex
	sinks   []io.Writer
	partial []byte
	tail    []string
	want    string
	ready   chan struct{}
	readyAt time.Time
	// readyLine is the first whole line holding want.
	readyLine string
	watches   []watch
}

// watch is a text whose first line is signalled.
type watch struct {
	text string
	seen chan struct{}
}

// NewConsole waits for a line containing want; sinks get every byte.
func NewConsole(want string, sinks ...io.Writer) *Console {
	return &Console{want: want, ready: make(chan struct{}), sinks: sinks}
}

// Write takes console output.
func (c *Console) Write(p []byte) (int, error) {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.sinks {
		_, _ = s.Write(p) // a failing log must not stop the guest
	}
	c.partial = append(c.partial, p...)
	for {
		i := bytes.IndexByte(c.partial, '\n')
		if i < 0 {
			break
		}
		c.line(strings.TrimRight(string(c.partial[:i]), "\r"), now)
		c.partial = c.partial[i+1:]
	}
	return len(p), nil
}

func (c *Console) line(l string, now time.Time) {
	c.tail = append(c.tail, l)
	if len(c.tail) > tailLines {
		c.tail = c.tail[1:]
	}
	for i, w := range c.watches {
		if w.text != "" && strings.Contains(l, w.text) {
			close(w.seen)
			c.watches[i].text = ""
		}
	}
	if c.readyAt.IsZero() && c.want != "" && strings.Contains(l, c.want) {
		c.readyAt, c.readyLine = now, l
		close(c.ready)
	}
}

// Watch returns a channel closed once a line holding text appears.
func (c *Console) Watch(text string) <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := watch{text: text, seen: make(chan struct{})}
	c.watches = append(c.watches, w)
	return w.seen
}

// Ready is closed when the ready line has appeared.
func (c *Console) Ready() <-chan struct{} { return c.ready }

// ReadyAt is when the ready line appeared.
func (c *Console) ReadyAt() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.readyAt
}

// ReadyLine is the first line holding the wanted text.
func (c *Console) ReadyLine() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.readyLine
}

// Tail returns the last console lines, for error messages.
func (c *Console) Tail() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	lines := c.tail
	if len(c.partial) > 0 {
		lines = append(append([]string(nil), lines...), string(c.partial))
	}
	if len(lines) == 0 {
		return "(console empty)"
	}
	return strings.Join(lines, "\n")
}
