package symbols

import "testing"

func TestComponentOf(t *testing.T) {
	for _, c := range []struct {
		f    *Func
		want Component
	}{
		{&Func{Name: "kv_handle", Library: "appkvstore", Object: "kv.o"}, KVCore},
		{&Func{Name: "pkt_parse", Library: "appkvstore", Object: "pkt.o"}, Packet},
		{&Func{Name: "serve", Library: "appkvstore", Object: "raw.o"}, FrontEnd},
		{&Func{Name: "memcpy", Library: "libnolibc", Object: "string.o"}, LibcString},
		{&Func{Name: "strlen", Library: "libnolibc", Object: "string.o"}, LibcString},
		{&Func{Name: "bcmp", Library: "libnolibc", Object: "string.o"}, LibcString},
		{&Func{Name: "strtoul", Library: "libnolibc", Object: "stdlib.o"}, Kernel},
		{&Func{Name: "vfprintf", Library: "libnolibc", Object: "stdio.o"}, Kernel},
		{&Func{Name: "virtio_netdev_recv", Library: "libvirtio_net", Object: "virtio_net.o"}, Driver},
		{&Func{Name: "virtqueue_buffer_dequeue", Library: "libvirtio_ring", Object: "virtio_ring.o"}, Driver},
		{&Func{Name: "uk_netdev_rx_one", Library: "libuknetdev", Object: "netdev.o"}, Driver},
		{&Func{Name: "uk_sglist_append", Library: "libuksglist", Object: "sglist.o"}, Driver},
		{&Func{Name: "udp_input", Library: "liblwip", Object: "udp.o"}, NetStack},
		{&Func{Name: "recvmsg", Library: "libposix_socket", Object: "socket.o"}, NetStack},
		{&Func{Name: "uk_sched_yield", Library: "libuksched", Object: "sched.o"}, Kernel},
		{&Func{Name: "_isr_entry"}, Kernel},
		{nil, Kernel},
	} {
		if got := ComponentOf(c.f); got != c.want {
			t.Errorf("%+v: %q, want %q", c.f, got, c.want)
		}
	}
}

// TestEveryComponentIsListed: a report lists Components; a component
// missing there would lose its instructions from the table.
func TestEveryComponentIsListed(t *testing.T) {
	listed := map[Component]bool{}
	for _, c := range Components {
		listed[c] = true
	}
	for _, c := range libraryComponents {
		if !listed[c] {
			t.Errorf("%q is not in Components", c)
		}
	}
	for _, c := range appObjects {
		if !listed[c] {
			t.Errorf("%q is not in Components", c)
		}
	}
	for _, c := range []Component{FrontEnd, LibcString, Kernel} {
		if !listed[c] {
			t.Errorf("%q is not in Components", c)
		}
	}
}
