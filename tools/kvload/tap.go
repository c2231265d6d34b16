package kvload

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// tapDeadline bounds the wait for kvload to create its TAP device.
const tapDeadline = 30 * time.Second

// TapPort is the --vdev of a TAP device named name, toward the host.
func TapPort(name string) string { return "net_tap0,iface=" + name }

// ConfigureTap gives the host side of the TAP device kvload creates
// (TapPort) the address cidr ("10.1.2.1/24") and brings it up, once the
// device exists. IPv6 is switched off on it so that only our traffic
// crosses the port. The device goes away when kvload ends.
func ConfigureTap(ctx context.Context, name, cidr string) error {
	if err := awaitLink(ctx, name); err != nil {
		return err
	}
	// best effort: a kernel without IPv6 has no such file
	_ = os.WriteFile("/proc/sys/net/ipv6/conf/"+name+"/disable_ipv6", []byte("1"), 0o644)
	if err := ip(ctx, "addr", "add", cidr, "dev", name); err != nil {
		return err
	}
	return ip(ctx, "link", "set", name, "up")
}

func awaitLink(ctx context.Context, name string) error {
	ctx, cancel := context.WithTimeout(ctx, tapDeadline)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if _, err := os.Stat("/sys/class/net/" + name); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("TAP device %s did not appear: %w", name, ctx.Err())
		case <-tick.C:
		}
	}
}

func ip(ctx context.Context, args ...string) error {
	out, err := exec.CommandContext(ctx, "ip", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ip %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}
