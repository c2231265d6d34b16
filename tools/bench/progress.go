package bench

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/ukkv/ukkv/tools/report"
)

// Progress shows on a terminal (stderr) where a benchmark stands: row
// i/n, run j/r, and the live rate of each second. On a terminal the
// live line is rewritten in place; elsewhere each second is a line.
// A nil *Progress shows nothing.
type Progress struct {
	mu   sync.Mutex
	w    io.Writer
	tty  bool
	open bool // a live line waits to be overwritten
}

// NewProgress writes to w; tty says w is a terminal.
func NewProgress(w io.Writer, tty bool) *Progress { return &Progress{w: w, tty: tty} }

// Stage says what starts now.
func (p *Progress) Stage(msg string) { p.line(msg) }

// Result says how a stage or run ended.
func (p *Progress) Result(msg string, err error) {
	if err != nil {
		msg = fmt.Sprintf("%s: %v", msg, firstLine(err.Error()))
	}
	p.line(msg)
}

// Pending shows, on a terminal only, that a run is starting (a guest
// boots, kvload waits for the link) until its first second replaces it.
func (p *Progress) Pending(label string) {
	if p == nil || !p.tty {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "\r\033[K%s  starting", label)
	p.open = true
}

// Live returns the callback for kvload's per-second lines of one run.
func (p *Progress) Live(label string) func(string) {
	if p == nil {
		return nil
	}
	return func(kvloadLine string) {
		s, ok := ParseSecond(kvloadLine)
		if !ok {
			return
		}
		msg := FormatSecond(label, s)
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.tty {
			fmt.Fprintf(p.w, "\r\033[K%s", msg)
			p.open = true
			return
		}
		fmt.Fprintln(p.w, msg)
	}
}

func (p *Progress) line(msg string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.open {
		fmt.Fprint(p.w, "\r\033[K")
		p.open = false
	}
	fmt.Fprintln(p.w, msg)
}

// Second is one of kvload's per-second progress lines.
type Second struct {
	N            int
	RequestsPerS float64
	RepliesPerS  float64
	P99          float64 // microseconds
	Lost, Wrong  uint64
}

// ParseSecond reads a line such as "kvload: 3s 1200 req/s 1190 rep/s
// p50 10.1us p99 45.0us lost 0 wrong 0 malformed 0 outstanding 16".
func ParseSecond(line string) (Second, bool) {
	f := strings.Fields(line)
	if len(f) < 6 || f[0] != "kvload:" || !strings.HasSuffix(f[1], "s") || f[3] != "req/s" || f[5] != "rep/s" {
		return Second{}, false
	}
	var s Second
	var err error
	if s.N, err = strconv.Atoi(strings.TrimSuffix(f[1], "s")); err != nil {
		return Second{}, false
	}
	if s.RequestsPerS, err = strconv.ParseFloat(f[2], 64); err != nil {
		return Second{}, false
	}
	if s.RepliesPerS, err = strconv.ParseFloat(f[4], 64); err != nil {
		return Second{}, false
	}
	// The rest is "name value" pairs; those missing stay zero.
	for i := 6; i+1 < len(f); i += 2 {
		v := strings.TrimSuffix(f[i+1], "us")
		switch f[i] {
		case "p99":
			s.P99, _ = strconv.ParseFloat(v, 64)
		case "lost":
			s.Lost, _ = strconv.ParseUint(v, 10, 64)
		case "wrong":
			s.Wrong, _ = strconv.ParseUint(v, 10, 64)
		}
	}
	return s, true
}

// FormatSecond is the live line of one second of a run.
func FormatSecond(label string, s Second) string {
	msg := fmt.Sprintf("%s  %ds  %s req/s  %s rep/s  p99 %s µs", label, s.N,
		formatRate(s.RequestsPerS), formatRate(s.RepliesPerS), formatRate(s.P99))
	if s.Lost > 0 || s.Wrong > 0 {
		msg += fmt.Sprintf("  lost %d  wrong %d", s.Lost, s.Wrong)
	}
	return msg
}

// rowLabel names row i of n: "[2/9] metal-single".
func rowLabel(i, n int, name string) string { return fmt.Sprintf("[%d/%d] %s", i, n, name) }

// runLabel names run j of r of a row: "run 1/3 of metal-single".
func runLabel(row string, j, r int) string { return fmt.Sprintf("run %d/%d of %s", j, r, row) }

// formatRate shows a number as the reports do: 12,345 or 45.1.
func formatRate(v float64) string { return report.Num(v).String() }

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}
