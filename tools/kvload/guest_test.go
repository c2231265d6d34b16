package kvload

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ukkv/ukkv/tools/boot"
	"github.com/ukkv/ukkv/tools/internal/testenv"
	"github.com/ukkv/ukkv/tools/variant"
)

// guestImage returns a guest row's image, or skips.
func guestImage(t *testing.T, name string) *boot.Image {
	t.Helper()
	v, err := variant.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	if v.Kind == variant.Unikraft {
		testenv.NeedSources(t, v)
	}
	img, err := boot.ImageFor(context.Background(), testenv.Repo(t), testenv.Cache(t), v)
	if err != nil {
		if strings.Contains(err.Error(), "run `") {
			t.Skipf("%s cannot boot yet: %v", name, err)
		}
		t.Fatal(err)
	}
	return img
}

func TestAgainstLinuxGuestOverVhostUser(t *testing.T) {
	bin := needDPDK(t)
	img := guestImage(t, "linux-single")
	accel := testenv.Accel(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	c := Defaults()
	c.Binary = bin
	c.Keys, c.ValueSize = testKeys, testValueSize
	c.Window = 8
	c.Duration, c.Warmup = time.Second, 200*time.Millisecond
	c.Timeout = 2 * time.Second
	c.LinkTimeout = boot.DefaultReadyTimeout
	kv := &Vhost{Config: c, Progress: func(l string) { t.Log(l) }}
	g, err := boot.Start(ctx, boot.Options{
		Image: img, Accel: accel, Backend: kv,
		Server: []string{"--port", strconv.Itoa(c.DstPort),
			"--preload", strconv.Itoa(testKeys), "--value-size", strconv.Itoa(testValueSize)},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Stop()
	t.Logf("guest ready after %s (%s)", g.BootTime().Round(time.Millisecond), accel)
	r, err := kv.Result(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%.0f replies/s, p50 %.1fus p99 %.1fus %+v", r.RepliesPerS, r.Latency.P50, r.Latency.P99, r.Counts)
	if r.Replies == 0 || r.Requests != r.Replies || r.Lost+r.Wrong+r.Malformed+r.Late != 0 {
		t.Errorf("requests %d, right replies %d, lost %d, wrong %d (%+v), malformed %d, late %d",
			r.Requests, r.Replies, r.Lost, r.Wrong, r.WrongReply, r.Malformed, r.Late)
	}
	checkLatency(t, r)
	if err := g.Stop(); err != nil {
		t.Error(err)
	}
}

// Each arrival at a rate near an interrupt-driven guest's capacity (the
// lwIP rows, elfloader's among them) arms and disarms its receive
// interrupt; were one lost, the ring would fill and the guest stop
// receiving for good. Light load after such rates, and after a far higher
// one, must be answered in full.
func TestLwIPGuestsAnswerAfterOverload(t *testing.T) {
	bin := needDPDK(t)
	for _, name := range []string{"lwip-socket", "batched", "elfloader-single", "go-elfloader"} {
		t.Run(name, func(t *testing.T) {
			kv, _ := bootWithSteps(t, bin, name)
			light := Step{Rate: 500, Duration: time.Second, Warmup: 200 * time.Millisecond}
			steps := []Step{light}
			for _, rate := range []float64{8000, 16000, 32000, 400000} {
				steps = append(steps, Step{Rate: rate, Duration: 2 * time.Second, Warmup: time.Second}, light)
			}
			for i, s := range steps {
				r, err := kv.Step(context.Background(), s)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("step %d at %.0f req/s: %d requests, %d right replies, lost %d", i+1, s.Rate, r.Requests, r.Replies, r.Lost)
				if s == light && (r.Requests == 0 || r.Replies != r.Requests) {
					t.Fatalf("step %d, light load: %d requests, %d right replies, lost %d, wrong %d",
						i+1, r.Requests, r.Replies, r.Lost, r.Wrong)
				}
			}
		})
	}
}

// A closed loop keeps a window of requests outstanding, so bursts of
// them wait in the guest's socket at once. Behind Go's network poller on
// Unikraft's epoll, the Go server lost its wake-up there and stopped for
// good (at window 256 on every boot, right after boot too): on each
// fresh boot, a window of 64 after one of 256 must be answered in full.
// (At 256, a loaded machine may delay a reply past kvload's timeout.)
func TestGoElfloaderAnswersClosedLoops(t *testing.T) {
	bin := needDPDK(t)
	for i := 1; i <= 3; i++ {
		kv, g := bootWithSteps(t, bin, "go-elfloader")
		for _, w := range []int{256, 64, 256, 64} {
			r, err := kv.Step(context.Background(), Step{Window: w, Duration: 2 * time.Second, Warmup: 500 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("boot %d, window %d: %d requests, %d right replies, lost %d", i, w, r.Requests, r.Replies, r.Lost)
			if w == 64 && (r.Requests == 0 || r.Replies != r.Requests) {
				t.Fatalf("boot %d, window 64 after 256: %d requests, %d right replies, lost %d, wrong %d; last console lines:\n%s",
					i, r.Requests, r.Replies, r.Lost, r.Wrong, g.ConsoleTail())
			}
		}
		if err := g.Stop(); err != nil {
			t.Error(err)
		}
	}
}

// bootWithSteps boots a guest row with kvload as its backend, run in
// steps; the guest stops with the test, if not before.
func bootWithSteps(t *testing.T, bin, name string) (*Vhost, *boot.Guest) {
	t.Helper()
	c := Defaults()
	c.Binary, c.Steps = bin, true
	c.Keys, c.ValueSize = testKeys, testValueSize
	c.LinkTimeout = boot.DefaultReadyTimeout
	kv := &Vhost{Config: c, Progress: func(l string) { t.Log(l) }}
	g, err := boot.Start(context.Background(), boot.Options{
		Image: guestImage(t, name), Accel: testenv.Accel(t), Backend: kv,
		Server: []string{"--port", strconv.Itoa(c.DstPort),
			"--preload", strconv.Itoa(testKeys), "--value-size", strconv.Itoa(testValueSize)},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = g.Stop() })
	return kv, g
}
