package kvproto

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrBadKey reports a key that would break the text protocol's framing.
// Length is deliberately not checked here: the server is the authority on
// that, and tests must be able to send a 251-byte key to see it refused.
var ErrBadKey = errors.New("key is empty or holds whitespace or control bytes")

func checkKey(key string) error {
	if key == "" {
		return fmt.Errorf("%q: %w", key, ErrBadKey)
	}
	for i := 0; i < len(key); i++ {
		if key[i] <= ' ' || key[i] == 0x7f {
			return fmt.Errorf("%q: %w", key, ErrBadKey)
		}
	}
	return nil
}

// EncodeStorage encodes "set", "add" or "replace" with no expiry.
func EncodeStorage(cmd, key string, value []byte, flags uint32) ([]byte, error) {
	switch cmd {
	case "set", "add", "replace":
	default:
		return nil, fmt.Errorf("storage command %q: not one of set, add, replace", cmd)
	}
	if err := checkKey(key); err != nil {
		return nil, err
	}
	b := make([]byte, 0, len(cmd)+len(key)+len(value)+32)
	b = append(b, cmd...)
	b = append(b, ' ')
	b = append(b, key...)
	b = append(b, ' ')
	b = strconv.AppendUint(b, uint64(flags), 10)
	b = append(b, " 0 "...)
	b = strconv.AppendInt(b, int64(len(value)), 10)
	b = append(b, "\r\n"...)
	b = append(b, value...)
	return append(b, "\r\n"...), nil
}

// EncodeRetrieval encodes "get" or "gets" for one or more keys.
func EncodeRetrieval(cmd string, keys ...string) ([]byte, error) {
	if cmd != "get" && cmd != "gets" {
		return nil, fmt.Errorf("retrieval command %q: not get or gets", cmd)
	}
	if len(keys) == 0 {
		return nil, errors.New("retrieval needs at least one key")
	}
	for _, k := range keys {
		if err := checkKey(k); err != nil {
			return nil, err
		}
	}
	return []byte(cmd + " " + strings.Join(keys, " ") + "\r\n"), nil
}

// EncodeDelete encodes "delete KEY".
func EncodeDelete(key string) ([]byte, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	return []byte("delete " + key + "\r\n"), nil
}

// EncodeSimple encodes a command without arguments, such as "version" or
// "stats".
func EncodeSimple(cmd string) []byte {
	return []byte(cmd + "\r\n")
}
