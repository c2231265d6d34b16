package main

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"
)

func TestParseFlags(t *testing.T) {
	var out, errOut bytes.Buffer
	o, err := parseFlags(prog, []string{"--addr", "127.0.0.1", "--port=0", "--capacity", "9", "--preload", "3", "--value-size", "1340"}, &out, &errOut)
	if err != nil {
		t.Fatalf("good flags refused: %v %s", err, errOut.String())
	}
	if o.addr.String() != "127.0.0.1" || o.port != 0 || o.capacity != 9 || o.preload != 3 || o.valueSize != 1340 {
		t.Fatalf("parsed %+v", o)
	}
	if o, _ = parseFlags(prog, nil, &out, &errOut); o.addr.String() != "0.0.0.0" || o.port != 11211 || o.capacity != 65536 || o.valueSize != 32 {
		t.Fatalf("defaults %+v", o)
	}
}

func TestParseFlagsRefusesBadOnes(t *testing.T) {
	for _, args := range [][]string{
		{"--port", "65536"}, {"--port", "-1"}, {"--port", "x"}, {"--port"},
		{"--capacity", "0"}, {"--capacity", "1073741825"}, {"--value-size", "1341"},
		{"--addr", "::1"}, {"--addr", "host"}, {"--batch", "4"}, {"extra"},
	} {
		var out, errOut bytes.Buffer
		_, err := parseFlags(prog, args, &out, &errOut)
		if !errors.Is(err, errUsage) || !strings.Contains(errOut.String(), "Try 'kvstore-go --help'") {
			t.Errorf("%q: %v, stderr %q", args, err, errOut.String())
		}
	}
}

func TestHelpListsEveryFlag(t *testing.T) {
	var out, errOut bytes.Buffer
	if _, err := parseFlags(prog, []string{"--help"}, &out, &errOut); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("--help: %v", err)
	}
	for _, f := range []string{"--addr", "--port", "--capacity", "--preload", "--value-size", "--help", "ready udp ADDR:PORT"} {
		if !strings.Contains(out.String(), f) {
			t.Errorf("help lacks %s:\n%s", f, out.String())
		}
	}
}
