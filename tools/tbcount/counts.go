// Package tbcount reads a guest's instruction counts from the tbcount
// QEMU plugin (apps/tbcount) and separates the guest's idle loop from its
// work.
package tbcount

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
)

// Counts is how often the instruction at each guest address ran.
type Counts map[uint64]uint64

// PluginArg is QEMU's -plugin value that loads the plugin file lib with
// its snapshot socket at socket.
func PluginArg(lib, socket string) string { return lib + ",socket=" + socket }

// Read takes a snapshot of the counts from the plugin's socket.
func Read(ctx context.Context, socket string) (Counts, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", socket)
	if err != nil {
		return nil, fmt.Errorf("instruction counts: %w", err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	c, err := Parse(conn)
	if err != nil {
		return nil, fmt.Errorf("instruction counts from %s: %w", socket, err)
	}
	return c, nil
}

// Parse reads a snapshot as the plugin writes it: a line per translated
// block, "VADDR EXECS OFFSETS..." (hex, decimal, then each instruction's
// offset from VADDR in hex), then "end". Every instruction of a block
// ran as often as the block.
func Parse(r io.Reader) (Counts, error) {
	c := Counts{}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	blocks := 0
	for sc.Scan() {
		line := sc.Text()
		if line == "end" {
			return c, nil
		}
		if err := c.addBlock(line); err != nil {
			return nil, err
		}
		blocks++
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("snapshot cut short: no end line after %d blocks", blocks)
}

func (c Counts) addBlock(line string) error {
	f := strings.Fields(line)
	if len(f) < 3 {
		return fmt.Errorf("bad snapshot line %q", line)
	}
	addr, err1 := strconv.ParseUint(f[0], 16, 64)
	execs, err2 := strconv.ParseUint(f[1], 10, 64)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("bad snapshot line %q", line)
	}
	for _, o := range f[2:] {
		off, err := strconv.ParseUint(o, 16, 32)
		if err != nil {
			return fmt.Errorf("bad snapshot line %q", line)
		}
		c[addr+off] += execs
	}
	return nil
}

// Since is what ran between the snapshot before and c.
func (c Counts) Since(before Counts) Counts {
	d := Counts{}
	for a, n := range c {
		if n > before[a] {
			d[a] = n - before[a]
		}
	}
	return d
}

// Insns is the number of instructions the counts executed.
func (c Counts) Insns() uint64 {
	var sum uint64
	for _, n := range c {
		sum += n
	}
	return sum
}
