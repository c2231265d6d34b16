package kvproto

import (
	"bytes"
	"errors"
	"testing"
)

func TestHeaderRoundTrip(t *testing.T) {
	h := Header{RequestID: 0xbeef, Seq: 2, Count: 3, Reserved: 0}
	b := AppendHeader(nil, h)
	want := []byte{0xbe, 0xef, 0, 2, 0, 3, 0, 0}
	if !bytes.Equal(b, want) {
		t.Fatalf("AppendHeader = % x, want % x", b, want)
	}
	got, payload, err := DecodeHeader(append(b, "xy"...))
	if err != nil || got != h || string(payload) != "xy" {
		t.Fatalf("DecodeHeader = %+v %q %v, want %+v \"xy\"", got, payload, err, h)
	}
}

func TestDecodeHeaderShort(t *testing.T) {
	for n := 0; n < HeaderLen; n++ {
		if _, _, err := DecodeHeader(make([]byte, n)); !errors.Is(err, ErrShortDatagram) {
			t.Errorf("%d bytes: err = %v, want ErrShortDatagram", n, err)
		}
	}
}

func TestFrame(t *testing.T) {
	got := Frame(7, []byte("version\r\n"))
	want := append([]byte{0, 7, 0, 0, 0, 1, 0, 0}, "version\r\n"...)
	if !bytes.Equal(got, want) {
		t.Fatalf("Frame = % x, want % x", got, want)
	}
}
