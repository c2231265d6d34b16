package boot

import (
	"os"
	"strings"
	"testing"
)

func TestNetworksAreUnique(t *testing.T) {
	a, err := NewNetwork("")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(a.Dir)
	b, err := NewNetwork("")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(b.Dir)
	if a.Dir == b.Dir || a.Prefix == b.Prefix || a.Tap == b.Tap || a.Socket == b.Socket {
		t.Errorf("two runs share names: %+v %+v", a, b)
	}
	if len(a.Tap) > 15 {
		t.Errorf("TAP name %q longer than IFNAMSIZ-1", a.Tap)
	}
	if a.HostIP[3] != 1 || a.GuestIP[3] != 2 || !a.HostIP.Mask(a.GuestIP.DefaultMask()).Equal(a.GuestIP.Mask(a.GuestIP.DefaultMask())) {
		t.Errorf("host %s guest %s", a.HostIP, a.GuestIP)
	}
}

func TestSubnetInUseOrBadIsRefused(t *testing.T) {
	for subnet, want := range map[string]string{
		"127.0.0.0/24": "already in use",
		"10.1.2.0/16":  "want an IPv4 /24",
		"nonsense":     "want an IPv4 /24",
		"fd00::/64":    "want an IPv4 /24",
	} {
		n, err := NewNetwork(subnet)
		if err == nil {
			os.RemoveAll(n.Dir)
			t.Errorf("subnet %s accepted", subnet)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("subnet %s: %v, want %q", subnet, err, want)
		}
	}
	n, err := NewNetwork("10.251.7.0/24")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(n.Dir)
	if n.GuestCIDR() != "10.251.7.2/24" || n.HostIP.String() != "10.251.7.1" {
		t.Errorf("subnet 10.251.7.0/24 gave guest %s host %s", n.GuestCIDR(), n.HostIP)
	}
}
