package kvserver

import (
	"bytes"
	"strings"
	"sync"

	"github.com/ukkv/ukkv/tools/variant"
)

// output keeps everything a server prints and reports the address of
// the first "ready udp ADDR:PORT" line on ready.
type output struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	scanned int
	ready   chan string
	found   bool
}

func newOutput() *output {
	return &output{ready: make(chan string, 1)}
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf.Write(p)
	for !o.found {
		rest := o.buf.Bytes()[o.scanned:]
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			break
		}
		o.scanned += i + 1
		if addr, ok := strings.CutPrefix(strings.TrimSpace(string(rest[:i])), variant.ReadyLine); ok {
			o.found = true
			o.ready <- addr
		}
	}
	return len(p), nil
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}
