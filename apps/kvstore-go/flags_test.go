package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestParseFlags(t *testing.T) {
	var out, errOut bytes.Buffer
	o, err := parseFlags(prog, []string{"--addr", "127.0.0.1", "--port=0", "--capacity", "9", "--preload", "3", "--value-size", "1334"}, &out, &errOut)
	if err != nil {
		t.Fatalf("good flags refused: %v %s", err, errOut.String())
	}
	if o.addr.String() != "127.0.0.1" || o.port != 0 || o.capacity != 9 || o.preload != 3 || o.valueSize != 1334 {
		t.Fatalf("parsed %+v", o)
	}
	if o, _ = parseFlags(prog, nil, &out, &errOut); o.addr.String() != "0.0.0.0" || o.port != 11211 || o.capacity != 65536 || o.valueSize != 32 {
		t.Fatalf("defaults %+v", o)
	}
	if o, err = parseFlags(prog, []string{"--capacity", "007"}, &out, &errOut); err != nil || o.capacity != 7 {
		t.Fatalf("--capacity 007: %+v %v", o, err)
	}
	for val, blocking := range map[string]bool{"blocking": true, "poller": false} {
		if o, err = parseFlags(prog, []string{"--io", val}, &out, &errOut); err != nil || o.blocking != blocking {
			t.Fatalf("--io %s: %+v %v", val, o, err)
		}
	}
}

func TestParseFlagsRefusesAnUnknownIOMode(t *testing.T) {
	var out, errOut bytes.Buffer
	if _, err := parseFlags(prog, []string{"--io", "epoll"}, &out, &errOut); !errors.Is(err, errUsage) ||
		!strings.Contains(errOut.String(), `--io wants poller or blocking, got "epoll"`) {
		t.Errorf("--io epoll: %v, stderr %q", err, errOut.String())
	}
}

// TestParseFlagsRefusesAsTheCFrontEndsDo takes its cases and messages
// from apps/kvstore/tests/options_test.c.
func TestParseFlagsRefusesAsTheCFrontEndsDo(t *testing.T) {
	cases := []struct {
		args []string
		says string
	}{
		{[]string{"--port", "65536"}, "0..65535"},
		{[]string{"--capacity", "0"}, "1..1073741824"},
		{[]string{"--preload", "4294967295"}, "0..1073741824"},
		{[]string{"--value-size", "1341"}, "0..1340"},
		{[]string{"--preload", "101", "--capacity", "100"}, "holds 100 items"},
		{[]string{"--preload", "10", "--value-size", "1336"}, "key:9"},
		{[]string{"--addr", "::1"}, "wants an IPv4 address"},
		{[]string{"--addr", "host"}, "wants an IPv4 address"},
		{[]string{"--nope"}, `unknown flag "--nope"`},
		{[]string{"--cap", "5"}, `unknown flag "--cap"`},
		{[]string{"--batch", "4"}, `unknown flag "--batch"`},
		{[]string{"--ip", "1.2.3.4"}, `unknown flag "--ip"`},
		{[]string{"--port"}, "--port needs a value"},
		{[]string{"-p", "1"}, `unexpected argument "-p"`},
		{[]string{"-port", "1"}, `unexpected argument "-port"`},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"--help=1"}, "takes no value"},
	}
	for _, bad := range []string{"+5", "-5", " 5", "5 ", "", "0x10", "5k", "99999999999999999999"} {
		cases = append(cases, struct {
			args []string
			says string
		}{[]string{"--capacity", bad}, "--capacity wants a number"})
	}
	for _, tc := range cases {
		var out, errOut bytes.Buffer
		_, err := parseFlags(prog, tc.args, &out, &errOut)
		if !errors.Is(err, errUsage) || !strings.Contains(errOut.String(), tc.says) ||
			!strings.HasSuffix(errOut.String(), "Try 'kvstore-go --help'.\n") {
			t.Errorf("%q: %v, stderr %q, want %q", tc.args, err, errOut.String(), tc.says)
		}
	}
}

func TestHelpListsEveryFlag(t *testing.T) {
	var out, errOut bytes.Buffer
	if _, err := parseFlags(prog, []string{"--port", "1", "--help"}, &out, &errOut); !errors.Is(err, errHelp) {
		t.Fatalf("--help: %v", err)
	}
	for _, f := range []string{"--addr", "--port", "--capacity", "--preload", "--value-size", "--io", "--help", "ready udp ADDR:PORT"} {
		if !strings.Contains(out.String(), f) {
			t.Errorf("help lacks %s:\n%s", f, out.String())
		}
	}
}
