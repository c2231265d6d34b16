package kvload

import (
	"bytes"
	"strings"
	"sync"
)

// tailLines is how much of kvload's output an error message quotes.
const tailLines = 15

// output splits kvload's output into lines: the JSON result (a line
// starting with '{'), one progress line a second ("kvload: ..."), and a
// tail of everything for error messages.
type output struct {
	mu       sync.Mutex
	partial  []byte
	result   []byte
	tail     []string
	progress func(string)
	// results gets each result line of a run in steps, when not nil.
	results chan []byte
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.partial = append(o.partial, p...)
	for {
		i := bytes.IndexByte(o.partial, '\n')
		if i < 0 {
			break
		}
		o.line(string(o.partial[:i]))
		o.partial = o.partial[i+1:]
	}
	return len(p), nil
}

func (o *output) line(l string) {
	if strings.HasPrefix(l, "{") {
		o.result = []byte(l)
		select {
		case o.results <- o.result:
		default: // no step waits for it (nil channel): an interrupted run's
		}
		return
	}
	if strings.HasPrefix(l, "kvload: ") && o.progress != nil {
		o.progress(l)
	}
	o.tail = append(o.tail, l)
	if len(o.tail) > tailLines {
		o.tail = o.tail[len(o.tail)-tailLines:]
	}
}

// Result is the JSON line, nil if none came.
func (o *output) Result() []byte {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.result
}

// Tail is the last lines other than the result.
func (o *output) Tail() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return strings.Join(append(o.tail, string(o.partial)), "\n")
}
