package kvproto

import (
	"errors"
	"strings"
	"testing"
)

func TestEncodeStorage(t *testing.T) {
	got, err := EncodeStorage("add", "k1", []byte("v\r\nx"), 42)
	if err != nil {
		t.Fatal(err)
	}
	if want := "add k1 42 0 4\r\nv\r\nx\r\n"; string(got) != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if _, err := EncodeStorage("cas", "k", nil, 0); err == nil {
		t.Error("cas accepted as a storage command")
	}
}

func TestEncodeRetrieval(t *testing.T) {
	got, err := EncodeRetrieval("gets", "a", "b", "c")
	if err != nil || string(got) != "gets a b c\r\n" {
		t.Fatalf("got %q %v", got, err)
	}
	if _, err := EncodeRetrieval("get"); err == nil {
		t.Error("get without keys accepted")
	}
	if _, err := EncodeRetrieval("incr", "a"); err == nil {
		t.Error("incr accepted as a retrieval command")
	}
}

func TestEncodeDeleteAndSimple(t *testing.T) {
	got, err := EncodeDelete("k")
	if err != nil || string(got) != "delete k\r\n" {
		t.Fatalf("EncodeDelete = %q %v", got, err)
	}
	if got := EncodeSimple("stats"); string(got) != "stats\r\n" {
		t.Fatalf("EncodeSimple = %q", got)
	}
}

func TestBadKeysRefused(t *testing.T) {
	for _, k := range []string{"", "a b", "a\r\nset x", "a\x00", "a\x7f", "tab\t"} {
		if _, err := EncodeDelete(k); !errors.Is(err, ErrBadKey) {
			t.Errorf("key %q: err = %v, want ErrBadKey", k, err)
		}
		if _, err := EncodeRetrieval("get", "ok", k); !errors.Is(err, ErrBadKey) {
			t.Errorf("get key %q: err = %v, want ErrBadKey", k, err)
		}
		if _, err := EncodeStorage("set", k, nil, 0); !errors.Is(err, ErrBadKey) {
			t.Errorf("set key %q: err = %v, want ErrBadKey", k, err)
		}
	}
	// Length is left to the server to judge.
	if _, err := EncodeDelete(strings.Repeat("k", KeyMax+1)); err != nil {
		t.Errorf("long key refused by the client: %v", err)
	}
}
