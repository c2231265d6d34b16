package hostnet

import (
	"crypto/rand"
	"fmt"
	"net"
)

// Runs pick their /24 in 10.subnetLo-subnetHi.x.0.
const subnetLo, subnetHi = 200, 249

// Subnet is a /24 of a run: the host takes .1, the far end .2.
type Subnet [3]byte

// PickSubnet returns cidr ("10.9.8.0/24") if it is a free /24, or with
// an empty cidr a free one in 10.200-249.x.0/24.
func PickSubnet(cidr string) (Subnet, error) {
	if cidr != "" {
		return parseSubnet(cidr)
	}
	for try := 0; try < 100; try++ {
		r := randomBytes(2)
		s := Subnet{10, subnetLo + r[0]%(subnetHi-subnetLo+1), r[1]}
		if !s.inUse() {
			return s, nil
		}
	}
	return Subnet{}, fmt.Errorf("no free 10.%d-%d.x.0/24 subnet on this host", subnetLo, subnetHi)
}

func parseSubnet(cidr string) (Subnet, error) {
	ip, ipnet, err := net.ParseCIDR(cidr)
	if err == nil {
		if ones, bits := ipnet.Mask.Size(); ones != 24 || bits != 32 {
			err = fmt.Errorf("not a /24")
		}
	}
	if err != nil || ip.To4() == nil {
		return Subnet{}, fmt.Errorf("subnet %q: want an IPv4 /24 such as 10.9.8.0/24", cidr)
	}
	v4 := ip.To4()
	s := Subnet{v4[0], v4[1], v4[2]}
	if s.inUse() {
		return Subnet{}, fmt.Errorf("subnet %s already in use on this host", cidr)
	}
	return s, nil
}

// Host is the host's address, .1.
func (s Subnet) Host() net.IP { return s.addr(1) }

// Far is the address of the far end (guest, client), .2.
func (s Subnet) Far() net.IP { return s.addr(2) }

func (s Subnet) addr(last byte) net.IP { return net.IPv4(s[0], s[1], s[2], last).To4() }

// CIDR is ip with the subnet's prefix length.
func CIDR(ip net.IP) string { return ip.String() + "/24" }

// inUse says whether a host interface has an address in the subnet.
func (s Subnet) inUse() bool {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return false
	}
	for _, ad := range addrs {
		if ipn, ok := ad.(*net.IPNet); ok {
			if v4 := ipn.IP.To4(); v4 != nil && v4[0] == s[0] && v4[1] == s[1] && v4[2] == s[2] {
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
