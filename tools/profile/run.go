package profile

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	log "github.com/sirupsen/logrus"

	"github.com/ukkv/ukkv/tools/boot"
	"github.com/ukkv/ukkv/tools/dpdk"
	"github.com/ukkv/ukkv/tools/kvload"
	"github.com/ukkv/ukkv/tools/process"
	"github.com/ukkv/ukkv/tools/qemu"
	"github.com/ukkv/ukkv/tools/tbcount"
)

// guestPort is the UDP port of the server in the guest.
const guestPort = 11211

// sample is what one run counted: the guest's blocks while it served
// the measured requests, and while it was left alone.
type sample struct {
	load, idle tbcount.Counts
	// requests is how many requests the guest answered right.
	requests uint64
}

// measure boots the image with the counting plugin on kvload's port and
// counts the guest's instructions: left alone for cfg.Idle (kvload
// paused before its measured run), then over the measured requests.
func measure(ctx context.Context, cfg Config, img *boot.Image) (sample, error) {
	dir, err := process.OwnedTempDir("profile")
	if err != nil {
		return sample{}, err
	}
	defer os.RemoveAll(dir)
	c := counter{socket: filepath.Join(dir, "tbcount.sock")}
	qmpSocket := filepath.Join(dir, "qmp.sock")
	lb := &kvload.Vhost{Config: cfg.loadConfig()}
	g, err := boot.Start(ctx, boot.Options{
		Image: img, Accel: cfg.Accel, Backend: lb, ReadyTimeout: cfg.ReadyTimeout,
		Server: lb.Config.ServerArgs(strconv.Itoa(guestPort)),
		CPUs:   dpdk.Beside(lb.Config.CPU),
		Plugin: tbcount.PluginArg(cfg.Plugin, c.socket), QMPSocket: qmpSocket,
	})
	if err != nil {
		return sample{}, err
	}
	if c.qmp, err = qemu.DialQMP(ctx, qmpSocket); err == nil {
		defer c.qmp.Close()
	}
	var s sample
	if err == nil {
		s, err = snapshots(ctx, cfg, lb, c)
	}
	if stopErr := g.Stop(); stopErr != nil {
		err = errors.Join(err, stopErr)
	}
	if err != nil {
		return sample{}, fmt.Errorf("profile of %s: %w", img.Name, err)
	}
	return s, nil
}

// snapshots runs kvload's warm-up, takes the counts while kvload waits
// for its next load, again after the guest was left alone for idle,
// runs the measured requests and takes the counts once more.
func snapshots(ctx context.Context, cfg Config, lb *kvload.Vhost, c counter) (sample, error) {
	w := cfg.Workload
	if _, err := lb.Step(ctx, kvload.Step{Rate: w.Rate, Window: w.Window, Duration: w.Warmup}); err != nil {
		return sample{}, fmt.Errorf("warm-up: %w", err)
	}
	before, err := c.read(ctx)
	if err != nil {
		return sample{}, err
	}
	log.Debugf("guest left alone for %s", cfg.Idle)
	if err := sleep(ctx, cfg.Idle); err != nil {
		return sample{}, err
	}
	rested, err := c.read(ctx)
	if err != nil {
		return sample{}, err
	}
	res, err := lb.Step(ctx, kvload.Step{Rate: w.Rate, Window: w.Window, Duration: w.Duration, Requests: cfg.Requests})
	if err != nil {
		return sample{}, err
	}
	after, err := c.read(ctx)
	if err != nil {
		return sample{}, err
	}
	s := sample{idle: rested.Since(before), load: after.Since(rested)}
	s.requests, err = answered(res)
	return s, err
}

// counter takes snapshots of a guest's counts.
type counter struct {
	socket string
	qmp    *qemu.QMP
}

// read takes a snapshot with the guest paused: a running guest would
// run on while the plugin writes its counters, and a polling loop's
// instructions would be read at different moments and disagree.
func (c counter) read(ctx context.Context) (tbcount.Counts, error) {
	if err := c.qmp.Execute("stop"); err != nil {
		return nil, err
	}
	counts, err := tbcount.Read(ctx, c.socket)
	if contErr := c.qmp.Execute("cont"); err == nil {
		err = contErr
	}
	return counts, err
}

// answered is the requests a run answered right, or an error if any
// reply was wrong or lost: the guest then did other work than the
// requests counted.
func answered(res *kvload.Result) (uint64, error) {
	if res.Wrong+res.Malformed+res.Lost > 0 || res.Replies == 0 {
		return 0, fmt.Errorf("kvload: %d requests, %d right replies, %d wrong, %d malformed, %d lost",
			res.Requests, res.Replies, res.Wrong, res.Malformed, res.Lost)
	}
	return res.Replies, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
