package hostnet

import (
	"context"
	"fmt"
	"os"
	"time"
)

// tapDeadline bounds the wait for a DPDK program to create its TAP device.
const tapDeadline = 30 * time.Second

// ConfigureTap gives the host side of a TAP device that a DPDK program
// creates (its net_tap port) the address cidr ("10.1.2.1/24") and brings
// it up, once the device exists. IPv6 is switched off on it so that only
// our traffic crosses the port. The device goes away with the program.
func ConfigureTap(ctx context.Context, name, cidr string) error {
	if err := awaitLink(ctx, name); err != nil {
		return err
	}
	quietIPv6(name)
	if err := ip(ctx, "addr", "add", cidr, "dev", name); err != nil {
		return err
	}
	return ip(ctx, "link", "set", name, "up")
}

// quietIPv6 switches IPv6 off on a link, so that the kernel sends no
// router or neighbour solicitations through it. Best effort: a kernel
// without IPv6 has no such file.
func quietIPv6(name string) {
	_ = os.WriteFile("/proc/sys/net/ipv6/conf/"+name+"/disable_ipv6", []byte("1"), 0o644)
}

func awaitLink(ctx context.Context, name string) error {
	ctx, cancel := context.WithTimeout(ctx, tapDeadline)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !LinkExists(name) {
		select {
		case <-ctx.Done():
			return fmt.Errorf("TAP device %s did not appear: %w", name, ctx.Err())
		case <-tick.C:
		}
	}
	return nil
}
