// Package hostnet owns what a run holds of the host's network and
// folders: its /24, its run folder, TAP devices, network namespaces and
// veth pairs, and every `ip` command. Every such name carries its
// owner's process id (process.OwnedName), so that Sweep can remove what
// a killed run left behind.
package hostnet

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"

	"github.com/ukkv/ukkv/tools/process"
)

// Network is what one run owns on the host, all of it unique to the run
// so that two runs at once do not collide: a folder for sockets and
// logs, a DPDK file prefix, a TAP name and a /24 (host .1, guest .2).
type Network struct {
	Dir     string
	Socket  string // the guest's vhost-user socket
	Prefix  string // DPDK --file-prefix
	Tap     string
	HostIP  net.IP
	GuestIP net.IP
	MAC     string // the guest NIC's
}

// NewNetwork reserves a run's names and addresses and makes its folder.
// subnet, if not empty, is the /24 to use ("10.9.8.0/24"); it must be
// free.
func NewNetwork(subnet string) (*Network, error) {
	s, err := PickSubnet(subnet)
	if err != nil {
		return nil, err
	}
	// one owned name for all of the run's state, so that its parts are
	// easy to tell apart from another run's
	id := process.OwnedName()
	dir, err := os.MkdirTemp("", id+"-run-")
	if err != nil {
		return nil, fmt.Errorf("run folder: %w", err)
	}
	return &Network{
		Dir:     dir,
		Socket:  filepath.Join(dir, "vhost.sock"),
		Prefix:  id,
		Tap:     id,
		HostIP:  s.Host(),
		GuestIP: s.Far(),
		MAC:     fmt.Sprintf("52:54:00:%02x:%02x:02", s[1], s[2]),
	}, nil
}

// GuestCIDR is the guest's address with its prefix length.
func (n *Network) GuestCIDR() string { return CIDR(n.GuestIP) }

// Remove removes the run's folder and its TAP device if it outlived the
// program that made it.
func (n *Network) Remove() error {
	return errors.Join(os.RemoveAll(n.Dir), RemoveLink(n.Tap))
}
