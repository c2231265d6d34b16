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
	// Boots is how often each row boots; MemoryMiB its -m (0: the
	// default, or what the image needs).
	Boots     int
	MemoryMiB int
}

func (o BootOptions) check() error {
	if o.Boots < 1 {
		return fmt.Errorf("-n %d: at least 1", o.Boots)
	}
	return nil
}

// Boottime boots the QEMU floor and each row o.Boots times and reports
// the time from QEMU's start to the ready line, and the guest's share.
func Boottime(ctx context.Context, env *Env, o BootOptions) (*Report, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	imgs, accel, err := env.images(ctx, o)
	if err != nil {
		return nil, err
	}
	floor, rows, err := measureBoots(ctx, imgs, accel, o)
	if err != nil {
		return nil, err
	}
	t := bootTable(floor, rows)
	t.Stamp = env.guestStamp(ctx, imgs)
	return &Report{Name: "boottime", Table: t, Charts: []*report.BarChart{bootChart(floor, rows)}}, nil
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

// bootTimes are the boot times of one image.
type bootTimes struct {
	img   *boot.Image
	times []time.Duration
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

// measureBoots boots the floor and each image o.Boots times.
func measureBoots(ctx context.Context, imgs []*boot.Image, accel qemu.Accel, o BootOptions) (bootTimes, []bootTimes, error) {
	dir, err := process.OwnedTempDir("floor")
	if err != nil {
		return bootTimes{}, nil, err
	}
	defer os.RemoveAll(dir)
	floorImg, err := boot.FloorImage(dir)
	if err != nil {
		return bootTimes{}, nil, err
	}
	var rows []bootTimes
	for _, img := range append([]*boot.Image{floorImg}, imgs...) {
		log.Infof("booting %s %d times", img.Name, o.Boots)
		times, err := boot.Boots(ctx, o.Boots, boot.Options{Image: img, Accel: accel, MemoryMiB: o.MemoryMiB})
		if err != nil {
			return bootTimes{}, nil, err
		}
		rows = append(rows, bootTimes{img: img, times: times})
	}
	return rows[0], rows[1:], nil
}

func bootTable(floor bootTimes, rows []bootTimes) *report.Table {
	t := &report.Table{
		Title: "Boot time: QEMU start to ready line",
		Columns: []report.Column{
			{Name: "variant"}, {Name: "boots"}, {Name: "median", Unit: "ms"}, {Name: "min", Unit: "ms"},
			{Name: "max", Unit: "ms"}, {Name: "guest share", Unit: "ms"}, {Name: "guest share of boot", Unit: "%"},
		},
		Notes: []string{
			"guest share = median boot time minus the median of " + boot.FloorName +
				", a generated guest that prints one line and halts, booted on the same QEMU machine options",
		},
	}
	for _, r := range append([]bootTimes{floor}, rows...) {
		ms := r.ms()
		share := report.Cell{}
		sharePct := report.Cell{}
		if r.img.Name != boot.FloorName {
			s := r.medianMs() - floor.medianMs()
			share, sharePct = report.Num(s), report.Num(100*s/r.medianMs())
		}
		t.AddRow(report.Text(r.img.Name), report.Int(int64(len(ms))), report.Num(median(ms)),
			report.Num(slices.Min(ms)), report.Num(slices.Max(ms)), share, sharePct)
	}
	return t
}

func bootChart(floor bootTimes, rows []bootTimes) *report.BarChart {
	c := &report.BarChart{Title: "Boot time, QEMU start to ready line (median, min-max)", Unit: "ms", Horizontal: true}
	for _, r := range append([]bootTimes{floor}, rows...) {
		ms := r.ms()
		c.Groups = append(c.Groups, report.BarGroup{Label: r.img.Name,
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
