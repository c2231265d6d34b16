package memcaslap

import (
	"strings"
	"testing"
)

func TestCheckServer(t *testing.T) {
	sum := Summary{Ops: 1000}
	ok := []map[string]string{
		{"cmd_get": "900", "cmd_set": "100", "errors": "0", "dropped": "0", "amp_refused": "0"},
		{"cmd_get": "895", "cmd_set": "97"}, // memcached: 8 in flight
	}
	for _, stats := range ok {
		if err := sum.CheckServer(stats, 8); err != nil {
			t.Errorf("%v: %v", stats, err)
		}
	}
	bad := map[string]map[string]string{
		"dropped":        {"cmd_get": "900", "cmd_set": "100", "dropped": "1"},
		"errors":         {"cmd_get": "900", "cmd_set": "100", "errors": "2"},
		"amp_refused":    {"cmd_get": "900", "cmd_set": "100", "amp_refused": "3"},
		"memcaslap sent": {"cmd_get": "800", "cmd_set": "100"},
		"got 1001":       {"cmd_get": "901", "cmd_set": "100"},
		"lack cmd_get":   {"cmd_set": "1000"},
		`"x"`:            {"cmd_get": "x", "cmd_set": "100"},
	}
	for want, stats := range bad {
		if err := sum.CheckServer(stats, 8); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: %v, want an error naming %q", stats, err, want)
		}
	}
}
