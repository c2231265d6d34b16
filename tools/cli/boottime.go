package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	log "github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/ukkv/ukkv/tools/boot"
	"github.com/ukkv/ukkv/tools/report"
	"github.com/ukkv/ukkv/tools/sources"
	"github.com/ukkv/ukkv/tools/variant"
)

func init() {
	var boots, memory int
	cmd := &cobra.Command{
		Use:   "boottime [VARIANT...]",
		Short: "Measure boot times (QEMU start to ready line) beside the QEMU floor",
		Long: `Boot each variant N times on a testpmd vhost-user port and measure the time
from QEMU's start to the guest's ready line; also boot the QEMU floor, a
generated guest that halts at once on the same machine options, so that the
guest's own share of a boot is reported apart. Without arguments, every
variant that can boot (Unikraft variants not yet built are skipped with a
warning). Writes results/boottime/ (JSON, CSV, Markdown, SVG).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if boots < 1 {
				return fmt.Errorf("-n %d: at least 1", boots)
			}
			ctx := cmd.Context()
			env, imgs, err := bootImages(ctx, args)
			if err != nil {
				return err
			}
			floor, rows, err := env.measureBoots(ctx, imgs, boots, memory)
			if err != nil {
				return err
			}
			t := bootTable(floor, rows)
			t.Stamp = report.NewStamp(string(env.accel.Accel), env.stampInfo(ctx, imgs))
			return writeResults(cmd, env.repo, "boottime", t, bootChart(floor, rows))
		},
	}
	cmd.Flags().IntVarP(&boots, "boots", "n", 10, "boots per variant")
	cmd.Flags().IntVarP(&memory, "memory", "m", 0, fmt.Sprintf("guest memory in MiB (0: %d, or more if an image needs it)", boot.DefaultMemoryMiB))
	root.AddCommand(cmd)
}

// bootImages readies what a command that boots the named rows (every
// guest row that can boot when none is named) needs: the boot
// environment, the images and the accelerator.
func bootImages(ctx context.Context, names []string) (*bootEnv, []*boot.Image, error) {
	vs, err := variant.Select(names, variant.Guests())
	if err != nil {
		return nil, nil, err
	}
	env, err := newBootEnv()
	if err != nil {
		return nil, nil, err
	}
	imgs, err := env.images(ctx, vs, len(names) == 0)
	if err != nil {
		return nil, nil, err
	}
	if err := env.pickAccel(ctx); err != nil {
		return nil, nil, err
	}
	return env, imgs, nil
}

// images returns the images of the rows; with skipMissing, a row whose
// program or image is missing is left out with a warning.
func (e *bootEnv) images(ctx context.Context, vs []*variant.Variant, skipMissing bool) ([]*boot.Image, error) {
	var imgs []*boot.Image
	for _, v := range vs {
		img, err := boot.ImageFor(ctx, e.repo, e.cache, v)
		if err != nil && skipMissing && variant.IsMissing(err) {
			log.Warnf("skipping %s: %v", v.Name, err)
			continue
		}
		if err != nil {
			return nil, err
		}
		imgs = append(imgs, img)
	}
	if len(imgs) == 0 {
		return nil, fmt.Errorf("no variant can boot: run `make` and `ukkv build all`")
	}
	return imgs, nil
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

// measureBoots boots the floor and each image n times.
func (e *bootEnv) measureBoots(ctx context.Context, imgs []*boot.Image, n, memMiB int) (bootTimes, []bootTimes, error) {
	dir, err := os.MkdirTemp("", "ukkv-floor-")
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
		log.Infof("booting %s %d times", img.Name, n)
		times, err := boot.Boots(ctx, n, boot.Options{Image: img, Accel: e.accel.Accel, MemoryMiB: memMiB})
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

// stampInfo names what the figures depend on: the project's revision,
// the pinned Unikraft sources, QEMU and the guest kernel (the name of
// its cache folder).
func (e *bootEnv) stampInfo(ctx context.Context, imgs []*boot.Image) map[string]string {
	info := map[string]string{"accelerator reason": e.accel.Reason}
	stampRevision(ctx, e.repo, info)
	for _, s := range sources.Pinned {
		info[s.Name] = s.Ref + " " + s.Commit
	}
	if out, err := exec.CommandContext(ctx, "qemu-system-x86_64", "--version").Output(); err == nil {
		first, _, _ := strings.Cut(string(out), "\n")
		info["qemu"] = first
	}
	for _, img := range imgs {
		if img.Initrd != "" {
			info["guest kernel"] = filepath.Base(filepath.Dir(img.Kernel))
		}
	}
	return info
}
