package kvload

import (
	"net"
	"slices"
	"strings"
	"testing"
	"time"
)

func validConfig() Config {
	c := Defaults()
	c.Port = "net_ring0"
	c.Prefix = "kvl-test"
	c.SrcIP = net.IPv4(10, 1, 2, 2)
	c.DstIP = net.IPv4(10, 1, 2, 1)
	return c
}

// flag returns the value following name in args, "" when absent.
func flag(args []string, name string) string {
	i := slices.Index(args, name)
	if i < 0 || i+1 >= len(args) {
		return ""
	}
	return args[i+1]
}

func TestArgsSplitEALFromApp(t *testing.T) {
	c := validConfig()
	c.Port = "net_tap0,iface=kvlx"
	c.Duration = 1500 * time.Millisecond
	c.Zipf = 0.99
	c.Fill = true
	args := c.Args()
	sep := slices.Index(args, "--")
	if sep < 0 {
		t.Fatalf("no -- between EAL and kvload arguments: %v", args)
	}
	eal, app := args[:sep], args[sep+1:]
	for name, want := range map[string]string{"--vdev": "net_tap0,iface=kvlx", "--file-prefix": "kvl-test", "-m": "128"} {
		if got := flag(eal, name); got != want {
			t.Errorf("EAL %s = %q, want %q", name, got, want)
		}
	}
	for name, want := range map[string]string{"--src-ip": "10.1.2.2", "--dst-ip": "10.1.2.1", "--duration": "1.5", "--window": "16", "--dist": "zipf", "--zipf-s": "0.99"} {
		if got := flag(app, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if !slices.Contains(app, "--fill") || slices.Contains(app, "--echo") || slices.Contains(app, "--rate") {
		t.Errorf("flags of the switches wrong: %v", app)
	}
}

func TestArgsOpenLoopHasNoWindow(t *testing.T) {
	c := validConfig()
	c.Window, c.Rate = 0, 25000
	args := c.Args()
	if flag(args, "--rate") != "25000" || slices.Contains(args, "--window") {
		t.Errorf("open loop args: %v", args)
	}
}

func TestValidateRefusesBadConfigs(t *testing.T) {
	for name, edit := range map[string]func(*Config){
		"no port":          func(c *Config) { c.Port = "" },
		"no prefix":        func(c *Config) { c.Prefix = "" },
		"IPv6 destination": func(c *Config) { c.DstIP = net.ParseIP("fe80::1") },
		"rate and window":  func(c *Config) { c.Rate = 1000 },
		"neither":          func(c *Config) { c.Window = 0 },
		"GET ratio":        func(c *Config) { c.GetRatio = 1.5 },
		"no keys":          func(c *Config) { c.Keys = 0 },
		"no duration":      func(c *Config) { c.Duration = 0 },
	} {
		c := validConfig()
		edit(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := validConfig().Validate(); err != nil {
		t.Errorf("valid config refused: %v", err)
	}
}

func TestOutputSeparatesResultProgressAndTail(t *testing.T) {
	var progress []string
	o := &output{progress: func(l string) { progress = append(progress, l) }}
	text := "EAL: Detected CPU lcores: 2\nkvload: 1s 10 req/s 10 rep/s\n" +
		`{"mode":"closed","requests":10,"replies":8,"lost":1,"wrong":1,"wrong_reply":{"bad_value":1}}` + "\nkvload: bye"
	// arbitrary chunks: lines must be reassembled
	for len(text) > 0 {
		n := min(7, len(text))
		o.Write([]byte(text[:n]))
		text = text[n:]
	}
	if len(progress) != 1 || !strings.HasPrefix(progress[0], "kvload: 1s") {
		t.Errorf("progress lines: %q", progress)
	}
	r, err := parseResult(o.Result())
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 10 || r.WrongReply.BadValue != 1 || !r.Balanced() {
		t.Errorf("result %+v: not read or not balanced", r)
	}
	if tail := o.Tail(); !strings.Contains(tail, "EAL: Detected") || !strings.Contains(tail, "kvload: bye") || strings.Contains(tail, "{") {
		t.Errorf("tail %q", tail)
	}
}

func TestBalancedSeesAMissingRequest(t *testing.T) {
	r := Result{Requests: 10, Replies: 8, Lost: 1}
	if r.Balanced() {
		t.Error("10 requests, 9 accounted for: balanced")
	}
}
