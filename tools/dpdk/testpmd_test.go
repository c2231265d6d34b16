package dpdk

import (
	"strings"
	"testing"
)

func TestTestpmdArgs(t *testing.T) {
	tp := Testpmd{Prefix: "ukkvabc", Socket: "/r/vhost.sock", Tap: "ukkvabc"}
	noHuge := strings.Join(tp.Args(false), " ")
	for _, want := range []string{
		"--file-prefix ukkvabc", "--no-huge -m 256", "--no-pci",
		"--vdev net_vhost0,iface=/r/vhost.sock,queues=1",
		"--vdev net_tap0,iface=ukkvabc",
		"-- --forward-mode=io", "--total-num-mbufs=16384",
	} {
		if !strings.Contains(noHuge, want) {
			t.Errorf("args lack %q:\n%s", want, noHuge)
		}
	}
	if huge := strings.Join(tp.Args(true), " "); strings.Contains(huge, "--no-huge") {
		t.Errorf("--no-huge with hugepages: %s", huge)
	}
}

func TestLcoresNameTwoLcores(t *testing.T) {
	l := lcores()
	parts := strings.Split(l, ",")
	if len(parts) != 2 || !strings.HasPrefix(parts[0], "0@") || !strings.HasPrefix(parts[1], "1@") {
		t.Errorf("lcores %q", l)
	}
}
