package hostnet

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// linksDir lists the network interfaces by name.
const linksDir = "/sys/class/net"

// teardownTimeout bounds one `ip` command of a teardown, which runs
// even once the run's context has ended.
const teardownTimeout = 10 * time.Second

// ip runs `ip args...`; its error quotes what ip said.
func ip(ctx context.Context, args ...string) error {
	out, err := exec.CommandContext(ctx, "ip", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ip %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// ipTeardown runs an `ip` command of a teardown.
func ipTeardown(args ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), teardownTimeout)
	defer cancel()
	return ip(ctx, args...)
}

// LinkExists says whether a network interface of that name exists.
func LinkExists(name string) bool {
	_, err := os.Stat(linksDir + "/" + name)
	return err == nil
}

// RemoveLink deletes a network interface if it exists (a veth pair goes
// with either end).
func RemoveLink(name string) error {
	if name == "" || !LinkExists(name) {
		return nil
	}
	if err := ipTeardown("link", "del", name); err != nil && LinkExists(name) {
		return err
	}
	// gone, if not by us: a TAP device goes once its program's exit
	// closed it, which may happen meanwhile
	return nil
}
