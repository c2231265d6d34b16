package kvproto

import (
	"errors"
	"fmt"
)

// Reasons a datagram is not part of the awaited reply.
var (
	ErrOtherRequest = errors.New("reply to another request id")
	ErrBadFrame     = errors.New("inconsistent frame header")
)

// Assembler collects the datagrams of one reply, which memcached splits
// into several datagrams (seq 0..count-1, any order) when it is large.
type Assembler struct {
	id    uint16
	count uint16
	parts map[uint16][]byte
	size  int
}

// NewAssembler awaits the reply to request id.
func NewAssembler(id uint16) *Assembler {
	return &Assembler{id: id, parts: map[uint16][]byte{}}
}

// Add feeds one received datagram. It returns true once every datagram of
// the reply has arrived. Datagrams of other requests are refused with
// ErrOtherRequest and leave the assembler unchanged, as do duplicates.
func (a *Assembler) Add(datagram []byte) (bool, error) {
	h, payload, err := DecodeHeader(datagram)
	if err != nil {
		return false, err
	}
	if h.RequestID != a.id {
		return false, fmt.Errorf("id %d, awaiting %d: %w", h.RequestID, a.id, ErrOtherRequest)
	}
	if h.Count == 0 || h.Seq >= h.Count || (a.count != 0 && h.Count != a.count) {
		return false, fmt.Errorf("seq %d count %d (earlier count %d): %w", h.Seq, h.Count, a.count, ErrBadFrame)
	}
	a.count = h.Count
	if _, dup := a.parts[h.Seq]; !dup {
		a.parts[h.Seq] = append([]byte(nil), payload...)
		a.size += len(payload)
	}
	return a.Done(), nil
}

// Done says whether the whole reply has arrived.
func (a *Assembler) Done() bool {
	return a.count != 0 && len(a.parts) == int(a.count)
}

// Payload joins the parts in sequence order; valid once Done.
func (a *Assembler) Payload() []byte {
	p := make([]byte, 0, a.size)
	for seq := uint16(0); seq < a.count; seq++ {
		p = append(p, a.parts[seq]...)
	}
	return p
}
