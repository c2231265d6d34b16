// Package kvserver runs KV servers as local processes on loopback: the
// project's Linux front ends and Debian's memcached, so that tests and
// loopback benchmarks start, await and stop them the same way.
package kvserver

import "os"

// Spec says how to start one kind of server on a given UDP port.
type Spec struct {
	Name string
	Path string
	// Args returns the command line arguments for serving on
	// 127.0.0.1:port; a report passes a placeholder such as "PORT".
	Args func(port string) []string
	// ReadyLine says the server prints "ready udp ADDR:PORT" once it
	// serves; otherwise readiness is probed with a version request.
	ReadyLine bool
}

// FrontEnd is one of our Linux front ends (bin/kvstore-linux-*); extra
// flags such as --capacity or --batch follow the address flags.
func FrontEnd(name, path string, extra ...string) Spec {
	return Spec{
		Name: name,
		Path: path,
		Args: func(port string) []string {
			return append([]string{"--addr", "127.0.0.1", "--port", port}, extra...)
		},
		ReadyLine: true,
	}
}

// Memcached is Debian's memcached serving UDP only on loopback.
func Memcached(path string, extra ...string) Spec {
	return Spec{
		Name: "memcached",
		Path: path,
		Args: func(port string) []string {
			args := []string{"-U", port, "-p", "0", "-l", "127.0.0.1"}
			if os.Geteuid() == 0 {
				// memcached refuses to run as root without -u.
				args = append(args, "-u", "root")
			}
			return append(args, extra...)
		},
	}
}
