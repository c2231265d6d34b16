package boot

import (
	"context"
	"encoding/binary"
	"net"
	"testing"
	"time"

	"github.com/ukkv/ukkv/tools/internal/testenv"
	"github.com/ukkv/ukkv/tools/variant"
)

// TestDPDKGuestDrivesTheNIC boots a Linux guest whose program is
// Debian's dpdk-testpmd on the virtio PMD over uio_pci_generic, in
// icmpecho mode: a ping from the host through the TAP proves the NIC is
// DPDK's inside the guest, the path a DPDK server in the guest takes.
func TestDPDKGuestDrivesTheNIC(t *testing.T) {
	needHost(t)
	testenv.NeedCommands(t, map[string]string{"dpdk-testpmd": "dpdk-dev"})
	probe := &variant.Variant{Name: "dpdk-guest-probe", Kind: variant.LinuxGuest,
		Program: "dpdk-testpmd", Package: "dpdk-dev", DPDK: true, MemoryMiB: 512}
	img, err := ImageFor(context.Background(), testenv.Repo(t), testenv.Cache(t), probe)
	if err != nil {
		t.Fatal(err)
	}
	img.ReadyLine = "Port 0: 52:54:00"
	g, err := Start(context.Background(), Options{Image: img, Accel: testenv.Accel(t),
		Server: []string{"--lcores", "0@0,1@0", "-n", "1", "--", "--forward-mode=icmpecho", "--total-num-mbufs=2048"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = g.Stop() })
	if err := ping(g.Net.GuestIP, 60*time.Second); err != nil {
		t.Fatalf("no echo from testpmd in the guest: %v\nconsole:\n%s", err, g.ConsoleTail())
	}
	left := leftoversOf(g)
	if err := g.Stop(); err != nil {
		t.Fatal(err)
	}
	left.assertGone(t)
}

// ping sends ICMP echo requests to ip until one is answered.
func ping(ip net.IP, within time.Duration) error {
	c, err := net.ListenPacket("ip4:icmp", "0.0.0.0")
	if err != nil {
		return err
	}
	defer c.Close()
	deadline := time.Now().Add(within)
	buf := make([]byte, 1500)
	for seq := uint16(1); time.Now().Before(deadline); seq++ {
		if _, err := c.WriteTo(echoRequest(seq), &net.IPAddr{IP: ip}); err != nil {
			return err
		}
		_ = c.SetReadDeadline(time.Now().Add(time.Second))
		for {
			n, from, err := c.ReadFrom(buf)
			if err != nil {
				break // timeout: send the next request
			}
			if from.(*net.IPAddr).IP.Equal(ip) && n >= 8 && buf[0] == 0 {
				return nil
			}
		}
	}
	return context.DeadlineExceeded
}

// echoRequest is an ICMP echo request with its checksum.
func echoRequest(seq uint16) []byte {
	m := []byte{8, 0, 0, 0, 0x75, 0x6b, 0, 0, 'u', 'k', 'k', 'v'}
	binary.BigEndian.PutUint16(m[6:], seq)
	var sum uint32
	for i := 0; i < len(m); i += 2 {
		sum += uint32(m[i])<<8 | uint32(m[i+1])
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	binary.BigEndian.PutUint16(m[2:], ^uint16(sum))
	return m
}
