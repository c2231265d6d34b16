package symbols

import (
	"path/filepath"
	"strings"
)

// Component is a part of the system that a request's cost is charged to.
type Component string

// The components, in the order reports list them.
const (
	KVCore     Component = "KV core"
	Packet     Component = "packet parsing and checksums"
	FrontEnd   Component = "front end"
	LibcString Component = "libc string functions"
	Driver     Component = "driver"
	NetStack   Component = "network stack"
	Kernel     Component = "kernel and other"
)

// Components lists every component.
var Components = []Component{KVCore, Packet, FrontEnd, LibcString, Driver, NetStack, Kernel}

// libraryComponents are the Unikraft libraries that make up a component
// as a whole; every other library is the kernel's.
var libraryComponents = map[string]Component{
	"libuknetdev":      Driver,
	"libvirtio_net":    Driver,
	"libvirtio_ring":   Driver,
	"libvirtio_pci":    Driver,
	"libvirtio_bus":    Driver,
	"libukbus_pci":     Driver,
	"libuksglist":      Driver, // virtio's scatter-gather lists
	"liblwip":          NetStack,
	"libposix_socket":  NetStack,
	"libposix_poll":    NetStack,
	"libposix_fdtab":   NetStack,
	"libposix_fdio":    NetStack,
	"libukfile":        NetStack,
	"libposix_eventfd": NetStack,
	DPDKLibrary:        Driver, // a Linux row's PMD, mbufs and EAL
}

// appObjects are the app's objects that are components of their own;
// the app's other objects are its front end.
var appObjects = map[string]Component{
	"kv.o":   KVCore,
	"pkt.o":  Packet,
	"vnet.o": Driver, // raw-uknetdev's own virtio-net data path
}

// ComponentOf is the component a function belongs to. A function of no
// known object is the kernel's (assembly entry code, for one).
func ComponentOf(f *Func) Component {
	if f == nil {
		return Kernel
	}
	switch {
	case strings.HasPrefix(f.Library, "app"):
		if c, ok := appObjects[filepath.Base(f.Object)]; ok {
			return c
		}
		return FrontEnd
	case (f.Library == "libnolibc" || f.Library == "libc") && isStringFunc(strings.TrimLeft(f.Name, "_")):
		return LibcString
	}
	if c, ok := libraryComponents[f.Library]; ok {
		return c
	}
	return Kernel
}

// isStringFunc says whether a libc function is one of <string.h>'s
// (memcpy, memchr, strlen...) or <strings.h>'s; strtol and the like
// parse numbers.
func isStringFunc(name string) bool {
	switch name {
	case "bzero", "bcmp", "bcopy":
		return true
	}
	return strings.HasPrefix(name, "mem") ||
		strings.HasPrefix(name, "str") && !strings.HasPrefix(name, "strto")
}
