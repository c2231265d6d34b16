package qemu

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func TestConsoleReadyAcrossWrites(t *testing.T) {
	var log bytes.Buffer
	c := NewConsole("ready udp ", &log)
	fmt.Fprint(c, "booting\r\nready u")
	select {
	case <-c.Ready():
		t.Fatal("ready before the line was whole")
	default:
	}
	fmt.Fprint(c, "dp 0.0.0.0:11211\r\nmore\n")
	select {
	case <-c.Ready():
	default:
		t.Fatal("ready line not seen")
	}
	if got := c.ReadyLine(); got != "ready udp 0.0.0.0:11211" {
		t.Errorf("ready line %q", got)
	}
	if log.String() != "booting\r\nready udp 0.0.0.0:11211\r\nmore\n" {
		t.Errorf("log got %q", log.String())
	}
}

func TestConsoleTailKeepsLastLines(t *testing.T) {
	c := NewConsole("never")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(c, "line %d\n", i)
	}
	fmt.Fprint(c, "partial")
	tail := strings.Split(c.Tail(), "\n")
	if len(tail) != tailLines+1 || tail[0] != "line 25" || tail[len(tail)-1] != "partial" {
		t.Errorf("tail %q", tail)
	}
	if NewConsole("x").Tail() != "(console empty)" {
		t.Error("empty console tail")
	}
}

func TestConsoleWatchSeesLinesLongGone(t *testing.T) {
	c := NewConsole("ready")
	seen := c.Watch("KVM internal error")
	fmt.Fprint(c, "KVM internal error. Suberror: 1\n")
	for i := 0; i < 3*tailLines; i++ {
		fmt.Fprintf(c, "register dump %d\n", i)
	}
	select {
	case <-seen:
	default:
		t.Fatal("watched line not signalled")
	}
	fmt.Fprint(c, "KVM internal error again\n") // a second match must not close twice
}
