package variant

import "fmt"

// kvstoreApp is the Unikraft app of the KV server: its Config.uk
// chooses the front end; its Makefile.uk compiles that front end, the
// start-up code, the options unit all front ends share and the KV core
// from these folders.
const kvstoreApp = "apps/kvstore/unikraft"

var kvstoreInputs = []string{kvstoreApp, "apps/kvstore/common", "apps/kvstore/core"}

// unikraftKConfig is the Unikraft core configuration all three Unikraft
// variants share, so that they differ only in what the front end needs.
var unikraftKConfig = map[string]string{
	// the virtio-net driver on QEMU's PCI bus, behind uknetdev
	"CONFIG_LIBUKNETDEV":   "y",
	"CONFIG_LIBVIRTIO_NET": "y",
	"CONFIG_LIBVIRTIO_PCI": "y",
	// the guest address comes from the netdev.ip=ADDR/PREFIX:GW kernel
	// parameter, read through the netdev's einfo (lwIP and raw alike)
	"CONFIG_LIBUKLIBPARAM":              "y",
	"CONFIG_LIBUKNETDEV_EINFO_LIBPARAM": "y",
	// main.c seeds the table's hash from uk/swrand.h
	"CONFIG_LIBUKSWRAND": "y",
	// the binary buddy allocator serves the table and the packet pool
	"CONFIG_LIBUKALLOCBBUDDY":     "y",
	"CONFIG_LIBUKBOOT_INITBBUDDY": "y",
	// size: no assertions, library info, VGA console, virtio-mmio or
	// large banner, none of which a serial-console guest on PCI uses
	"CONFIG_LIBUKDEBUG_ENABLE_ASSERT": "n",
	"CONFIG_LIBUKLIBID_INFO":          "n",
	"CONFIG_KVM_KERNEL_VGA_CONSOLE":   "n",
	"CONFIG_KVM_DEBUG_VGA_CONSOLE":    "n",
	"CONFIG_LIBVIRTIO_MMIO":           "n",
	"CONFIG_LIBUKBOOT_BANNER_MINIMAL": "y",
}

// lwipUDP is lib-lwip configured as a threaded UDP-only stack under the
// socket API: the server speaks no TCP and resolves no names.
func lwipUDP() Library {
	return Library{Name: "lwip", KConfig: map[string]string{
		"CONFIG_LIBLWIP":       "y",
		"CONFIG_LWIP_UKNETDEV": "y",
		"CONFIG_LWIP_THREADS":  "y",
		"CONFIG_LWIP_SOCKET":   "y",
		"CONFIG_LWIP_UDP":      "y",
		"CONFIG_LWIP_TCP":      "n",
		"CONFIG_LWIP_DNS":      "n",
	}}
}

// withKConfig returns base plus extra as a new map, so that no two
// variants share one.
func withKConfig(base, extra map[string]string) map[string]string {
	kc := make(map[string]string, len(base)+len(extra))
	for k, v := range base {
		kc[k] = v
	}
	for k, v := range extra {
		kc[k] = v
	}
	return kc
}

// Size budgets of the Unikraft images: a unikernel without a network
// stack is expected to be half as big as one with lwIP.
const (
	rawSizeBudget  = 256 << 10
	lwipSizeBudget = 512 << 10
	// the loader's kernel alone, without the program it loads
	elfloaderSizeBudget = 1 << 20
)

// The guest's server port, fixed for memcached, which prints no ready
// line of its own.
const memcachedPort = 11211

