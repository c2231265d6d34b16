package variant

// coreSources is the I/O-free KV core every front end links.
var coreSources = []string{"apps/kvstore/core/kv.c"}

func init() {
	register(&Variant{
		Name:        "raw-uknetdev",
		Kind:        Unikraft,
		Description: "no network stack: polls the uknetdev rx queue in bursts, answers ARP, parses Ethernet/IPv4/UDP itself",
		Sources:     append([]string{"apps/kvstore/unikraft/raw.c", "apps/kvstore/core/pkt.c"}, coreSources...),
		Includes:    []string{"apps/kvstore/core"},
		KConfig: map[string]string{
			"CONFIG_LIBUKNETDEV": "y",
		},
		ReadyLine: "ready udp ",
	})
	register(&Variant{
		Name:        "lwip-socket",
		Kind:        Unikraft,
		Description: "lwIP sockets, one recvmsg/sendmsg per request",
		Sources:     append([]string{"apps/kvstore/unikraft/socket.c"}, coreSources...),
		Includes:    []string{"apps/kvstore/core"},
		Libraries:   []Library{{Name: "lwip", KConfig: map[string]string{"CONFIG_LIBLWIP": "y"}}},
		ReadyLine:   "ready udp ",
	})
	register(&Variant{
		Name:        "batched",
		Kind:        Unikraft,
		Description: "lwIP sockets, up to 32 datagrams per wake-up through non-blocking receives",
		Sources:     append([]string{"apps/kvstore/unikraft/batched.c"}, coreSources...),
		Includes:    []string{"apps/kvstore/core"},
		Libraries:   []Library{{Name: "lwip", KConfig: map[string]string{"CONFIG_LIBLWIP": "y"}}},
		ReadyLine:   "ready udp ",
	})
	register(&Variant{
		Name:        "linux-single",
		Kind:        LinuxGuest,
		Description: "Linux guest, one recvmsg/sendmsg per request",
		Program:     "kvstore-linux-single",
		ReadyLine:   "ready udp ",
	})
	register(&Variant{
		Name:        "linux-batch",
		Kind:        LinuxGuest,
		Description: "Linux guest, recvmmsg/sendmmsg in batches of 32",
		Program:     "kvstore-linux-batch",
		ReadyLine:   "ready udp ",
	})
}
