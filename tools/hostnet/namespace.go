package hostnet

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"

	"github.com/ukkv/ukkv/tools/process"
)

// Namespace is a network namespace joined to the host by a veth pair:
// the host's end has the subnet's .1, the end inside the namespace .2.
// A program started with Command inside it reaches the host (and what
// the host routes) only over the pair, as a client on another machine
// would over a cable.
type Namespace struct {
	Name     string // of the namespace: `ip netns exec NAME`
	HostLink string // the host's end of the pair
	Link     string // the end inside the namespace
	HostIP   net.IP
	IP       net.IP // the address inside the namespace
}

// NewNamespace makes a namespace and its veth pair on subnet ("" picks a
// free /24, see PickSubnet). Remove takes both away; what a killed owner
// leaves, Sweep removes.
func NewNamespace(ctx context.Context, subnet string) (*Namespace, error) {
	s, err := PickSubnet(subnet)
	if err != nil {
		return nil, err
	}
	id := process.OwnedName()
	ns := &Namespace{Name: id, HostLink: id + "h", Link: id + "n", HostIP: s.Host(), IP: s.Far()}
	if err := ns.create(ctx); err != nil {
		return nil, errors.Join(err, ns.Remove())
	}
	return ns, nil
}

func (ns *Namespace) create(ctx context.Context) error {
	if err := ip(ctx, "netns", "add", ns.Name); err != nil {
		return err
	}
	if err := ip(ctx, "link", "add", ns.HostLink, "type", "veth", "peer", "name", ns.Link, "netns", ns.Name); err != nil {
		return err
	}
	quietIPv6(ns.HostLink)
	for _, args := range [][]string{
		{"addr", "add", CIDR(ns.HostIP), "dev", ns.HostLink},
		{"link", "set", ns.HostLink, "up"},
		{"-n", ns.Name, "addr", "add", CIDR(ns.IP), "dev", ns.Link},
		{"-n", ns.Name, "link", "set", ns.Link, "up"},
		{"-n", ns.Name, "link", "set", "lo", "up"},
	} {
		if err := ip(ctx, args...); err != nil {
			return fmt.Errorf("namespace %s: %w", ns.Name, err)
		}
	}
	return nil
}

// FullChecksums makes the host's end of the pair send every frame with
// its IPv4 and UDP checksums filled in: by default the kernel leaves
// them to an offload that a DPDK af_packet port at the other end never
// performs, so its program would find them wrong.
func (ns *Namespace) FullChecksums(ctx context.Context) error {
	out, err := exec.CommandContext(ctx, "ethtool", "-K", ns.HostLink, "tx", "off").CombinedOutput()
	if err != nil {
		return fmt.Errorf("ethtool -K %s tx off: %w: %s (ethtool is in the Debian package ethtool)", ns.HostLink, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// Command is name with args to run inside the namespace.
func (ns *Namespace) Command(ctx context.Context, name string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", ns.Name, name}, args...)...)
}

// Remove deletes the veth pair, then the namespace. The pair goes first:
// the kernel frees a deleted namespace's devices later, in the
// background, and the host's end would linger until then.
func (ns *Namespace) Remove() error {
	return errors.Join(RemoveLink(ns.HostLink), removeNamespace(ns.Name))
}

// netnsDir is where `ip netns` keeps named namespaces.
const netnsDir = "/var/run/netns"

func namespaceExists(name string) bool {
	_, err := os.Stat(netnsDir + "/" + name)
	return err == nil
}

// removeNamespace deletes a namespace if it exists.
func removeNamespace(name string) error {
	if !namespaceExists(name) {
		return nil
	}
	if err := ipTeardown("netns", "del", name); err != nil && namespaceExists(name) {
		return err
	}
	return nil
}
