package experiment

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	log "github.com/sirupsen/logrus"

	"github.com/ukkv/ukkv/tools/bench"
	"github.com/ukkv/ukkv/tools/boot"
	"github.com/ukkv/ukkv/tools/process"
	"github.com/ukkv/ukkv/tools/provenance"
	"github.com/ukkv/ukkv/tools/qemu"
	"github.com/ukkv/ukkv/tools/report"
	"github.com/ukkv/ukkv/tools/variant"
)

// BootOptions are what boottime and compare share.
type BootOptions struct {
	// Rows are the guest rows to boot; SkipMissing leaves out, with a
	// warning, each whose image is not built or whose program is
	// missing (for a command given no row names).
	Rows        []*variant.Variant
	SkipMissing bool
	// Boots is how often each row boots at each memory size; MemoriesMiB
	// are the sizes (-m) it boots with (none: the default, or what the
	// image needs).
	Boots       int
	MemoriesMiB []int
}

func (o BootOptions) check() error {
	if o.Boots < 1 {
		return fmt.Errorf("-n %d: at least 1", o.Boots)
	}
	for _, m := range o.MemoriesMiB {
		if m < 1 {
			return fmt.Errorf("-m %d: at least 1 MiB", m)
		}
	}
	return nil
}

// memories are the -m of each series of boots, 0 for the default.
func (o BootOptions) memories() []int {
	if len(o.MemoriesMiB) == 0 {
		return []int{0}
	}
	return o.MemoriesMiB
}

// Boottime boots the QEMU floor and each row o.Boots times at each
// memory size and reports the time from QEMU's start to the ready line,
// and the guest's share.
func Boottime(ctx context.Context, env *Env, o BootOptions) (*Report, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	imgs, accel, err := env.images(ctx, o)
	if err != nil {
		return nil, err
	}
	floors, rows, err := measureBoots(ctx, imgs, accel, o)
	if err != nil {
		return nil, err
	}
	t := bootTable(floors, rows)
	t.Stamp = env.guestStamp(ctx, imgs)
	return &Report{Name: "boottime", Table: t, Charts: []*report.BarChart{bootChart(floors, rows)}}, nil
}

// images returns the images of the rows and the accelerator, chosen
// once the images are known to be there.
func (e *Env) images(ctx context.Context, o BootOptions) ([]*boot.Image, qemu.Accel, error) {
	var imgs []*boot.Image
	for _, v := range o.Rows {
		img, err := boot.ImageFor(ctx, e.Repo, e.Cache, v)
		if err != nil && o.SkipMissing && variant.IsMissing(err) {
			log.Warnf("skipping %s: %v", v.Name, err)
			continue
		}
		if err != nil {
			return nil, "", err
		}
		imgs = append(imgs, img)
	}
	if len(imgs) == 0 {
		return nil, "", fmt.Errorf("no row can boot: run `make` and `ukkv build all`")
	}
	v, err := e.Accel(ctx)
	return imgs, v.Accel, err
}

// bootTimes are the boot times of one image at one memory size.
type bootTimes struct {
	img    *boot.Image
	memMiB int // the guest's -m
	times  []time.Duration
}

func (b bootTimes) ms() []float64 {
	ms := make([]float64, len(b.times))
	for i, d := range b.times {
		ms[i] = float64(d.Microseconds()) / 1000
	}
	return ms
}

func (b bootTimes) medianMs() float64 { return median(b.ms()) }

// median is the median of xs.
func median(xs []float64) float64 { return bench.Summarize(xs).Median }

// bootFunc boots an image once with memMiB of memory (0: its default)
// and returns the time from QEMU's start to the ready line.
type bootFunc func(img *boot.Image, memMiB int) (time.Duration, error)

// measureBoots boots the floor and each image o.Boots times at each
// memory size. It returns the floor's boots at each size, in o's order,
// and the images' (each image at each size).
func measureBoots(ctx context.Context, imgs []*boot.Image, accel qemu.Accel, o BootOptions) ([]bootTimes, []bootTimes, error) {
	dir, err := process.OwnedTempDir("floor")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(dir)
	floorImg, err := boot.FloorImage(dir)
	if err != nil {
		return nil, nil, err
	}
	once := func(img *boot.Image, memMiB int) (time.Duration, error) {
		times, err := boot.Boots(ctx, 1, boot.Options{Image: img, Accel: accel, MemoryMiB: memMiB})
		if err != nil {
			return 0, err
		}
		return times[0], nil
	}
	all, err := bootRounds(append([]*boot.Image{floorImg}, imgs...), o.memories(), o.Boots, once)
	if err != nil {
		return nil, nil, err
	}
	n := len(o.memories())
	return all[:n], all[n:], nil
}

