package kvload

import (
	"encoding/json"
	"fmt"
)

// Result is the JSON object kvload prints at the end. Counts are of the
// measured run only; warm-up traffic is in Counts.Warmup*.
type Result struct {
	Mode         string     `json:"mode"` // closed, open or echo
	Window       int        `json:"window"`
	Rate         float64    `json:"rate"`
	Step         int        `json:"step"` // 1, 2, ... of a run in steps
	DurationS    float64    `json:"duration_s"`
	Interrupted  bool       `json:"interrupted"`
	Requests     uint64     `json:"requests"`
	Replies      uint64     `json:"replies"` // right ones only
	RequestsPerS float64    `json:"requests_per_s"`
	RepliesPerS  float64    `json:"replies_per_s"`
	Latency      Latency    `json:"latency_us"`
	Lost         uint64     `json:"lost"`      // no reply within the timeout
	Late         uint64     `json:"late"`      // a reply after its request was lost
	Malformed    uint64     `json:"malformed"` // frames or frame headers not readable
	Wrong        uint64     `json:"wrong"`     // WrongID plus every WrongReply
	WrongID      uint64     `json:"wrong_id"`  // a reply to no request outstanding
	WrongReply   WrongReply `json:"wrong_reply"`
	Counts       Counts     `json:"counts"`
}

// Latency of right replies, in microseconds.
type Latency struct {
	Samples uint64  `json:"samples"`
	P50     float64 `json:"p50"`
	P99     float64 `json:"p99"`
	P999    float64 `json:"p999"`
	Mean    float64 `json:"mean"`
	Max     float64 `json:"max"`
}

// WrongReply counts replies to an outstanding request that were wrong.
type WrongReply struct {
	Miss       uint64 `json:"miss"`        // GET of a key that should exist
	BadKey     uint64 `json:"bad_key"`     // a VALUE of another key
	BadValue   uint64 `json:"bad_value"`   // wrong length or bytes
	ErrorReply uint64 `json:"error_reply"` // ERROR, CLIENT_ERROR, SERVER_ERROR, NOT_STORED
	Garbled    uint64 `json:"garbled"`     // not a reply of the protocol
}

// Total is the number of wrong replies to outstanding requests.
func (w WrongReply) Total() uint64 {
	return w.Miss + w.BadKey + w.BadValue + w.ErrorReply + w.Garbled
}

// Counts are the port's and the phases' other figures.
type Counts struct {
	Get            uint64 `json:"get"`
	Set            uint64 `json:"set"`
	WarmupRequests uint64 `json:"warmup_requests"`
	WarmupReplies  uint64 `json:"warmup_replies"`
	RxFrames       uint64 `json:"rx_frames"`
	TxDropped      uint64 `json:"tx_dropped"`
	ArpAnswered    uint64 `json:"arp_answered"`
	Ignored        uint64 `json:"ignored"`
}

// Balanced says whether every measured request is accounted for
// exactly once: answered right, answered wrong, or lost.
func (r *Result) Balanced() bool {
	return r.Requests == r.Replies+r.WrongReply.Total()+r.Lost
}

func parseResult(line []byte) (*Result, error) {
	var r Result
	if err := json.Unmarshal(line, &r); err != nil {
		return nil, fmt.Errorf("kvload result %q: %w", line, err)
	}
	return &r, nil
}