// init registers every row in the order of the reports; the ratio
// baselines are linux-single and linux-dpdk, as in the paper.
func init() {
	register(&Variant{
		Name:        "raw-uknetdev",
		Kind:        Unikraft,
		Description: "no network stack: polls the uknetdev rx queue in bursts of --batch (default 32), answers ARP, parses Ethernet/IPv4/UDP and checksums itself, sends replies in bursts",
		AppFolder:   kvstoreApp,
		AppInputs:   kvstoreInputs,
		KConfig:     withKConfig(unikraftKConfig, map[string]string{"CONFIG_APPKVSTORE_RAW": "y"}),
		SizeBudget:  rawSizeBudget,
		Preloads:    true,
		PaperMode:   "uknetdev",
	})
	register(&Variant{
		Name:        "batched",
		Kind:        Unikraft,
		Description: "lwIP's raw UDP API, each request answered in the receive callback, in the driver's receive thread with the stack locked: no thread switch, mailbox or socket layer per datagram; up to --batch (default 32) replies held until the datagrams already queued are handled",
		AppFolder:   kvstoreApp,
		AppInputs:   kvstoreInputs,
		KConfig:     withKConfig(unikraftKConfig, map[string]string{"CONFIG_APPKVSTORE_BATCHED": "y"}),
		Libraries:   []Library{lwipUDP()},
		SizeBudget:  lwipSizeBudget,
		Preloads:    true,
	})
	register(&Variant{
		Name:        "lwip-socket",
		Kind:        Unikraft,
		Description: "lwIP sockets, one recvmsg/sendmsg per request",
		AppFolder:   kvstoreApp,
		AppInputs:   kvstoreInputs,
		KConfig:     withKConfig(unikraftKConfig, map[string]string{"CONFIG_APPKVSTORE_SOCKET": "y"}),
		Libraries:   []Library{lwipUDP()},
		SizeBudget:  lwipSizeBudget,
		Preloads:    true,
		PaperMode:   "lwip",
	})
	register(&Variant{
		Name:        "go-elfloader",
		Kind:        Unikraft,
		Description: "bin/kvstore-go, the Go server built as a static PIE, unmodified on app-elfloader (binary compatibility)",
		App:         "app-elfloader",
		KConfig:     elfloaderKConfig(),
		Libraries:   elfloaderLibraries(),
		SizeBudget:  elfloaderSizeBudget,
		Program:     "kvstore-go-pie",
		// Unikraft 0.16.3's epoll loses the wake-up of one of two
		// threads that wait at once, which Go's poller does: the server
		// blocks in recvfrom instead (see apps/kvstore-go/blocking.go)
		Args: []string{"--io", "blocking"},
		// Unikraft 0.16.3's signals are stubs: Go's preemption signal
		// would never arrive.
		Env:      []string{"GODEBUG=asyncpreemptoff=1"},
		Preloads: true,
	})
	register(&Variant{
		Name:        "elfloader-single",
		Kind:        Unikraft,
		Description: "bin/kvstore-linux-single built as a static PIE, unmodified on app-elfloader (binary compatibility)",
		App:         "app-elfloader",
		KConfig:     elfloaderKConfig(),
		Libraries:   elfloaderLibraries(),
		SizeBudget:  elfloaderSizeBudget,
		Program:     "kvstore-linux-single-pie",
		Preloads:    true,
	})
	register(&Variant{
		Name:        "linux-single",
		Kind:        LinuxGuest,
		Description: "Linux guest, one recvmsg/sendmsg per request",
		Program:     "kvstore-linux-single",
		Preloads:    true,
		PaperMode:   "single",
	})
	register(&Variant{
		Name:        "linux-batch",
		Kind:        LinuxGuest,
		Description: "Linux guest, recvmmsg/sendmmsg in batches of 32",
		Program:     "kvstore-linux-batch",
		Preloads:    true,
		PaperMode:   "batch",
	})
	register(&Variant{
		Name:        "go-linux",
		Kind:        LinuxGuest,
		Description: "Linux guest, the Go server (bin/kvstore-go): Go's standard library UDP socket, one receive/send per request",
		Program:     "kvstore-go",
		Preloads:    true,
	})
	register(&Variant{
		Name:        "linux-dpdk",
		Kind:        LinuxGuest,
		Description: "Linux guest, DPDK's virtio PMD polled in bursts of --batch, no kernel network stack",
		Program:     "kvstore-linux-dpdk",
		// EAL: one lcore on the guest's one CPU
		Args:        []string{"--lcores", "0@0", "-n", "1", "--"},
		AddressFlag: "--ip",
		DPDK:        true,
		// DPDK's hugepages come on top of what Linux itself needs
		MemoryMiB: 512,
		Preloads:  true,
		PaperMode: "dpdk",
	})
	register(&Variant{
		Name:        "memcached",
		Kind:        LinuxGuest,
		Description: "Linux guest, Debian's memcached over UDP: the system a user would pick instead",
		Program:     "memcached",
		Package:     "memcached",
		// UDP only, as root (init's user); a run's server arguments
		// (-t 1, -m 64, say) follow
		Args:     []string{"-U", fmt.Sprint(memcachedPort), "-p", "0", "-l", "0.0.0.0", "-u", "root"},
		ReadyUDP: memcachedPort,
	})
	register(&Variant{
		Name:        "metal-single",
		Kind:        Host,
		Description: "host process, one recvmsg/sendmsg per request",
		Program:     "kvstore-linux-single",
		// every address, so that it serves each run's TAP device
		Args:      []string{"--addr", "0.0.0.0"},
		Preloads:  true,
		PaperMode: "single",
	})
	register(&Variant{
		Name:        "metal-batch",
		Kind:        Host,
		Description: "host process, recvmmsg/sendmmsg in batches of 32",
		Program:     "kvstore-linux-batch",
		Args:        []string{"--addr", "0.0.0.0"},
		Preloads:    true,
		PaperMode:   "batch",
	})
}

