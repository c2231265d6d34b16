package kv

import "bytes"

// Version is what the version command and stats report.
const Version = "ukkv-1.0"

// reply is a reply under construction: a write past its capacity only
// sets overflow.
type reply struct {
	buf      []byte // len: what is written, cap: the bound
	overflow bool
}

func (r *reply) put(p []byte) {
	if len(p) > cap(r.buf)-len(r.buf) {
		r.overflow = true
		return
	}
	r.buf = append(r.buf, p...)
}

func (r *reply) putStr(p string) {
	if len(p) > cap(r.buf)-len(r.buf) {
		r.overflow = true
		return
	}
	r.buf = append(r.buf, p...)
}

func appendUint(b []byte, v uint64) []byte {
	var tmp [20]byte
	n := len(tmp)
	for {
		n--
		tmp[n] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return append(b, tmp[n:]...)
}

func (r *reply) putUint(v uint64) {
	var tmp [20]byte
	r.put(appendUint(tmp[:0], v))
}

func (r *reply) putValue(s *Store, n uint32, withCAS bool) {
	it := &s.items[n]
	r.putStr("VALUE ")
	r.put(s.key(n))
	r.putStr(" ")
	r.putUint(uint64(it.flags))
	r.putStr(" ")
	r.putUint(uint64(it.vlen))
	if withCAS {
		r.putStr(" ")
		r.putUint(it.cas)
	}
	r.putStr("\r\n")
	r.put(s.value(n))
	r.putStr("\r\n")
}

func (r *reply) putStat(name string, v uint64) {
	r.putStr("STAT ")
	r.putStr(name)
	r.putStr(" ")
	r.putUint(v)
	r.putStr("\r\n")
}

// tokensMax bounds the tokens of a command line, as in memcached.
const tokensMax = 8

// tokenize splits line at spaces into at most tokensMax tokens; it
// returns their count, or tokensMax + 1 when there are more.
func tokenize(line []byte, tok *[tokensMax][]byte) int {
	i, n := 0, 0
	for {
		for i < len(line) && line[i] == ' ' {
			i++
		}
		if i == len(line) {
			return n
		}
		if n == tokensMax {
			return tokensMax + 1
		}
		start := i
		for i < len(line) && line[i] != ' ' {
			i++
		}
		tok[n] = line[start:i]
		n++
	}
}

// parseNum parses a decimal number of at most max; a leading '-' only if
// allowNeg.
func parseNum(t []byte, max uint64, allowNeg bool) (v uint64, neg bool, ok bool) {
	if allowNeg && len(t) > 0 && t[0] == '-' {
		neg = true
		t = t[1:]
	}
	if len(t) == 0 {
		return 0, neg, false
	}
	for _, c := range t {
		if c < '0' || c > '9' {
			return 0, neg, false
		}
		d := uint64(c - '0')
		if v > (max-d)/10 {
			return 0, neg, false
		}
		v = v*10 + d
	}
	return v, neg, true
}

// next says whether a datagram's later commands are run.
type next bool

const (
	cont next = true
	stop next = false
)

const errLine = "CLIENT_ERROR bad command line format"

func (s *Store) replyError(r *reply, msg string) next {
	s.stats.Errors++
	r.putStr(msg)
	r.putStr("\r\n")
	return stop
}

// cmdGet walks the keys in place: a multi-key get is not bounded by the
// token array.
func (s *Store) cmdGet(r *reply, p []byte, withCAS bool) next {
	mark := len(r.buf)
	nkeys := 0
	i := 0
	for {
		for i < len(p) && p[i] == ' ' {
			i++
		}
		if i == len(p) {
			break
		}
		start := i
		for i < len(p) && p[i] != ' ' {
			i++
		}
		if i-start > KeyMax {
			r.buf = r.buf[:mark]
			return s.replyError(r, errLine)
		}
		nkeys++
		s.stats.CmdGet++
		n := s.lookup(p[start:i])
		if n == 0 {
			s.stats.GetMisses++
			continue
		}
		s.stats.GetHits++
		r.putValue(s, n-1, withCAS)
	}
	if nkeys == 0 {
		r.buf = r.buf[:mark]
		return s.replyError(r, "ERROR")
	}
	r.putStr("END\r\n")
	return cont
}

// cmdDelete answers "delete <key> [0] [noreply]": a time other than 0 is
// refused.
func (s *Store) cmdDelete(r *reply, tok [][]byte) next {
	noreply := false
	if len(tok) > 2 && string(tok[len(tok)-1]) == "noreply" {
		noreply = true
		tok = tok[:len(tok)-1]
	}
	if len(tok) > 3 || (len(tok) == 3 && string(tok[2]) != "0") {
		return s.replyError(r, "CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]")
	}
	if len(tok[1]) > KeyMax {
		return s.replyError(r, errLine)
	}
	s.stats.CmdDelete++
	i, _ := s.find(tok[1], s.hash(tok[1]))
	if i >= 0 {
		s.unlink(uint32(i))
	}
	if !noreply {
		if i >= 0 {
			r.putStr("DELETED\r\n")
		} else {
			r.putStr("NOT_FOUND\r\n")
		}
	}
	return cont
}

var storeReplies = [...]string{
	stored:    "STORED\r\n",
	notStored: "NOT_STORED\r\n",
	exists:    "EXISTS\r\n",
	notFound:  "NOT_FOUND\r\n",
}

const (
	maxUint32 = 1<<32 - 1
	maxInt32  = 1<<31 - 1
	maxInt64  = 1<<63 - 1
	maxUint64 = 1<<64 - 1
)

// cmdStore answers "<cmd> <key> <flags> <exptime> <bytes> [noreply]",
// cas with "<cas unique>" before noreply; the data block follows the
// command line at in[*pos:], and *pos is moved past it.
func (s *Store) cmdStore(r *reply, mode storeMode, tok [][]byte, in []byte, pos *int) next {
	nargs := 5
	if mode == modeCAS {
		nargs = 6
	}
	// as memcached, one more token is allowed and only "noreply" counts
	if len(tok) != nargs && len(tok) != nargs+1 {
		return s.replyError(r, "ERROR")
	}
	noreply := len(tok) == nargs+1 && string(tok[nargs]) == "noreply"
	flags, _, ok1 := parseNum(tok[2], maxUint32, false)
	exptime, expired, ok2 := parseNum(tok[3], maxInt64, true)
	vlen, _, ok3 := parseNum(tok[4], maxInt32, false)
	var cas uint64
	ok4 := true
	if mode == modeCAS {
		cas, _, ok4 = parseNum(tok[5], maxUint64, false)
	}
	if len(tok[1]) > KeyMax || !ok1 || !ok2 || !ok3 || !ok4 {
		return s.replyError(r, errLine)
	}
	s.stats.CmdSet++
	if vlen > uint64(ValueMax(len(tok[1]))) || uint64(len(tok[1]))+vlen > uint64(s.itemMax) {
		return s.replyError(r, "SERVER_ERROR object too large for cache")
	}
	end := uint64(*pos) + vlen
	if uint64(len(in)-*pos) < vlen+2 || in[end] != '\r' || in[end+1] != '\n' {
		return s.replyError(r, "CLIENT_ERROR bad data chunk")
	}
	val := in[*pos:end]
	*pos = int(end) + 2
	res := s.storeItem(mode, tok[1], val, uint32(flags), expired && exptime != 0, cas)
	if res == noMemory {
		return s.replyError(r, "SERVER_ERROR out of memory storing object")
	}
	if !noreply {
		r.putStr(storeReplies[res])
	}
	return cont
}

func (s *Store) cmdStats(r *reply) next {
	st := &s.stats
	r.putStr("STAT version " + Version + "\r\n")
	r.putStat("curr_items", st.CurrItems)
	r.putStat("limit_maxitems", uint64(s.capacity))
	r.putStat("cmd_get", st.CmdGet)
	r.putStat("cmd_set", st.CmdSet)
	r.putStat("cmd_delete", st.CmdDelete)
	r.putStat("get_hits", st.GetHits)
	r.putStat("get_misses", st.GetMisses)
	r.putStat("errors", st.Errors)
	r.putStat("amp_refused", st.AmpRefused)
	r.putStat("dropped", st.Dropped)
	r.putStat("bytes_read", st.BytesRead)
	r.putStat("bytes_written", st.BytesWritten)
	r.putStr("END\r\n")
	return cont
}

// command runs the command whose line is in[*pos:eol] and moves *pos past
// it (and past its data block).
func (s *Store) command(r *reply, in []byte, pos *int, eol int) next {
	line := in[*pos:eol]
	*pos = eol + 1
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	// the hot path first: get needs no token array
	if bytes.HasPrefix(line, []byte("get ")) {
		return s.cmdGet(r, line[4:], false)
	}
	if bytes.HasPrefix(line, []byte("gets ")) {
		return s.cmdGet(r, line[5:], true)
	}
	var toks [tokensMax][]byte
	ntok := tokenize(line, &toks)
	if ntok == 0 {
		return s.replyError(r, "ERROR")
	}
	cmd := string(toks[0])
	// spaces before get/gets; its keys are not bounded by the tokens
	if cmd == "get" || cmd == "gets" {
		skip := cap(line) - cap(toks[0]) + len(toks[0])
		return s.cmdGet(r, line[skip:], cmd == "gets")
	}
	if ntok > tokensMax {
		return s.replyError(r, "ERROR")
	}
	tok := toks[:ntok]
	switch {
	case cmd == "set":
		return s.cmdStore(r, modeSet, tok, in, pos)
	case cmd == "add":
		return s.cmdStore(r, modeAdd, tok, in, pos)
	case cmd == "replace":
		return s.cmdStore(r, modeReplace, tok, in, pos)
	case cmd == "cas":
		return s.cmdStore(r, modeCAS, tok, in, pos)
	case cmd == "delete" && ntok >= 2:
		return s.cmdDelete(r, tok)
	case cmd == "version":
		// as memcached, version ignores any arguments
		r.putStr("VERSION " + Version + "\r\n")
		return cont
	case cmd == "stats" && ntok == 1:
		return s.cmdStats(r)
	}
	return s.replyError(r, "ERROR")
}

// replace replaces whatever was built after the frame header with msg.
func (r *reply) replace(msg string) {
	r.buf = r.buf[:FrameHeaderLen]
	r.overflow = false
	r.putStr(msg)
}

// Handle answers one UDP payload (8-byte frame header, then text
// commands, as memcached: several may follow each other; processing
// stops at the first error). It writes the reply, with its frame header,
// into out and returns its length, never more than DatagramMax or
// len(out); it returns 0 when the datagram is dropped or every command
// was noreply. out must not overlap in.
func (s *Store) Handle(in, out []byte) int {
	r := reply{buf: out[:0:min(len(out), DatagramMax)]}
	s.stats.BytesRead += uint64(len(in))
	// as memcached: no command, or a request in several datagrams,
	// cannot be answered
	if len(in) <= FrameHeaderLen || in[4] != 0 || in[5] != 1 || cap(r.buf) < FrameHeaderLen {
		s.stats.Dropped++
		return 0
	}
	// echo the request id; sequence 0 of 1 datagram
	r.buf = append(r.buf, in[0], in[1], 0, 0, 0, 1, 0, 0)
	pos := FrameHeaderLen
	for pos < len(in) {
		// an unterminated line is a request memcached waits on
		nl := bytes.IndexByte(in[pos:], '\n')
		if nl < 0 {
			if len(r.buf) == FrameHeaderLen {
				s.stats.Dropped++
				return 0
			}
			break
		}
		if s.command(&r, in, &pos, pos+nl) == stop || r.overflow {
			break
		}
	}
	// one datagram carries the whole reply or only this error
	if r.overflow {
		s.stats.Errors++
		r.replace("SERVER_ERROR out of memory writing get response\r\n")
		if r.overflow {
			s.stats.Dropped++
			return 0
		}
	}
	if len(r.buf) == FrameHeaderLen {
		return 0
	}
	// a reply far larger than its request would make us an amplifier
	limit := uint64(s.ampLimit) * uint64(len(in))
	if uint64(len(r.buf)) > limit {
		s.stats.AmpRefused++
		s.stats.Errors++
		r.replace("SERVER_ERROR reply refused: larger than the amplification limit\r\n")
		if r.overflow || uint64(len(r.buf)) > limit {
			s.stats.Dropped++
			return 0
		}
	}
	s.stats.BytesWritten += uint64(len(r.buf))
	return len(r.buf)
}
