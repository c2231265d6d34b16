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

// linuxGuestImage returns the linux-single guest image, or skips.
func linuxGuestImage(t *testing.T) *boot.Image {
	t.Helper()
	v, err := variant.Lookup("linux-single")
	if err != nil {
		t.Fatal(err)
	}
	img, err := boot.ImageFor(context.Background(), testenv.Repo(t), testenv.Cache(t), v)
	if err != nil {
		if strings.Contains(err.Error(), "run `") {
			t.Skipf("the Linux guest cannot boot yet: %v", err)
		}
		t.Fatal(err)
	}
	return img
}

func TestAgainstLinuxGuestOverVhostUser(t *testing.T) {
	bin := needDPDK(t)
	img := linuxGuestImage(t)
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
