// Package kvproto is the client side of memcached's UDP protocol: the
// 8-byte frame header, text requests, reply parsing and reassembly, and a
// Client doing the I/O. Everything but client.go is pure, so it can be
// unit-tested and fuzzed alone.
package kvproto

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// HeaderLen is the size of the frame header in front of every datagram.
const HeaderLen = 8

// DatagramMax is memcached's bound on one UDP datagram (header included);
// larger replies are split into several datagrams.
const DatagramMax = 1400

// KeyMax is the longest key memcached accepts.
const KeyMax = 250

// Header is the frame header: all fields big-endian on the wire.
type Header struct {
	RequestID uint16 // echoed by the server, matches a reply to its request
	Seq       uint16 // index of this datagram within the message
	Count     uint16 // number of datagrams in the message
	Reserved  uint16 // must be 0
}

// ErrShortDatagram reports a datagram too short to hold a frame header.
var ErrShortDatagram = errors.New("datagram shorter than the frame header")

// AppendHeader appends h in wire format to b.
func AppendHeader(b []byte, h Header) []byte {
	b = binary.BigEndian.AppendUint16(b, h.RequestID)
	b = binary.BigEndian.AppendUint16(b, h.Seq)
	b = binary.BigEndian.AppendUint16(b, h.Count)
	return binary.BigEndian.AppendUint16(b, h.Reserved)
}

// DecodeHeader splits a datagram into its header and payload.
func DecodeHeader(datagram []byte) (Header, []byte, error) {
	if len(datagram) < HeaderLen {
		return Header{}, nil, fmt.Errorf("%d bytes: %w", len(datagram), ErrShortDatagram)
	}
	h := Header{
		RequestID: binary.BigEndian.Uint16(datagram[0:]),
		Seq:       binary.BigEndian.Uint16(datagram[2:]),
		Count:     binary.BigEndian.Uint16(datagram[4:]),
		Reserved:  binary.BigEndian.Uint16(datagram[6:]),
	}
	return h, datagram[HeaderLen:], nil
}

// Frame wraps a request payload into a single datagram with request id id.
func Frame(id uint16, payload []byte) []byte {
	b := make([]byte, 0, HeaderLen+len(payload))
	b = AppendHeader(b, Header{RequestID: id, Count: 1})
	return append(b, payload...)
}
