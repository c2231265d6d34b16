package kvload

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ukkv/ukkv/tools/process"
)

func TestStepLine(t *testing.T) {
	for _, c := range []struct {
		s    Step
		want string
	}{
		{Step{Rate: 2500.5, Duration: time.Second, Warmup: 250 * time.Millisecond}, "rate 2500.5 duration 1 warmup 0.25\n"},
		{Step{Window: 16, Duration: 2 * time.Second}, "window 16 duration 2 warmup 0\n"},
		{Step{Window: 32, Duration: time.Minute, Requests: 5000}, "window 32 requests 5000 duration 60 warmup 0\n"},
	} {
		if got := c.s.line(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.s, got, c.want)
		}
	}
	for _, bad := range []Step{{Duration: time.Second}, {Rate: 1, Window: 1, Duration: time.Second}, {Rate: 1}} {
		if bad.validate() == nil {
			t.Errorf("step %+v accepted", bad)
		}
	}
}

// TestStepsOnRingLoopback runs three loads in one kvload: each gets its
// own result, counted from zero, in the loop it asked for.
func TestStepsOnRingLoopback(t *testing.T) {
	bin := needDPDK(t)
	c := RingCeiling(validConfig())
	c.Binary = bin
	c.Prefix = process.OwnedName()
	c.Steps = true
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	g, err := Start(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Stop()
	steps := []Step{
		{Rate: 2000, Duration: 300 * time.Millisecond},
		{Window: 8, Duration: 300 * time.Millisecond, Warmup: 50 * time.Millisecond},
		{Rate: 4000, Duration: 300 * time.Millisecond},
	}
	for i, s := range steps {
		r, err := g.Step(ctx, s)
		if err != nil {
			t.Fatalf("step %d: %v", i+1, err)
		}
		mode := map[bool]string{true: "open", false: "closed"}[s.Rate > 0]
		if r.Step != i+1 || r.Mode != "echo" || r.Rate != s.Rate || r.Window != s.Window || r.DurationS < 0.29 {
			t.Errorf("step %d (%s): %+v", i+1, mode, r)
		}
		// an open loop sends about its rate: its counts start afresh each step
		if s.Rate > 0 && float64(r.Requests) > 2*s.Rate*s.Duration.Seconds() {
			t.Errorf("step %d: %d requests at %g/s for %s: counts carried over", i+1, r.Requests, s.Rate, s.Duration)
		}
		if r.Replies == 0 || !r.Balanced() || r.Wrong+r.Malformed != 0 {
			t.Errorf("step %d: %+v", i+1, r)
		}
	}
	// a load with a request limit ends after them, well before its duration
	r, err := g.Step(ctx, Step{Window: 8, Duration: time.Minute, Requests: 500})
	if err != nil {
		t.Fatalf("step with 500 requests: %v", err)
	}
	if r.Requests != 500 || r.Replies != 500 || r.DurationS > 30 {
		t.Errorf("step with 500 requests: %d requests, %d replies in %gs", r.Requests, r.Replies, r.DurationS)
	}
	g.Stop()
	if _, err := os.Stat("/var/run/dpdk/" + c.Prefix); !os.IsNotExist(err) {
		t.Errorf("DPDK run folder of %s left behind (%v)", c.Prefix, err)
	}
}

// TestStepRefusedByKvload: a load kvload cannot read ends it with a
// message, and Step says so instead of waiting.
func TestStepRefusedByKvload(t *testing.T) {
	bin := needDPDK(t)
	c := RingCeiling(validConfig())
	c.Binary = bin
	c.Prefix = process.OwnedName()
	c.Steps = true
	g, err := Start(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// a window above kvload's limit passes our check but not kvload's
	_, err = g.Step(ctx, Step{Window: 1 << 20, Duration: time.Second})
	if err == nil || !strings.Contains(err.Error(), "bad value") {
		t.Errorf("step with a window of 2^20: %v", err)
	}
}
