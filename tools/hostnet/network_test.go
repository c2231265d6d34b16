package hostnet

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ukkv/ukkv/tools/process"
)

func TestNetworksAreUniqueAndOwned(t *testing.T) {
	a, err := NewNetwork("")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Remove()
	b, err := NewNetwork("")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Remove()
	if a.Dir == b.Dir || a.Prefix == b.Prefix || a.Tap == b.Tap || a.Socket == b.Socket {
		t.Errorf("two runs share names: %+v %+v", a, b)
	}
	if len(a.Tap) > 15 {
		t.Errorf("TAP name %q longer than IFNAMSIZ-1", a.Tap)
	}
	for _, name := range []string{filepath.Base(a.Dir), a.Prefix, a.Tap} {
		if pid, ok := process.Owner(name); !ok || pid != os.Getpid() {
			t.Errorf("%s does not name this process as its owner", name)
		}
	}
	if a.HostIP[3] != 1 || a.GuestIP[3] != 2 || !a.HostIP.Mask(a.GuestIP.DefaultMask()).Equal(a.GuestIP.Mask(a.GuestIP.DefaultMask())) {
		t.Errorf("host %s guest %s", a.HostIP, a.GuestIP)
	}
	if err := a.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(a.Dir); !os.IsNotExist(err) {
		t.Errorf("run folder %s left after Remove", a.Dir)
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
			n.Remove()
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
	defer n.Remove()
	if n.GuestCIDR() != "10.251.7.2/24" || n.HostIP.String() != "10.251.7.1" {
		t.Errorf("subnet 10.251.7.0/24 gave guest %s host %s", n.GuestCIDR(), n.HostIP)
	}
}
