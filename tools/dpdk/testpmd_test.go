package dpdk

import (
	"strings"
	"testing"
)

func TestSwitchArgs(t *testing.T) {
	tp := Switch("ukkv12_0", "/r/vhost.sock", "ukkv12_0", nil)
	tp.Hugepages = false
	noHuge := strings.Join(tp.Args(), " ")
	for _, want := range []string{
		"--file-prefix ukkv12_0", "--no-huge -m 256", "--no-pci",
		"--vdev net_vhost0,iface=/r/vhost.sock,queues=1",
		"--vdev net_tap0,iface=ukkv12_0",
		"-- --forward-mode=io", "--total-num-mbufs=16384", "--no-mlockall",
	} {
		if !strings.Contains(noHuge, want) {
			t.Errorf("args lack %q:\n%s", want, noHuge)
		}
	}
	tp.Hugepages = true
	if huge := strings.Join(tp.Args(), " "); strings.Contains(huge, "--no-huge") {
		t.Errorf("--no-huge with hugepages: %s", huge)
	}
	if tp.Serves != "/r/vhost.sock" {
		t.Errorf("the switch serves %q", tp.Serves)
	}
}

func TestSwitchToArgs(t *testing.T) {
	for _, outside := range []string{SecondVhostPort("/r/client.sock"), AfPacketPort("ukkv12_0h")} {
		tp := SwitchTo("ukkv12_2", "/r/vhost.sock", outside, 3, nil)
		args := strings.Join(tp.Args(), " ")
		for _, want := range []string{"--lcores 0@3,1@3", "--vdev net_vhost0,iface=/r/vhost.sock,queues=1 --vdev " + outside, "-- --forward-mode=io"} {
			if !strings.Contains(args, want) {
				t.Errorf("args lack %q:\n%s", want, args)
			}
		}
		if tp.Serves != "/r/vhost.sock" {
			t.Errorf("the switch serves %q", tp.Serves)
		}
	}
	if got := SecondVhostPort("/s"); got != "net_vhost1,iface=/s,queues=1" {
		t.Errorf("second vhost port %q", got)
	}
}

func TestMacswapArgs(t *testing.T) {
	tp := Macswap("ukkv12_1", "/r/vhost.sock", ClientCPU(), nil)
	args := strings.Join(tp.Args(), " ")
	for _, want := range []string{
		"--file-prefix ukkv12_1", "--no-huge -m 256",
		"--vdev net_virtio_user0,path=/r/vhost.sock,queues=1",
		"-- --forward-mode=macswap",
	} {
		if !strings.Contains(args, want) {
			t.Errorf("args lack %q:\n%s", want, args)
		}
	}
	if tp.Serves != "" {
		t.Errorf("macswap is a client, yet waits for %q", tp.Serves)
	}
}
