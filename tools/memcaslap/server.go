package memcaslap

import (
	"errors"
	"fmt"
	"strconv"
)

// CheckServer compares the summary with the server's own "stats" after
// the run. memcaslap counts a lost reply as a timeout only after 30 s,
// longer than most runs, so a silently dropped request shows only here:
// the server must have got every request memcaslap sent but the last one
// of each client, which may still be in flight when the run ends. The
// error counters our front ends report (errors, dropped, amp_refused;
// memcached has none of them) must be zero.
func (s Summary) CheckServer(stats map[string]string, concurrency int) error {
	var errs []error
	n := map[string]uint64{}
	for _, name := range []string{"cmd_get", "cmd_set", "errors", "dropped", "amp_refused"} {
		v, ok := stats[name]
		if !ok {
			continue
		}
		var err error
		if n[name], err = strconv.ParseUint(v, 10, 64); err != nil {
			errs = append(errs, fmt.Errorf("server stat %s = %q: %w", name, v, err))
		}
	}
	for _, name := range []string{"errors", "dropped", "amp_refused"} {
		if n[name] > 0 {
			errs = append(errs, fmt.Errorf("server counted %s: %d", name, n[name]))
		}
	}
	if _, ok := stats["cmd_get"]; !ok {
		errs = append(errs, errors.New("server stats lack cmd_get"))
	}
	served := n["cmd_get"] + n["cmd_set"]
	if served > s.Ops || s.Ops-served > uint64(concurrency) {
		errs = append(errs, fmt.Errorf("server got %d requests, memcaslap sent %d with %d clients", served, s.Ops, concurrency))
	}
	return errors.Join(errs...)
}
