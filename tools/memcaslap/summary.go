// Package memcaslap runs Debian's memcaslap (libmemcached-tools) against
// one server in UDP mode and reads its closing summary.
package memcaslap

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Summary is what memcaslap reports at the end of a run.
type Summary struct {
	CmdGet, CmdSet, GetMisses              uint64
	PacketDisorder, PacketDrop, UDPTimeout uint64
	Ops                                    uint64
	Seconds                                float64
	TPS                                    float64 // requests (get+set) per second
	// ErrorReplies counts the replies memcaslap printed as unexpected
	// ("<FD SERVER_ERROR ...", "<FD ERROR", "<FD NOT_STORED", ...);
	// ErrorSamples keeps the first few of them.
	ErrorReplies uint64
	ErrorSamples []string
}

const maxErrorSamples = 5

var (
	// memcaslap prints each unexpected reply as "<" and its socket.
	errorReplyLine = regexp.MustCompile(`^<\d+ `)
	runTimeLine    = regexp.MustCompile(`^Run time: ([0-9.]+)s Ops: (\d+) TPS: ([0-9.]+) `)
)

// Parse reads memcaslap's output (standard output and error together).
func Parse(out []byte) (Summary, error) {
	var s Summary
	counters := map[string]*uint64{
		"cmd_get":         &s.CmdGet,
		"cmd_set":         &s.CmdSet,
		"get_misses":      &s.GetMisses,
		"packet_disorder": &s.PacketDisorder,
		"packet_drop":     &s.PacketDrop,
		"udp_timeout":     &s.UDPTimeout,
	}
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if errorReplyLine.MatchString(line) {
			s.addErrorReply(line)
			continue
		}
		if m := runTimeLine.FindStringSubmatch(line); m != nil {
			if err := s.parseRunTime(m); err != nil {
				return Summary{}, err
			}
			seen["Run time"] = true
			continue
		}
		name, value, ok := strings.Cut(line, ": ")
		if p := counters[name]; ok && p != nil {
			n, err := strconv.ParseUint(value, 10, 64)
			if err != nil {
				return Summary{}, fmt.Errorf("memcaslap line %q: %w", line, err)
			}
			*p = n
			seen[name] = true
		}
	}
	if err := sc.Err(); err != nil {
		return Summary{}, fmt.Errorf("read memcaslap output: %w", err)
	}
	for _, name := range []string{"cmd_get", "cmd_set", "get_misses", "packet_disorder", "packet_drop", "udp_timeout", "Run time"} {
		if !seen[name] {
			return Summary{}, fmt.Errorf("memcaslap output lacks %q (a UDP run prints it)", name)
		}
	}
	return s, nil
}

func (s *Summary) addErrorReply(line string) {
	s.ErrorReplies++
	if len(s.ErrorSamples) < maxErrorSamples {
		s.ErrorSamples = append(s.ErrorSamples, line)
	}
}

func (s *Summary) parseRunTime(m []string) error {
	var err1, err2, err3 error
	s.Seconds, err1 = strconv.ParseFloat(m[1], 64)
	s.Ops, err2 = strconv.ParseUint(m[2], 10, 64)
	s.TPS, err3 = strconv.ParseFloat(m[3], 64)
	if err := errors.Join(err1, err2, err3); err != nil {
		return fmt.Errorf("memcaslap run time line %q: %w", m[0], err)
	}
	return nil
}

// Check returns an error naming every sign of a faulty run: error
// replies, drops, timeouts, disorder, or fewer than minOps requests
// (memcaslap reports no timeout when a server never answers at all).
func (s Summary) Check(minOps uint64) error {
	var errs []error
	if s.ErrorReplies > 0 {
		errs = append(errs, fmt.Errorf("%d error replies, e.g. %q", s.ErrorReplies, s.ErrorSamples))
	}
	for name, n := range map[string]uint64{"packet_drop": s.PacketDrop, "udp_timeout": s.UDPTimeout, "packet_disorder": s.PacketDisorder} {
		if n > 0 {
			errs = append(errs, fmt.Errorf("%s: %d", name, n))
		}
	}
	if s.Ops < minOps {
		errs = append(errs, fmt.Errorf("%d requests, expected at least %d", s.Ops, minOps))
	}
	return errors.Join(errs...)
}
