package kvproto

import (
	"errors"
	"reflect"
	"testing"
)

func TestParseStorageReply(t *testing.T) {
	cases := map[string]error{
		"STORED\r\n":     nil,
		"NOT_STORED\r\n": ErrNotStored,
		"EXISTS\r\n":     ErrExists,
		"NOT_FOUND\r\n":  ErrNotFound,
		"STORED":         ErrMalformed,
		"STORED\r\nX":    ErrMalformed,
		"DELETED\r\n":    ErrMalformed,
	}
	for in, want := range cases {
		if err := ParseStorageReply([]byte(in)); !errors.Is(err, want) {
			t.Errorf("%q: err = %v, want %v", in, err, want)
		}
	}
}

func TestParseDeleteReply(t *testing.T) {
	cases := map[string]error{
		"DELETED\r\n":   nil,
		"NOT_FOUND\r\n": ErrNotFound,
		"STORED\r\n":    ErrMalformed,
		"":              ErrMalformed,
	}
	for in, want := range cases {
		if err := ParseDeleteReply([]byte(in)); !errors.Is(err, want) {
			t.Errorf("%q: err = %v, want %v", in, err, want)
		}
	}
}

func TestServerErrors(t *testing.T) {
	cases := map[string]ServerError{
		"ERROR\r\n": {Kind: "ERROR"},
		"CLIENT_ERROR bad command line format\r\n": {Kind: "CLIENT_ERROR", Message: "bad command line format"},
		"SERVER_ERROR out of memory\r\n":           {Kind: "SERVER_ERROR", Message: "out of memory"},
	}
	for in, want := range cases {
		parsers := map[string]func([]byte) error{
			"storage": ParseStorageReply,
			"delete":  ParseDeleteReply,
			"version": func(p []byte) error { _, err := ParseVersionReply(p); return err },
			"stats":   func(p []byte) error { _, err := ParseStatsReply(p); return err },
			"values":  func(p []byte) error { _, err := ParseValues(p, false); return err },
		}
		for name, parse := range parsers {
			var se *ServerError
			if err := parse([]byte(in)); !errors.As(err, &se) || *se != want {
				t.Errorf("%s %q: err = %v, want %+v", name, in, err, want)
			}
		}
	}
}

func TestParseVersionReply(t *testing.T) {
	v, err := ParseVersionReply([]byte("VERSION 1.6.18\r\n"))
	if err != nil || v != "1.6.18" {
		t.Fatalf("got %q %v", v, err)
	}
	for _, in := range []string{"VERSION\r\n", "VERSION \r\n", "1.6\r\n"} {
		if _, err := ParseVersionReply([]byte(in)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%q: err = %v, want ErrMalformed", in, err)
		}
	}
}

func TestParseStatsReply(t *testing.T) {
	got, err := ParseStatsReply([]byte("STAT pid 12\r\nSTAT version 1.6.18\r\nSTAT rusage_user 0.1 x\r\nEND\r\n"))
	want := map[string]string{"pid": "12", "version": "1.6.18", "rusage_user": "0.1 x"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v %v, want %v", got, err, want)
	}
	for _, in := range []string{"STAT pid 1\r\n", "STAT\r\nEND\r\n", "FOO a b\r\nEND\r\n", "END\r\nx"} {
		if _, err := ParseStatsReply([]byte(in)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%q: err = %v, want ErrMalformed", in, err)
		}
	}
}

func TestParseValues(t *testing.T) {
	in := "VALUE a 5 3\r\nx\r\n\r\nVALUE b 0 0\r\n\r\nEND\r\n"
	got, err := ParseValues([]byte(in), false)
	want := []Item{{Key: "a", Flags: 5, Value: []byte("x\r\n")}, {Key: "b", Value: []byte{}}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v %v, want %+v", got, err, want)
	}
	got, err = ParseValues([]byte("VALUE a 1 2 99\r\nhi\r\nEND\r\n"), true)
	want = []Item{{Key: "a", Flags: 1, CAS: 99, Value: []byte("hi")}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("gets: got %+v %v, want %+v", got, err, want)
	}
	if got, err := ParseValues([]byte("END\r\n"), false); err != nil || len(got) != 0 {
		t.Fatalf("miss: got %+v %v", got, err)
	}
}

func TestParseValuesMalformed(t *testing.T) {
	bad := []string{
		"",
		"VALUE a 0 3\r\nxy\r\nEND\r\n",        // shorter than announced
		"VALUE a 0 1\r\nxyz\r\nEND\r\n",       // longer than announced
		"VALUE a 0 2\r\nhi\r\n",               // no END
		"VALUE a 0 2 7\r\nhi\r\nEND\r\n",      // cas where none is due
		"VALUE a x 2\r\nhi\r\nEND\r\n",        // bad flags
		"VALUE a 0 -1\r\nhi\r\nEND\r\n",       // bad length
		"VALUE a 4294967296 0\r\n\r\nEND\r\n", // flags beyond 32 bits
		"VALUE  0 0\r\n\r\nEND\r\n",           // empty key
		"STORED\r\n",
		"END\r\nEND\r\n",
	}
	for _, in := range bad {
		if _, err := ParseValues([]byte(in), false); !errors.Is(err, ErrMalformed) {
			t.Errorf("%q: err = %v, want ErrMalformed", in, err)
		}
	}
	if _, err := ParseValues([]byte("VALUE a 0 2\r\nhi\r\nEND\r\n"), true); !errors.Is(err, ErrMalformed) {
		t.Errorf("gets reply without cas: err = %v, want ErrMalformed", err)
	}
}

func TestReplyComplete(t *testing.T) {
	cases := map[string]bool{
		"":                                  false,
		"STORED":                            false,
		"STORED\r\n":                        true,
		"CLIENT_ERROR bad data chunk\r\n":   true,
		"STAT pid 1\r\n":                    false,
		"STAT pid 1\r\nEND\r\n":             true,
		"VALUE a 0 5\r\nEND\r\n":            false, // the value is "END\r\n"
		"VALUE a 0 5\r\nEND\r\n\r\n":        false,
		"VALUE a 0 5\r\nEND\r\n\r\nEND\r\n": true,
		"VALUE a 0 1\r\nx\r\n":              false,
		"VALUE a 0 x\r\n":                   true, // malformed: the parser says so
	}
	for in, want := range cases {
		if got := ReplyComplete([]byte(in)); got != want {
			t.Errorf("%q: %v, want %v", in, got, want)
		}
	}
}
