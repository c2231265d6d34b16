package boot

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"path/filepath"
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

// Runs pick their /24 in 10.subnetLo-subnetHi.x.0.
const subnetLo, subnetHi = 200, 249

// NewNetwork reserves a run's names and addresses. subnet, if not
// empty, is the /24 to use ("10.9.8.0/24"); it must be free.
func NewNetwork(subnet string) (*Network, error) {
	id := randomHex(3)
	if subnet != "" {
		ip, ipnet, err := net.ParseCIDR(subnet)
		if err == nil {
			ones, bits := ipnet.Mask.Size()
			if ones != 24 || bits != 32 {
				err = fmt.Errorf("not a /24")
			}
		}
		if err != nil || ip.To4() == nil {
			return nil, fmt.Errorf("subnet %q: want an IPv4 /24 such as 10.9.8.0/24", subnet)
		}
		v4 := ip.To4()
		if inUse(v4[0], v4[1], v4[2]) {
			return nil, fmt.Errorf("subnet %s already in use on this host", subnet)
		}
		return newNetwork(id, [3]byte{v4[0], v4[1], v4[2]})
	}
	for try := 0; try < 100; try++ {
		r := randomBytes(2)
		a, b := subnetLo+r[0]%(subnetHi-subnetLo+1), r[1]
		if !inUse(10, a, b) {
			return newNetwork(id, [3]byte{10, a, b})
		}
	}
	return nil, fmt.Errorf("no free 10.%d-%d.x.0/24 subnet on this host", subnetLo, subnetHi)
}

func newNetwork(id string, s [3]byte) (*Network, error) {
	dir, err := os.MkdirTemp("", "ukkv-run-"+id+"-")
	if err != nil {
		return nil, fmt.Errorf("run folder: %w", err)
	}
	return &Network{
		Dir:     dir,
		Socket:  filepath.Join(dir, "vhost.sock"),
		Prefix:  "ukkv" + id,
		Tap:     "ukkv" + id,
		HostIP:  net.IPv4(s[0], s[1], s[2], 1).To4(),
		GuestIP: net.IPv4(s[0], s[1], s[2], 2).To4(),
		MAC:     fmt.Sprintf("52:54:00:%02x:%02x:02", s[1], s[2]),
	}, nil
}

// GuestCIDR is the guest's address with its prefix length.
func (n *Network) GuestCIDR() string { return n.GuestIP.String() + "/24" }

// inUse says whether a host interface has an address in a.b.c.0/24.
func inUse(a, b, c byte) bool {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return false
	}
	for _, ad := range addrs {
		if ipn, ok := ad.(*net.IPNet); ok {
			if v4 := ipn.IP.To4(); v4 != nil && v4[0] == a && v4[1] == b && v4[2] == c {
				return true
			}
		}
	}
	return false
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand does not fail on Linux
	return b
}

func randomHex(n int) string { return hex.EncodeToString(randomBytes(n)) }
