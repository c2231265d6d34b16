// Package kv is the Go KV server's table and memcached's UDP text
// protocol, the same as the C core (apps/kvstore/core/kv.c). It does no
// I/O, so it is fuzzed and tested alone.
//
// Layout, as in the C core: the index is an array of 64-bit slots, each
// a 32-bit hash tag and an item number + 1 (0: empty), probed linearly
// and kept at most half full; deletion shifts later entries back instead
// of leaving tombstones. Items are fixed-size records taken from a free
// stack: nothing is allocated after New, and no array holds a pointer,
// so the garbage collector never scans the table.
package kv

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unsafe"
)

const (
	// KeyMax is the longest key.
	KeyMax = 250
	// DatagramMax is memcached's bound on a UDP datagram's payload.
	DatagramMax = 1400
	// FrameHeaderLen is the length of memcached's UDP frame header.
	FrameHeaderLen = 8
	// AmpLimitDefault is the largest reply/request size ratio answered.
	AmpLimitDefault = 64
	// itemOverhead is the largest single-item reply's size beside key and
	// value: frame header, "VALUE " and the spaces, flags (10 digits),
	// length (4), cas unique (20), the two CRLFs and "END\r\n".
	itemOverhead = 60
	// ItemMax is the key plus value bytes of the largest item.
	ItemMax = DatagramMax - itemOverhead
	// CapacityMax is the largest table.
	CapacityMax = 1 << 30
)

// ValueMax is the longest value a key of klen bytes may hold: its gets
// reply fits one datagram.
func ValueMax(klen int) int { return DatagramMax - itemOverhead - klen }

const (
	hashMul1 = 0x9e3779b97f4a7c15
	hashMul2 = 0xd6e8feb86659fd93
)

// Config says how big a table is and how it answers.
type Config struct {
	Capacity uint32 // items the table can hold
	AmpLimit uint32 // max reply/request size ratio, 0: AmpLimitDefault
	// ItemMax is the key plus value bytes one item may hold, 0: ItemMax;
	// a smaller bound lets a small machine hold more items.
	ItemMax  uint32
	HashSeed uint64 // a random seed defeats crafted collisions
	// Alloc returns size zeroed bytes for the index and the items; nil:
	// make. The Linux server maps them on huge pages: items sized for a
	// full datagram are sparse, and random lookups would otherwise miss
	// the TLB (and fault a page in) on nearly every new item.
	Alloc func(size uint64) []byte
}

// Stats are the counters of the stats command and the stats line.
type Stats struct {
	CmdGet       uint64 // keys looked up by get/gets
	GetHits      uint64
	GetMisses    uint64
	CmdSet       uint64 // set, add, replace, cas
	CmdDelete    uint64
	Errors       uint64 // ERROR, CLIENT_ERROR, SERVER_ERROR replies
	AmpRefused   uint64 // replies refused as amplification
	Dropped      uint64 // datagrams dropped unanswered (noreply not counted)
	BytesRead    uint64
	BytesWritten uint64
	CurrItems    uint64
}

// item is an item's header; its key and value are in Store.data.
type item struct {
	cas   uint64
	flags uint32
	klen  uint16
	vlen  uint16
}

// Store is one table. It is not safe for concurrent use.
type Store struct {
	slots     []uint64 // tag << 32 | item number + 1, 0: empty
	mask      uint32   // slot count - 1
	capacity  uint32
	itemMax   uint32
	ampLimit  uint32
	items     []item
	data      []byte // item n's key, then value, at n * itemMax
	freeItems []uint32
	seed      uint64
	nextCAS   uint64
	stats     Stats
}

// New allocates the whole table once.
func New(cfg Config) (*Store, error) {
	if cfg.Capacity == 0 || cfg.Capacity > CapacityMax {
		return nil, fmt.Errorf("capacity %d: want 1..%d", cfg.Capacity, CapacityMax)
	}
	if cfg.ItemMax > ItemMax {
		return nil, fmt.Errorf("item size %d: at most %d", cfg.ItemMax, ItemMax)
	}
	s := &Store{
		capacity: cfg.Capacity,
		itemMax:  cfg.ItemMax,
		ampLimit: cfg.AmpLimit,
		seed:     cfg.HashSeed,
		nextCAS:  1,
	}
	if s.itemMax == 0 {
		s.itemMax = ItemMax
	}
	if s.ampLimit == 0 {
		s.ampLimit = AmpLimitDefault
	}
	// at most half full keeps linear probes short
	nslots := uint32(2)
	for nslots < 2*cfg.Capacity {
		nslots *= 2
	}
	s.mask = nslots - 1
	alloc := cfg.Alloc
	if alloc == nil {
		alloc = func(size uint64) []byte { return make([]byte, size) }
	}
	// the index holds no pointer: any zeroed memory of 8-byte alignment
	// (a page, a large heap object) serves as its words
	index := alloc(uint64(nslots) * 8)
	s.slots = unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(index))), nslots)
	s.items = make([]item, cfg.Capacity)
	s.data = alloc(uint64(cfg.Capacity) * uint64(s.itemMax))
	s.freeItems = make([]uint32, cfg.Capacity)
	// hand out low item numbers first: a small table stays compact
	for i := range s.freeItems {
		s.freeItems[i] = cfg.Capacity - 1 - uint32(i)
	}
	return s, nil
}

// Stats returns the counters.
func (s *Store) Stats() Stats { return s.stats }

