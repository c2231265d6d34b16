package kvload

import (
	"context"
	"errors"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ukkv/ukkv/tools/internal/testenv"
	"github.com/ukkv/ukkv/tools/kvserver"
)

// spoiler relays kvload's requests from the TAP's host address to a
// real server on loopback and spoils every nth reply on the way back.
type spoiler struct {
	front, back *net.UDPConn
	every       int64
	spoil       func([]byte) []byte // nil: drop the reply
	replies     atomic.Int64
	spoiled     atomic.Int64
	peer        atomic.Pointer[net.UDPAddr]
}

func startSpoiler(t *testing.T, listen, upstream string, every int64, spoil func([]byte) []byte) *spoiler {
	t.Helper()
	la, err := net.ResolveUDPAddr("udp4", listen)
	if err != nil {
		t.Fatal(err)
	}
	ua, err := net.ResolveUDPAddr("udp4", upstream)
	if err != nil {
		t.Fatal(err)
	}
	s := &spoiler{every: every, spoil: spoil}
	if s.front, err = net.ListenUDP("udp4", la); err != nil {
		t.Fatal(err)
	}
	if s.back, err = net.DialUDP("udp4", nil, ua); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.front.Close(); s.back.Close() })
	go s.forward()
	go s.answer()
	return s
}

func (s *spoiler) forward() {
	buf := make([]byte, 2048)
	for {
		n, from, err := s.front.ReadFromUDP(buf)
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err == nil {
			s.peer.Store(from)
			s.back.Write(buf[:n])
		}
	}
}

func (s *spoiler) answer() {
	buf := make([]byte, 2048)
	for {
		n, err := s.back.Read(buf)
		if errors.Is(err, net.ErrClosed) {
			return
		}
		peer := s.peer.Load()
		if err != nil || peer == nil {
			continue
		}
		reply := buf[:n]
		// the first reply stays right: kvload waits for one to start
		if s.replies.Add(1)%s.every == 0 {
			s.spoiled.Add(1)
			if s.spoil == nil {
				continue
			}
			reply = s.spoil(reply)
		}
		s.front.WriteToUDP(reply, peer)
	}
}

// Replies are "VALUE key 0 N\r\n<data>\r\nEND\r\n" (GETs only).
func flipLastValueByte(b []byte) []byte {
	b[len(b)-8] ^= 1
	return b
}

func otherRequestID(b []byte) []byte {
	b[0] ^= 0x80 // an id 32768 away: no request of a short run has it
	return b
}

func TestValidationCatchesMisbehaviour(t *testing.T) {
	bin := needDPDK(t)
	server := testenv.Binary(t, "kvstore-linux-single")
	const every = 5
	for _, tc := range []struct {
		name  string
		spoil func([]byte) []byte
		check func(r *Result, spoiled uint64) bool
	}{
		{"wrong value", flipLastValueByte, func(r *Result, n uint64) bool {
			return r.WrongReply.BadValue == n && r.Wrong == n && r.Lost == 0
		}},
		{"wrong request id", otherRequestID, func(r *Result, n uint64) bool {
			return r.WrongID == n && r.Wrong == n && r.Lost == n
		}},
		{"no reply", nil, func(r *Result, n uint64) bool {
			return r.Lost == n && r.Wrong == 0
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			up, err := kvserver.Start(ctx, kvserver.FrontEnd("linux-single", server,
				"--preload", "200", "--value-size", "100"))
			if err != nil {
				t.Fatal(err)
			}
			defer up.Stop()
			n := newTapNet(t)
			c := n.config(bin)
			c.GetRatio = 1
			// all spoiled replies must fall in the measured run
			c.Warmup = 0
			// a lost request holds its place in the window until then
			c.Timeout = 300 * time.Millisecond
			var s *spoiler
			g := startOnTap(t, ctx, n, c, func() {
				s = startSpoiler(t, net.JoinHostPort(n.HostIP.String(), "11211"), up.Addr, every, tc.spoil)
			})
			r, err := g.Wait(ctx)
			if err != nil {
				t.Fatal(err)
			}
			spoiled := uint64(s.spoiled.Load())
			if spoiled == 0 || r.Malformed != 0 || r.Late != 0 || !r.Balanced() || !tc.check(r, spoiled) {
				t.Errorf("%d of %d replies spoiled; kvload: %d requests, %d right, lost %d, late %d, wrong %d (id %d, %+v), malformed %d",
					spoiled, s.replies.Load(), r.Requests, r.Replies, r.Lost, r.Late, r.Wrong, r.WrongID, r.WrongReply, r.Malformed)
			}
		})
	}
}
