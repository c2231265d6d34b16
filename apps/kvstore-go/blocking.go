package main

import (
	"errors"
	"fmt"
	"net/netip"
	"sync/atomic"
	"syscall"
	"unsafe"

	"github.com/ukkv/ukkv/apps/kvstore-go/kv"
)

// blockingConn is a UDP socket left out of Go's network poller: its one
// reader blocks in recvfrom, as the C socket front ends do. Unikraft
// 0.16.3 loses the wake-up of an epoll_wait when a second thread waits
// on the same epoll at once (its wait-queue walk skips the waiter after
// the one it wakes, then forgets that any still waits); Go's runtime
// polls from several threads, so behind its poller the server stopped
// for good once a burst of requests was queued.
type blockingConn struct {
	fd      int
	closing atomic.Bool
}

// listenBlocking binds a blocking UDP socket to addr:port and returns
// it with the port it got.
func listenBlocking(addr netip.Addr, port uint16) (*blockingConn, int, error) {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, 0, fmt.Errorf("udp socket: %w", err)
	}
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: addr.As4(), Port: int(port)}); err != nil {
		syscall.Close(fd)
		return nil, 0, err // serveBlocking names the address
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		syscall.Close(fd)
		return nil, 0, fmt.Errorf("getsockname: %w", err)
	}
	return &blockingConn{fd: fd}, sa.(*syscall.SockaddrInet4).Port, nil
}

// Close ends answerBlocking: shutdown wakes a reader blocked in recvfrom,
// which close does not.
func (c *blockingConn) Close() error {
	c.closing.Store(true)
	syscall.Shutdown(c.fd, syscall.SHUT_RDWR)
	return syscall.Close(c.fd)
}

// answerBlocking is answer on a blocking socket: the sender's raw
// address goes back unconverted, so a request allocates nothing.
func answerBlocking(c *blockingConn, store *kv.Store) error {
	rx := make([]byte, rxMax)
	tx := make([]byte, kv.DatagramMax)
	var peer syscall.RawSockaddrInet4
	for {
		peerLen := uint32(unsafe.Sizeof(peer))
		n, _, errno := syscall.Syscall6(syscall.SYS_RECVFROM, uintptr(c.fd),
			uintptr(unsafe.Pointer(&rx[0])), uintptr(len(rx)), 0,
			uintptr(unsafe.Pointer(&peer)), uintptr(unsafe.Pointer(&peerLen)))
		if c.closing.Load() {
			return nil
		}
		if errors.Is(errno, syscall.EINTR) {
			continue
		}
		if errno != 0 {
			return fmt.Errorf("receive: %w", errno)
		}
		if m := store.Handle(rx[:n], tx); m > 0 {
			// a failed send loses one reply, as a lost datagram would
			syscall.Syscall6(syscall.SYS_SENDTO, uintptr(c.fd),
				uintptr(unsafe.Pointer(&tx[0])), uintptr(m), 0,
				uintptr(unsafe.Pointer(&peer)), uintptr(peerLen))
		}
	}
}
