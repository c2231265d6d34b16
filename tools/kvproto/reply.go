package kvproto

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Replies of the storage and delete commands that are not errors of the
// server itself but answers about the item.
var (
	ErrNotStored = errors.New("NOT_STORED")
	ErrNotFound  = errors.New("NOT_FOUND")
	ErrExists    = errors.New("EXISTS")
)

// ErrMalformed reports a reply that does not follow the protocol.
var ErrMalformed = errors.New("malformed reply")

// ServerError is an ERROR, CLIENT_ERROR or SERVER_ERROR reply.
type ServerError struct {
	Kind    string // "ERROR", "CLIENT_ERROR" or "SERVER_ERROR"
	Message string // text after the kind, may be empty
}

func (e *ServerError) Error() string {
	if e.Message == "" {
		return e.Kind
	}
	return e.Kind + " " + e.Message
}

// Item is one value of a get or gets reply.
type Item struct {
	Key   string
	Value []byte
	Flags uint32
	CAS   uint64 // only set by gets
}

// nextLine splits p at the first "\r\n"; ok is false when there is none.
func nextLine(p []byte) (line string, rest []byte, ok bool) {
	i := bytes.Index(p, []byte("\r\n"))
	if i < 0 {
		return "", p, false
	}
	return string(p[:i]), p[i+2:], true
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// errorLine returns the *ServerError that line is, or nil.
func errorLine(line string) error {
	kind, msg, _ := strings.Cut(line, " ")
	switch kind {
	case "ERROR", "CLIENT_ERROR", "SERVER_ERROR":
		return &ServerError{Kind: kind, Message: msg}
	}
	return nil
}

// singleLine reads a reply that is exactly one line.
func singleLine(p []byte) (string, error) {
	line, rest, ok := nextLine(p)
	if !ok {
		return "", malformed("no line end in %q", clip(p))
	}
	if err := errorLine(line); err != nil {
		return "", err
	}
	if len(rest) != 0 {
		return "", malformed("%d bytes after %q", len(rest), line)
	}
	return line, nil
}

// ParseStorageReply turns the reply of set/add/replace into nil (STORED)
// or an error.
func ParseStorageReply(p []byte) error {
	line, err := singleLine(p)
	if err != nil {
		return err
	}
	switch line {
	case "STORED":
		return nil
	case "NOT_STORED":
		return ErrNotStored
	case "EXISTS":
		return ErrExists
	case "NOT_FOUND":
		return ErrNotFound
	}
	return malformed("storage reply %q", line)
}

// ParseDeleteReply turns the reply of delete into nil (DELETED) or an error.
func ParseDeleteReply(p []byte) error {
	line, err := singleLine(p)
	if err != nil {
		return err
	}
	switch line {
	case "DELETED":
		return nil
	case "NOT_FOUND":
		return ErrNotFound
	}
	return malformed("delete reply %q", line)
}

// ParseVersionReply returns the version string of "VERSION x".
func ParseVersionReply(p []byte) (string, error) {
	line, err := singleLine(p)
	if err != nil {
		return "", err
	}
	v, ok := strings.CutPrefix(line, "VERSION ")
	if !ok || v == "" {
		return "", malformed("version reply %q", line)
	}
	return v, nil
}

// ParseStatsReply reads "STAT name value" lines up to "END".
func ParseStatsReply(p []byte) (map[string]string, error) {
	stats := map[string]string{}
	for {
		line, rest, ok := nextLine(p)
		if !ok {
			return nil, malformed("stats reply without END")
		}
		if err := errorLine(line); err != nil {
			return nil, err
		}
		if line == "END" {
			if len(rest) != 0 {
				return nil, malformed("%d bytes after END", len(rest))
			}
			return stats, nil
		}
		f := strings.Fields(line)
		if len(f) < 2 || f[0] != "STAT" {
			return nil, malformed("stats line %q", line)
		}
		stats[f[1]] = strings.Join(f[2:], " ")
		p = rest
	}
}

// ParseValues reads the "VALUE key flags bytes [cas]" blocks of a get or
// gets reply up to "END". withCAS says whether the cas field must be there.
func ParseValues(p []byte, withCAS bool) ([]Item, error) {
	var items []Item
	for {
		line, rest, ok := nextLine(p)
		if !ok {
			return nil, malformed("retrieval reply without END")
		}
		if err := errorLine(line); err != nil {
			return nil, err
		}
		if line == "END" {
			if len(rest) != 0 {
				return nil, malformed("%d bytes after END", len(rest))
			}
			return items, nil
		}
		it, n, err := parseValueLine(line, withCAS)
		if err != nil {
			return nil, err
		}
		if n > len(rest)-2 || rest[n] != '\r' || rest[n+1] != '\n' {
			return nil, malformed("value of %q: %d bytes announced, block does not end there", it.Key, n)
		}
		it.Value = bytes.Clone(rest[:n])
		items = append(items, it)
		p = rest[n+2:]
	}
}

// parseValueLine reads "VALUE key flags bytes [cas]" and returns the item
// without its value and the value length.
func parseValueLine(line string, withCAS bool) (Item, int, error) {
	f := strings.Split(line, " ")
	want := 4
	if withCAS {
		want = 5
	}
	if len(f) != want || f[0] != "VALUE" || checkKey(f[1]) != nil {
		return Item{}, 0, malformed("value line %q", line)
	}
	flags, err1 := strconv.ParseUint(f[2], 10, 32)
	n, err2 := strconv.ParseUint(f[3], 10, 31)
	if err1 != nil || err2 != nil {
		return Item{}, 0, malformed("value line %q", line)
	}
	it := Item{Key: f[1], Flags: uint32(flags)}
	if withCAS {
		cas, err := strconv.ParseUint(f[4], 10, 64)
		if err != nil {
			return Item{}, 0, malformed("value line %q", line)
		}
		it.CAS = cas
	}
	return it, int(n), nil
}

// clip shortens p for error messages.
func clip(p []byte) []byte {
	if len(p) > 64 {
		return p[:64]
	}
	return p
}

// ReplyComplete says whether p holds a whole reply. It is needed because
// memcached 1.6 sends each value of a multi-key get as a message of its
// own (each "seq 0 of 1"), so the frame header cannot tell when a reply
// ends; only its terminal line can. A malformed reply counts as complete
// so that its parser reports it.
func ReplyComplete(p []byte) bool {
	for {
		line, rest, ok := nextLine(p)
		if !ok {
			return false
		}
		switch {
		case strings.HasPrefix(line, "STAT "):
			p = rest
		case strings.HasPrefix(line, "VALUE "):
			f := strings.Split(line, " ")
			if len(f) < 4 {
				return true
			}
			n, err := strconv.ParseUint(f[3], 10, 31)
			if err != nil {
				return true
			}
			if uint64(len(rest)) < n+2 {
				return false
			}
			p = rest[n+2:]
		default:
			return true
		}
	}
}
