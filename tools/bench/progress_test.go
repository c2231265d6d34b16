package bench

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestParseSecondReadsKvloadsLine(t *testing.T) {
	s, ok := ParseSecond("kvload: 3s 12345 req/s 12000 rep/s p50 10.5us p99 45.1us lost 2 wrong 1 malformed 0 outstanding 16")
	want := Second{N: 3, RequestsPerS: 12345, RepliesPerS: 12000, P99: 45.1, Lost: 2, Wrong: 1}
	if !ok || s != want {
		t.Errorf("ParseSecond = %+v, %v; want %+v", s, ok, want)
	}
}

func TestParseSecondIgnoresOtherLines(t *testing.T) {
	for _, l := range []string{
		"", "kvload: link up", "kvload: fill: 1000 of 1000 keys stored",
		"kvload: 3s many req/s 1 rep/s", "kvload: xs 1 req/s 1 rep/s", `{"mode":"closed"}`,
	} {
		if s, ok := ParseSecond(l); ok {
			t.Errorf("ParseSecond(%q) = %+v, want no second", l, s)
		}
	}
}

func TestFormatSecond(t *testing.T) {
	got := FormatSecond("[2/9] metal-single run 1/3", Second{N: 4, RequestsPerS: 1234567, RepliesPerS: 1234000, P99: 45.12})
	want := "[2/9] metal-single run 1/3  4s  1,234,567 req/s  1,234,000 rep/s  p99 45.1 µs"
	if got != want {
		t.Errorf("FormatSecond = %q, want %q", got, want)
	}
	if got := FormatSecond("x", Second{Lost: 3, Wrong: 1}); !strings.HasSuffix(got, "lost 3  wrong 1") {
		t.Errorf("losses not shown: %q", got)
	}
}

func TestProgressRewritesTheLiveLineOnATerminalOnly(t *testing.T) {
	line := "kvload: 1s 10 req/s 10 rep/s p50 1us p99 2us lost 0 wrong 0 malformed 0 outstanding 1"
	var tty, plain bytes.Buffer
	for _, c := range []struct {
		buf *bytes.Buffer
		tty bool
	}{{&tty, true}, {&plain, false}} {
		p := NewProgress(c.buf, c.tty)
		p.Pending("run")
		live := p.Live("run")
		live(line)
		live("kvload: link up") // not a second: not shown
		live(line)
		p.Result("done", errors.New("boom\nsecond line"))
	}
	if want := "\r\033[Krun  starting\r\033[Krun  1s  10 req/s  10 rep/s  p99 2 µs\r\033[Krun  1s  10 req/s  10 rep/s  p99 2 µs\r\033[Kdone: boom\n"; tty.String() != want {
		t.Errorf("terminal got %q, want %q", tty.String(), want)
	}
	if want := "run  1s  10 req/s  10 rep/s  p99 2 µs\nrun  1s  10 req/s  10 rep/s  p99 2 µs\ndone: boom\n"; plain.String() != want {
		t.Errorf("plain got %q, want %q", plain.String(), want)
	}
}

func TestNilProgressShowsNothing(t *testing.T) {
	var p *Progress
	p.Stage("x")
	p.Result("x", nil)
	if p.Live("x") != nil {
		t.Error("nil progress gave a live callback")
	}
}
