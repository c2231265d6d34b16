package tbcount

import (
	"math"
	"testing"
)

// A polling guest: the loop head and the empty-poll branch run once per
// idle iteration; a packet runs the loop head too, then the work.
const (
	loopHead  = 0x100
	emptyPoll = 0x120
	work      = 0x200
	timer     = 0x300
)

func TestSplitIdleTakesTheIdleLoopOutOfALoadedRun(t *testing.T) {
	idle := Counts{loopHead: 1000, emptyPoll: 1000, timer: 1}
	// 40 empty polls, 100 packets, a timer tick
	load := Counts{loopHead: 140, emptyPoll: 40, work: 100, timer: 1}
	w, in, k := SplitIdle(load, idle)
	if math.Abs(k-0.04) > 1e-9 {
		t.Fatalf("k = %g idle iterations per idle count, want 0.04", k)
	}
	// the timer tick counts as work but for the share the idle loop
	// would have had of it
	if got, want := w.Total(), 100+100+(1-0.04); math.Abs(got-want) > 1e-9 {
		t.Errorf("work %g instructions, want %g", got, want)
	}
	if got, want := in[emptyPoll], 40.0; math.Abs(got-want) > 1e-9 {
		t.Errorf("idle empty polls %g, want %g", got, want)
	}
	if _, ok := w[emptyPoll]; ok {
		t.Errorf("work in the empty poll: %g, want none", w[emptyPoll])
	}
	if got, want := w[loopHead], 100.0; math.Abs(got-want) > 1e-9 {
		t.Errorf("work in the loop head %g, want %g (one per packet)", got, want)
	}
	if got := w.Total() + in.Total(); math.Abs(got-float64(load.Insns())) > 1e-9 {
		t.Errorf("work + idle = %g, want every instruction of the run, %d", got, load.Insns())
	}
}

func TestSplitIdleOfAHaltedGuestTakesNothing(t *testing.T) {
	load := Counts{work: 100}
	w, in, k := SplitIdle(load, Counts{})
	if k != 0 || in.Total() != 0 || w.Total() != float64(load.Insns()) {
		t.Errorf("k %g, idle %g, work %g: want everything as work", k, in.Total(), w.Total())
	}
}