func (s *Store) hash(key []byte) uint32 {
	h := s.seed ^ (uint64(len(key)) * hashMul1)
	for len(key) >= 8 {
		h = (h ^ binary.LittleEndian.Uint64(key)) * hashMul1
		h ^= h >> 29
		key = key[8:]
	}
	if len(key) > 0 {
		var v uint64
		for i := len(key) - 1; i >= 0; i-- {
			v = v<<8 | uint64(key[i])
		}
		h = (h ^ v) * hashMul1
	}
	h ^= h >> 32
	h *= hashMul2
	h ^= h >> 29
	return uint32(h)
}

func (s *Store) key(n uint32) []byte {
	off := uint64(n) * uint64(s.itemMax)
	return s.data[off : off+uint64(s.items[n].klen)]
}

func (s *Store) value(n uint32) []byte {
	it := &s.items[n]
	off := uint64(n)*uint64(s.itemMax) + uint64(it.klen)
	return s.data[off : off+uint64(it.vlen)]
}

// find returns the slot holding key, or -1 and the empty slot where it
// would go.
func (s *Store) find(key []byte, tag uint32) (int64, uint32) {
	i := tag & s.mask
	for {
		slot := s.slots[i]
		if slot == 0 {
			return -1, i
		}
		if uint32(slot>>32) == tag && string(s.key(uint32(slot)-1)) == string(key) {
			return int64(i), 0
		}
		i = (i + 1) & s.mask
	}
}

// lookup returns key's item number + 1, 0 when absent.
func (s *Store) lookup(key []byte) uint32 {
	i, _ := s.find(key, s.hash(key))
	if i < 0 {
		return 0
	}
	return uint32(s.slots[i])
}

// unlink removes slot i, shifting later entries of its cluster back.
func (s *Store) unlink(i uint32) {
	s.freeItems = append(s.freeItems, uint32(s.slots[i])-1)
	s.stats.CurrItems--
	j := i
	for {
		j = (j + 1) & s.mask
		slot := s.slots[j]
		if slot == 0 {
			break
		}
		home := uint32(slot>>32) & s.mask
		// move j back to i unless its home lies in (i, j]
		if (j-home)&s.mask >= (j-i)&s.mask {
			s.slots[i] = slot
			i = j
		}
	}
	s.slots[i] = 0
}

func (s *Store) fill(n uint32, key, val []byte, flags uint32) {
	s.items[n] = item{cas: s.nextCAS, flags: flags, klen: uint16(len(key)), vlen: uint16(len(val))}
	s.nextCAS++
	off := uint64(n) * uint64(s.itemMax)
	copy(s.data[off:], key)
	copy(s.data[off+uint64(len(key)):], val)
}

type storeMode int

const (
	modeSet storeMode = iota
	modeAdd
	modeReplace
	modeCAS
)

type storeResult int

const (
	stored storeResult = iota
	notStored
	exists
	notFound
	noMemory
)

// storeItem stores key; an expired item (negative exptime) succeeds and
// leaves no item behind, as in memcached.
func (s *Store) storeItem(mode storeMode, key, val []byte, flags uint32, expired bool, cas uint64) storeResult {
	tag := s.hash(key)
	i, free := s.find(key, tag)
	if i >= 0 {
		n := uint32(s.slots[i]) - 1
		switch {
		case mode == modeAdd:
			return notStored
		case mode == modeCAS && s.items[n].cas != cas:
			return exists
		case expired:
			s.unlink(uint32(i))
		default:
			s.fill(n, key, val, flags)
		}
		return stored
	}
	switch {
	case mode == modeReplace:
		return notStored
	case mode == modeCAS:
		return notFound
	case expired:
		return stored
	case len(s.freeItems) == 0:
		return noMemory
	}
	n := s.freeItems[len(s.freeItems)-1]
	s.freeItems = s.freeItems[:len(s.freeItems)-1]
	s.fill(n, key, val, flags)
	s.slots[free] = uint64(tag)<<32 | uint64(n+1)
	s.stats.CurrItems++
	return stored
}

// PreloadKey appends preload key i, "key:" and i in decimal, to b.
func PreloadKey(b []byte, i uint32) []byte {
	b = append(b, "key:"...)
	return appendUint(b, uint64(i))
}

// PreloadValue fills b with preload value i: byte j is 'a' + (i + j) % 26.
func PreloadValue(b []byte, i uint32) {
	for j := range b {
		b[j] = byte('a' + (uint64(i)+uint64(j))%26)
	}
}

// ErrPreload says the table or a datagram cannot hold the preload.
var ErrPreload = errors.New("the table or a datagram cannot hold the preloaded items")

// Preload inserts keys PreloadKey(0..n-1) with values PreloadValue of
// valueSize bytes, so that a benchmark can be GET-heavy at once.
func (s *Store) Preload(n, valueSize uint32) error {
	if uint64(n) > uint64(s.capacity)-s.stats.CurrItems {
		return ErrPreload
	}
	if n == 0 {
		return nil
	}
	// the longest key is the last one
	klen := len(PreloadKey(nil, n-1))
	if uint64(valueSize) > uint64(ValueMax(klen)) || uint64(klen)+uint64(valueSize) > uint64(s.itemMax) {
		return ErrPreload
	}
	key := make([]byte, 0, klen)
	val := make([]byte, valueSize)
	for i := uint32(0); i < n; i++ {
		key = PreloadKey(key[:0], i)
		PreloadValue(val, i)
		if s.storeItem(modeSet, key, val, 0, false, 0) != stored {
			return ErrPreload
		}
	}
	return nil
}
