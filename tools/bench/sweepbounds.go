package bench

import (
	"fmt"
	"math"
	"strings"
)

// Bounds say what a sustainable step is on a machine whose scheduler
// stalls any process for milliseconds now and then, whatever the load.
// In an open loop, a queue that grows (the server falls behind) lifts
// the median and shows as loss or as replies falling behind the offered
// rate; a stall lifts only the tail. So the median, the loss and the
// replies judge a step, and the p99 only against a floor above the
// stalls. A closed loop's window caps its queue, and its median is the
// window over the throughput (Little's law): it is judged by its loss
// and its p99, and the sweep stops widening it when replies stop rising.
type Bounds struct {
	// Loss is the largest share of requests lost (or answered wrong).
	Loss float64
	// KeepUp is the least share of an open loop's rate answered right;
	// of the requests its client sent, when it sent fewer: a client that
	// misses sends after a stall of its own is not the server's knee (a
	// full queue that refuses them lifts the median too).
	KeepUp float64
	// P50Factor times the light-load p50 bounds an open loop's p50.
	P50Factor float64
	// P99Factor times the light-load p50 bounds the p99, or twice the
	// light-load p99 when higher (a row jittery even at light load), or
	// P99Floor (µs) when higher still.
	P99Factor, P99Floor float64
}

// DefaultBounds: 0.1% loss, 99% of the rate answered, an open loop's
// p50 within 10x the light load's, p99 within 10x its p50 but no less than 10 ms: on
// an idle 2-core machine under TCG, stalls reached 5 to 9 ms at any load.
func DefaultBounds() Bounds {
	return Bounds{Loss: 0.001, KeepUp: 0.99, P50Factor: 10, P99Factor: 10, P99Floor: 10_000}
}

func (b Bounds) validate() error {
	if b.Loss < 0 || b.KeepUp < 0 || b.KeepUp > 1 || b.P50Factor <= 1 || b.P99Factor <= 1 || b.P99Floor < 0 {
		return fmt.Errorf("loss bound %g, keep-up %g, p50 bound %gx, p99 bound %gx or %g µs: want >= 0, 0..1, > 1, > 1 and >= 0",
			b.Loss, b.KeepUp, b.P50Factor, b.P99Factor, b.P99Floor)
	}
	return nil
}

// String states the bounds for the report.
func (b Bounds) String() string {
	return fmt.Sprintf("lost or wrong at most %g%% of requests; an open loop's right replies at least %g%% of its rate (of the requests sent, if fewer) and its p50 at most %gx the row's light-load p50 (its first step; a closed loop's window caps its queue); p99 at most %gx that p50, or twice the light-load p99, or %s µs, whichever is highest",
		100*b.Loss, 100*b.KeepUp, b.P50Factor, b.P99Factor, formatRate(b.P99Floor))
}

// limits are a row's bounds in µs, from its light-load step.
type limits struct{ p50, p99 float64 }

func (b Bounds) limits(light Measurement) limits {
	return limits{p50: b.P50Factor * light.P50,
		p99: math.Max(b.P99Factor*light.P50, math.Max(jitterHeadroom*light.P99, b.P99Floor))}
}

// jitterHeadroom times the light-load p99 is the least p99 bound.
const jitterHeadroom = 2

// broken names the bounds a step breaks, "" when it keeps them all.
func (b Bounds) broken(st SweepStep, l limits) string {
	m := st.Measurement
	var why []string
	if m.Replies == 0 {
		why = append(why, "no right reply")
	}
	if m.Requests > 0 && float64(m.Lost+m.Wrong) > b.Loss*float64(m.Requests) {
		why = append(why, fmt.Sprintf("lost or wrong %d of %d requests (bound %g%%)", m.Lost+m.Wrong, m.Requests, 100*b.Loss))
	}
	if sent := math.Min(st.Load, m.RequestsPerS); st.Window == 0 && m.RepliesPerS < b.KeepUp*sent {
		why = append(why, fmt.Sprintf("%s right replies/s of %s sent", formatRate(m.RepliesPerS), formatRate(sent)))
	}
	if st.Window == 0 && m.P50 > l.p50 {
		why = append(why, fmt.Sprintf("p50 %s µs above %s µs", formatRate(m.P50), formatRate(l.p50)))
	}
	if m.P99 > l.p99 {
		why = append(why, fmt.Sprintf("p99 %s µs above %s µs", formatRate(m.P99), formatRate(l.p99)))
	}
	return strings.Join(why, "; ")
}