// bootRounds boots every image at every memory size, rounds times: each
// round boots each series once, so that a machine busy for a while
// slows all series alike rather than the one booting then. The series
// come image by image, each image's in the order of memories.
func bootRounds(imgs []*boot.Image, memories []int, rounds int, once bootFunc) ([]bootTimes, error) {
	var series []bootTimes
	for _, img := range imgs {
		for _, m := range memories {
			series = append(series, bootTimes{img: img, memMiB: boot.MemoryMiB(img, m)})
		}
	}
	for r := 0; r < rounds; r++ {
		log.Infof("boot round %d/%d: %d boots", r+1, rounds, len(series))
		for i := range series {
			s := &series[i]
			d, err := once(s.img, s.memMiB)
			if err != nil {
				return nil, err
			}
			log.Debugf("%s -m %d: %s", s.img.Name, s.memMiB, d.Round(time.Millisecond))
			s.times = append(s.times, d)
		}
	}
	return series, nil
}

// floorAt is the floor's series at memMiB.
func floorAt(floors []bootTimes, memMiB int) bootTimes {
	for _, f := range floors {
		if f.memMiB == memMiB {
			return f
		}
	}
	return floors[0]
}

// guestShareMs is a row's median boot less the floor's at its memory.
func guestShareMs(floors []bootTimes, r bootTimes) float64 {
	return r.medianMs() - floorAt(floors, r.memMiB).medianMs()
}

func bootTable(floors, rows []bootTimes) *report.Table {
	t := &report.Table{
		Title: "Boot time: QEMU start to ready line",
		Columns: []report.Column{
			{Name: "variant"}, {Name: "memory", Unit: "MiB"}, {Name: "boots"}, {Name: "median", Unit: "ms"}, {Name: "min", Unit: "ms"},
			{Name: "max", Unit: "ms"}, {Name: "guest share", Unit: "ms"}, {Name: "guest share of boot", Unit: "%"},
		},
		Notes: []string{
			"guest share = median boot time minus the median of " + boot.FloorName +
				", a generated guest that prints one line and halts, booted on the same QEMU machine options and memory",
			"boots run in rounds, each booting every row at every memory size once, so that the machine's load weighs on all alike",
		},
	}
	for _, r := range append(append([]bootTimes(nil), floors...), rows...) {
		ms := r.ms()
		share := report.Cell{}
		sharePct := report.Cell{}
		if r.img.Name != boot.FloorName {
			s := guestShareMs(floors, r)
			share, sharePct = report.Num(s), report.Num(100*s/r.medianMs())
		}
		t.AddRow(report.Text(r.img.Name), report.Int(int64(r.memMiB)), report.Int(int64(len(ms))), report.Num(median(ms)),
			report.Num(slices.Min(ms)), report.Num(slices.Max(ms)), share, sharePct)
	}
	t.Notes = append(t.Notes, memoryGrowthNotes(floors, rows)...)
	return t
}

// memoryGrowthNotes say, for each row booted at several memory sizes,
// how its guest share at the last size compares with that at the first.
func memoryGrowthNotes(floors, rows []bootTimes) []string {
	if len(floors) < 2 {
		return nil
	}
	var notes []string
	for i := 0; i+len(floors) <= len(rows); i += len(floors) {
		lo, hi := rows[i], rows[i+len(floors)-1]
		notes = append(notes, fmt.Sprintf("%s: guest share at %d MiB / at %d MiB = %.2f",
			lo.img.Name, hi.memMiB, lo.memMiB, guestShareMs(floors, hi)/guestShareMs(floors, lo)))
	}
	return notes
}

func bootChart(floors, rows []bootTimes) *report.BarChart {
	c := &report.BarChart{Title: "Boot time, QEMU start to ready line (median, min-max)", Unit: "ms", Horizontal: true}
	for _, r := range append(append([]bootTimes(nil), floors...), rows...) {
		ms := r.ms()
		label := r.img.Name
		if len(floors) > 1 {
			label = fmt.Sprintf("%s -m %d", r.img.Name, r.memMiB)
		}
		c.Groups = append(c.Groups, report.BarGroup{Label: label,
			Bars: []report.Bar{{Value: median(ms), Low: slices.Min(ms), High: slices.Max(ms)}}})
	}
	return c
}

// guestStamp stamps a report of booted guests: besides the provenance
// every report has, QEMU's version and the guest kernel (the name of its
// cache folder).
func (e *Env) guestStamp(ctx context.Context, imgs []*boot.Image) report.Stamp {
	f := provenance.Facts{Packages: []string{"qemu-system-x86", "dpdk"}, Info: map[string]string{}}
	if e.accel != nil {
		f.Accelerator, f.Reason = string(e.accel.Accel), e.accel.Reason
	}
	for _, img := range imgs {
		if img.Initrd != "" {
			f.Info["guest kernel"] = filepath.Base(filepath.Dir(img.Kernel))
		}
	}
	return provenance.Stamp(ctx, e.Repo, f)
}