// elfloaderKConfig is app-elfloader on 0.16.3 as it ran a static-pie C
// and Go UDP server under TCG: the syscall shim and the POSIX libraries a
// Linux binary calls (Go's runtime needs clone, futex, poll, eventfd,
// mmap and signals), paging for its mappings, and the initrd extracted
// into a ramfs root (0.16.3's AUTOMOUNT_CI; its older names are gone).
func elfloaderKConfig() map[string]string {
	return withKConfig(unikraftKConfig, map[string]string{
		"CONFIG_PAGING":                         "y",
		"CONFIG_LIBUKVMEM":                      "y",
		"CONFIG_LIBUKBOOT_MAINTHREAD":           "y",
		"CONFIG_APPELFLOADER_VFSEXEC":           "y",
		"CONFIG_APPELFLOADER_VFSEXEC_EXECBIT":   "n",
		"CONFIG_APPELFLOADER_CUSTOMAPPNAME":     "y",
		"CONFIG_APPELFLOADER_ARCH_PRCTL":        "y",
		"CONFIG_APPELFLOADER_BRK":               "y",
		"CONFIG_LIBSYSCALL_SHIM":                "y",
		"CONFIG_LIBSYSCALL_SHIM_HANDLER":        "y",
		"CONFIG_LIBSYSCALL_SHIM_HANDLER_ULTLS":  "y",
		"CONFIG_LIBPOSIX_PROCESS":               "y",
		"CONFIG_LIBPOSIX_PROCESS_PIDS":          "y",
		"CONFIG_LIBPOSIX_PROCESS_CLONE":         "y",
		"CONFIG_LIBPOSIX_PROCESS_MAX_PID":       "1024",
		"CONFIG_LIBPOSIX_FUTEX":                 "y",
		"CONFIG_LIBPOSIX_POLL":                  "y",
		"CONFIG_LIBPOSIX_EVENTFD":               "y",
		"CONFIG_LIBPOSIX_PIPE":                  "y",
		"CONFIG_LIBPOSIX_MMAP":                  "y",
		"CONFIG_LIBPOSIX_SOCKET":                "y",
		"CONFIG_LIBPOSIX_TIME":                  "y",
		"CONFIG_LIBPOSIX_SYSINFO":               "y",
		"CONFIG_LIBPOSIX_USER":                  "y",
		"CONFIG_LIBPOSIX_ENVIRON":               "y",
		"CONFIG_LIBPOSIX_ENVIRON_LIBPARAM":      "y",
		"CONFIG_LIBUKSIGNAL":                    "y",
		"CONFIG_LIBVFSCORE":                     "y",
		"CONFIG_LIBRAMFS":                       "y",
		"CONFIG_LIBUKCPIO":                      "y",
		"CONFIG_LIBVFSCORE_AUTOMOUNT_CI":        "y",
		"CONFIG_LIBVFSCORE_AUTOMOUNT_CI_INITRD": "y",
		"CONFIG_LIBDEVFS":                       "y",
		"CONFIG_LIBDEVFS_AUTOMOUNT":             "y",
		"CONFIG_LIBDEVFS_DEV_NULL":              "y",
		"CONFIG_LIBDEVFS_DEV_ZERO":              "y",
		"CONFIG_LIBDEVFS_DEV_STDOUT":            "y",
	})
}

// elfloaderLibraries are libelf, which the loader parses the binary
// with, and lwIP for its sockets; make links them in this (sorted) order.
func elfloaderLibraries() []Library {
	lwip := lwipUDP()
	lwip.KConfig["CONFIG_LWIP_IPV4"] = "y"
	lwip.KConfig["CONFIG_LWIP_AUTOIFACE"] = "y"
	return []Library{{Name: "libelf", KConfig: map[string]string{"CONFIG_LIBELF": "y"}}, lwip}
}
