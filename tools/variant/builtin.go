package variant

// coreSources is the I/O-free KV core every front end links.
var coreSources = []string{"apps/kvstore/core/kv.c"}

// unikraftSources are the start-up and shutdown every Unikraft front end
// shares, with the core; lwipSources add the UDP socket both lwIP ones bind.
var (
	unikraftSources = append([]string{"apps/kvstore/unikraft/main.c"}, coreSources...)
	lwipSources     = append([]string{"apps/kvstore/unikraft/udpsock.c"}, unikraftSources...)
)

func init() {
	register(&Variant{
		Name:        "raw-uknetdev",
		Kind:        Unikraft,
		Description: "no network stack: polls the uknetdev rx queue in bursts, answers ARP, parses Ethernet/IPv4/UDP itself",
		Sources:     append([]string{"apps/kvstore/unikraft/raw.c", "apps/kvstore/core/pkt.c"}, unikraftSources...),
		Includes:    []string{"apps/kvstore/core"},
		KConfig: map[string]string{
			"CONFIG_LIBUKNETDEV": "y",
			// main.c seeds from uk/swrand.h; lwIP selects it, raw must ask
			"CONFIG_LIBUKSWRAND": "y",
		},
		ReadyLine: "ready udp ",
	})
	register(&Variant{
		Name:        "lwip-socket",
		Kind:        Unikraft,
		Description: "lwIP sockets, one recvmsg/sendmsg per request",
		Sources:     append([]string{"apps/kvstore/unikraft/socket.c"}, lwipSources...),
		Includes:    []string{"apps/kvstore/core"},
		Libraries:   []Library{{Name: "lwip", KConfig: map[string]string{"CONFIG_LIBLWIP": "y"}}},
		ReadyLine:   "ready udp ",
	})
	register(&Variant{
		Name:        "batched",
		Kind:        Unikraft,
		Description: "lwIP sockets, up to 32 datagrams per wake-up through non-blocking receives",
		Sources:     append([]string{"apps/kvstore/unikraft/batched.c"}, lwipSources...),
		Includes:    []string{"apps/kvstore/core"},
		// batched.c waits in poll()
		KConfig:   map[string]string{"CONFIG_LIBPOSIX_POLL": "y"},
		Libraries: []Library{{Name: "lwip", KConfig: map[string]string{"CONFIG_LIBLWIP": "y"}}},
		ReadyLine: "ready udp ",
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
