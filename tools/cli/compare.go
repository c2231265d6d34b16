package cli

import (
	"context"
	"fmt"
	"slices"
	"time"

	log "github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/ukkv/ukkv/tools/boot"
	"github.com/ukkv/ukkv/tools/qemu"
	"github.com/ukkv/ukkv/tools/report"
)

// compareRow is what compare finds out about one variant.
type compareRow struct {
	boots    bootTimes
	bytes    int64
	smallest int // MiB; 0 when not searched
}

func init() {
	var (
		boots, memory, memoryMin int
		memorySearch             bool
	)
	cmd := &cobra.Command{
		Use:   "compare [VARIANT...]",
		Short: "Compare image size, boot time and smallest memory across the variants and the Linux guest",
		Long: `For each variant (default: every one that can boot): the image size
(kernel plus initramfs for the Linux guests), the boot time over N boots
(median, min, max) beside the QEMU floor, the guest's own share of it, the
smallest memory (-m) with which it still boots and answers a request (found
by bisection), and the accelerator used. Writes results/compare/ (JSON, CSV,
Markdown and SVG charts), stamped with machine, date, revisions and command.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if boots < 1 || memoryMin < 1 || memory != 0 && memoryMin > memory {
				return fmt.Errorf("want -n >= 1 and 1 <= --memory-min <= --memory")
			}
			ctx := cmd.Context()
			env, imgs, err := bootImages(ctx, args)
			if err != nil {
				return err
			}
			floor, times, err := env.measureBoots(ctx, imgs, boots, memory)
			if err != nil {
				return err
			}
			rows := make([]compareRow, len(times))
			for i, bt := range times {
				if rows[i], err = env.compareRow(ctx, bt, memorySearch, memoryMin, memory); err != nil {
					return err
				}
			}
			t := compareTable(floor, rows, env.accel.Accel)
			t.Stamp = report.NewStamp(string(env.accel.Accel), env.stampInfo(ctx, imgs))
			return writeResults(cmd, env.repo, "compare", t, compareCharts(floor, rows)...)
		},
	}
	cmd.Flags().IntVarP(&boots, "boots", "n", 10, "boots per variant for the boot time")
	cmd.Flags().IntVarP(&memory, "memory", "m", 0, fmt.Sprintf("guest memory in MiB for the boot times, and the top of the memory search (0: %d, or more if an image needs it)", boot.DefaultMemoryMiB))
	cmd.Flags().IntVar(&memoryMin, "memory-min", 2, "bottom of the memory search in MiB")
	cmd.Flags().BoolVar(&memorySearch, "memory-search", true, "find the smallest memory that boots and serves")
	root.AddCommand(cmd)
}

// compareRow adds the image size and the smallest memory to boot times.
func (e *bootEnv) compareRow(ctx context.Context, bt bootTimes, search bool, lo, hi int) (compareRow, error) {
	r := compareRow{boots: bt}
	var err error
	if r.bytes, err = bt.img.Bytes(); err != nil {
		return r, err
	}
	if !search {
		return r, nil
	}
	if hi == 0 {
		hi = max(boot.DefaultMemoryMiB, bt.img.MemoryMiB)
	}
	// A guest short of memory may hang instead of failing: give each try
	// a few times its normal boot, not the default minutes.
	timeout := max(30*time.Second, 4*slices.Max(bt.times))
	log.Infof("searching the smallest memory of %s between %d and %d MiB", bt.img.Name, lo, hi)
	// every row serves on its default port: no server arguments
	r.smallest, err = boot.SmallestMemory(ctx, boot.Options{Image: bt.img, Accel: e.accel.Accel,
		ReadyTimeout: timeout}, lo, hi)
	if err != nil && ctx.Err() == nil {
		// One guest that never serves leaves a gap, not a lost report.
		log.Warnf("smallest memory of %s not found: %v", bt.img.Name, err)
		err = nil
	}
	return r, err
}

func compareTable(floor bootTimes, rows []compareRow, accel qemu.Accel) *report.Table {
	t := &report.Table{
		Title: "Variants compared: image size, boot time, memory",
		Columns: []report.Column{
			{Name: "variant"}, {Name: "image", Unit: "bytes"}, {Name: "boots"},
			{Name: "boot median", Unit: "ms"}, {Name: "boot min", Unit: "ms"}, {Name: "boot max", Unit: "ms"},
			{Name: "guest share", Unit: "ms"}, {Name: "smallest memory", Unit: "MiB"}, {Name: "accelerator"},
		},
		Notes: []string{
			"image: the unikernel image, or kernel plus initramfs for the Linux guests",
			"boot: QEMU start to the guest's ready line; guest share = boot median minus the median of " +
				boot.FloorName + " (a generated guest that halts at once, same QEMU machine options)",
			"smallest memory: the smallest -m with which the guest boots and answers a version request, found by bisection",
		},
	}
	fms := floor.ms()
	t.AddRow(report.Text(boot.FloorName), report.Cell{}, report.Int(int64(len(fms))), report.Num(median(fms)),
		report.Num(slices.Min(fms)), report.Num(slices.Max(fms)), report.Cell{}, report.Cell{}, report.Text(string(accel)))
	for _, r := range rows {
		ms := r.boots.ms()
		mem := report.Cell{}
		if r.smallest > 0 {
			mem = report.Int(int64(r.smallest))
		}
		t.AddRow(report.Text(r.boots.img.Name), report.Int(r.bytes), report.Int(int64(len(ms))),
			report.Num(median(ms)), report.Num(slices.Min(ms)), report.Num(slices.Max(ms)),
			report.Num(median(ms)-floor.medianMs()), mem, report.Text(string(accel)))
	}
	return t
}

func compareCharts(floor bootTimes, rows []compareRow) []*report.BarChart {
	size := &report.BarChart{Name: "image", Title: "Image size", Unit: "KiB", Horizontal: true, Log: true}
	mem := &report.BarChart{Name: "memory", Title: "Smallest memory that boots and serves", Unit: "MiB", Horizontal: true}
	var bts []bootTimes
	for _, r := range rows {
		size.Groups = append(size.Groups, report.BarGroup{Label: r.boots.img.Name, Bars: []report.Bar{{Value: float64(r.bytes) / 1024}}})
		bar := report.Missing()
		if r.smallest > 0 {
			bar = report.Bar{Value: float64(r.smallest)}
		}
		mem.Groups = append(mem.Groups, report.BarGroup{Label: r.boots.img.Name, Bars: []report.Bar{bar}})
		bts = append(bts, r.boots)
	}
	bootc := bootChart(floor, bts)
	bootc.Name = "boot"
	return []*report.BarChart{size, bootc, mem}
}
