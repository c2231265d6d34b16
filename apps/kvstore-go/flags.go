package main

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"

	"github.com/ukkv/ukkv/apps/kvstore-go/kv"
)

// options are the server's flags, parsed as apps/kvstore/common/options.c
// parses the C socket front ends': the same command line means the same,
// and a bad one gets the same message.
type options struct {
	addr      netip.Addr
	port      uint32
	capacity  uint32
	preload   uint32
	valueSize uint32
	// blocking: the socket is left out of Go's network poller (--io)
	blocking bool
}

const usageText = `usage: %[1]s [options]
Serves memcached's UDP text protocol from a fixed-size table.
  --addr ADDR       IPv4 address to bind (default 0.0.0.0)
  --port PORT       UDP port, 0 picks a free one, 0-65535 (default 11211)
  --capacity N      items the table holds, 1-%[2]d (default 65536)
  --preload N       keys key:0..key:N-1 inserted at start-up, N at most --capacity (default 0)
  --value-size B    bytes of each preloaded value, at most %[3]d less the longest key's length (default 32)
  --io MODE         poller: Go's network poller (default); blocking: one thread blocks in recvfrom
  --help            this text
Values follow their flag (--port 11211 or --port=11211). Prints "ready udp ADDR:PORT"
once serving. Exits 0 after a clean stop, 1 when it cannot start or serve, 2 on
a bad flag.
`

var (
	// errHelp is --help: the usage is printed, exit 0.
	errHelp = errors.New("help")
	// errUsage is a bad command line; its message is printed, exit 2.
	errUsage = errors.New("bad command line")
)

// parseFlags parses args (without the program name): "--flag VALUE" or
// "--flag=VALUE", nothing else. It returns errHelp after printing the
// usage to stdout, errUsage after printing the reason to stderr.
func parseFlags(prog string, args []string, stdout, stderr io.Writer) (options, error) {
	o := options{addr: netip.IPv4Unspecified(), port: 11211, capacity: 65536, valueSize: 32}
	bad := func(format string, a ...any) (options, error) {
		fmt.Fprintf(stderr, "%s: %s\nTry '%s --help'.\n", prog, fmt.Sprintf(format, a...), prog)
		return o, errUsage
	}
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if !strings.HasPrefix(arg, "--") || arg == "--" {
			return bad("unexpected argument %q", arg)
		}
		name, val, hasVal := strings.Cut(arg[2:], "=")
		if name == "help" {
			if hasVal {
				return bad("--help takes no value")
			}
			fmt.Fprintf(stdout, usageText, prog, kv.CapacityMax, kv.ItemMax)
			return o, errHelp
		}
		if !knownFlag(name) {
			return bad("unknown flag %q", arg)
		}
		if !hasVal {
			if i+1 == len(args) {
				return bad("%s needs a value", arg)
			}
			i++
			val = args[i]
		}
		if msg := o.set(name, val); msg != "" {
			return bad("%s", msg)
		}
	}
	if msg := o.checkPreload(); msg != "" {
		return bad("%s", msg)
	}
	return o, nil
}

func knownFlag(name string) bool {
	switch name {
	case "addr", "port", "capacity", "preload", "value-size", "io":
		return true
	}
	return false
}

// set sets flag name to val; it returns what is wrong with val, or "".
func (o *options) set(name, val string) string {
	if name == "io" {
		if val != "poller" && val != "blocking" {
			return fmt.Sprintf("--io wants poller or blocking, got %q", val)
		}
		o.blocking = val == "blocking"
		return ""
	}
	if name == "addr" {
		a, err := netip.ParseAddr(val)
		if err != nil || !a.Is4() {
			return fmt.Sprintf("--addr wants an IPv4 address, got %q", val)
		}
		o.addr = a
		return ""
	}
	dst, min, max := &o.port, uint64(0), uint64(65535)
	switch name {
	case "capacity":
		dst, min, max = &o.capacity, 1, kv.CapacityMax
	case "preload":
		dst, max = &o.preload, kv.CapacityMax
	case "value-size":
		dst, max = &o.valueSize, kv.ItemMax
	}
	// plain decimals only: ParseUint takes no sign, space or prefix
	n, err := strconv.ParseUint(val, 10, 32)
	if err != nil || n < min || n > max {
		return fmt.Sprintf("--%s wants a number in %d..%d, got %q", name, min, max, val)
	}
	*dst = uint32(n)
	return ""
}

// checkPreload says what keeps the preload from fitting the table or a
// datagram, or "".
func (o *options) checkPreload() string {
	if o.preload == 0 {
		return ""
	}
	if o.preload > o.capacity {
		return fmt.Sprintf("--preload %d: the table holds %d items (--capacity)", o.preload, o.capacity)
	}
	// the longest key is the last one
	key := kv.PreloadKey(nil, o.preload-1)
	if int(o.valueSize) > kv.ValueMax(len(key)) {
		return fmt.Sprintf("--value-size %d: a value is at most %d bytes less its key, %d bytes beside key %s",
			o.valueSize, kv.ItemMax, kv.ValueMax(len(key)), key)
	}
	return ""
}
