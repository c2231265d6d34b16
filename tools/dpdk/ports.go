package dpdk

// The ports our DPDK programs use, each as the argument of a --vdev.

// VhostPort is a vhost-user port serving on socket (the server side,
// which a guest's QEMU or a virtio_user port connects to).
func VhostPort(socket string) string {
	return "net_vhost0,iface=" + socket + ",queues=1"
}

// VirtioUserPort is a virtio_user port connecting to the vhost-user
// server on socket.
func VirtioUserPort(socket string) string {
	return "net_virtio_user0,path=" + socket + ",queues=1"
}

// TapPort is a TAP device named name toward the host's kernel; the
// device lives as long as the program.
func TapPort(name string) string { return "net_tap0,iface=" + name }

// RingPort is an in-process loopback: what is sent comes back.
const RingPort = "net_ring0"

// SecondVhostPort is a second vhost-user port of one program, serving
// on socket.
func SecondVhostPort(socket string) string {
	return "net_vhost1,iface=" + socket + ",queues=1"
}

// AfPacketPort is an af_packet port on the kernel interface iface (one
// end of a veth pair, say).
func AfPacketPort(iface string) string { return "net_af_packet0,iface=" + iface }
