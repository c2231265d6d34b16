package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"strconv"

	"github.com/ukkv/ukkv/apps/kvstore-go/kv"
)

// options are the server's flags, the same as the C Linux front ends'.
type options struct {
	addr      netip.Addr
	port      uint32
	capacity  uint32
	preload   uint32
	valueSize uint32
}

const usageText = `usage: %[1]s [options]
Serves memcached's UDP text protocol from a fixed-size table.
  --addr ADDR       IPv4 address to bind (default 0.0.0.0)
  --port PORT       UDP port, 0 picks a free one (default 11211)
  --capacity N      items the table holds (default 65536)
  --preload N       keys key:0..key:N-1 inserted at start-up (default 0)
  --value-size B    bytes of each preloaded value (default 32)
  --help            this text
Prints "ready udp ADDR:PORT" once serving; prints its stats and exits on SIGINT or SIGTERM.
`

// errUsage is a bad command line; its message is already printed.
var errUsage = errors.New("bad command line")

// parseFlags parses args (without the program name). It returns
// flag.ErrHelp after printing the usage to stdout for --help, and
// errUsage after printing the reason to stderr for a bad flag.
func parseFlags(prog string, args []string, stdout, stderr io.Writer) (options, error) {
	o := options{addr: netip.IPv4Unspecified(), port: 11211, capacity: 65536, valueSize: 32}
	fs := flag.NewFlagSet(prog, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.Func("addr", "", func(v string) error {
		a, err := netip.ParseAddr(v)
		if err != nil || !a.Is4() {
			return fmt.Errorf("wants an IPv4 address, got %q", v)
		}
		o.addr = a
		return nil
	})
	number(fs, &o.port, "port", 0, 65535)
	number(fs, &o.capacity, "capacity", 1, kv.CapacityMax)
	number(fs, &o.preload, "preload", 0, kv.CapacityMax)
	number(fs, &o.valueSize, "value-size", 0, kv.ItemMax)
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintf(stdout, usageText, prog)
		return o, err
	case err != nil:
		return o, badFlag(stderr, prog, "%v", err)
	case fs.NArg() > 0:
		return o, badFlag(stderr, prog, "unexpected argument %q", fs.Arg(0))
	}
	return o, nil
}

// number defines a flag taking a whole decimal in [min, max].
func number(fs *flag.FlagSet, v *uint32, name string, min, max uint64) {
	fs.Func(name, "", func(s string) error {
		n, err := strconv.ParseUint(s, 10, 32)
		if err != nil || n < min || n > max {
			return fmt.Errorf("wants a number in %d..%d, got %q", min, max, s)
		}
		*v = uint32(n)
		return nil
	})
}

func badFlag(stderr io.Writer, prog, format string, args ...any) error {
	fmt.Fprintf(stderr, "%s: "+format+"\nTry '%s --help'.\n", append(append([]any{prog}, args...), prog)...)
	return errUsage
}
