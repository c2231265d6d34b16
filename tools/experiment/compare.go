package experiment

import (
	"context"
	"fmt"
	"slices"
	"time"

	log "github.com/sirupsen/logrus"

	"github.com/ukkv/ukkv/tools/bench"
	"github.com/ukkv/ukkv/tools/boot"
	"github.com/ukkv/ukkv/tools/qemu"
	"github.com/ukkv/ukkv/tools/report"
	"github.com/ukkv/ukkv/tools/variant"
)

// CompareOptions add the memory search and the throughput to the boots.
type CompareOptions struct {
	BootOptions
	// MemorySearch finds, by bisection between MemoryMinMiB and the boot
	// memory, the smallest -m with which each row boots and serves.
	MemorySearch bool
	MemoryMinMiB int
	// ThroughputRuns runs of Workload measure each row's throughput; 0
	// leaves it out.
	ThroughputRuns int
	Workload       bench.Workload
	Progress       *bench.Progress
}

func (o CompareOptions) check() error {
	if err := o.BootOptions.check(); err != nil {
		return err
	}
	if len(o.MemoriesMiB) > 1 {
		return fmt.Errorf("compare boots with one memory size, got %d", len(o.MemoriesMiB))
	}
	if o.MemoryMinMiB < 1 || o.memories()[0] != 0 && o.MemoryMinMiB > o.memories()[0] {
		return fmt.Errorf("want 1 <= --memory-min <= --memory")
	}
	if o.ThroughputRuns < 0 {
		return fmt.Errorf("%d throughput runs: want 0 (none) or more", o.ThroughputRuns)
	}
	if o.ThroughputRuns > 0 {
		return o.Workload.Validate()
	}
	return nil
}

// compareRow is what compare finds out about one row.
type compareRow struct {
	row      *variant.Variant
	boots    bootTimes
	bytes    int64
	smallest int // MiB; 0 when not searched
}

// Compare reports, for each row, the image size, the boot time beside
// the QEMU floor, the smallest memory that boots and serves, and the
// throughput, each build profile's beside its perf build's.
func Compare(ctx context.Context, env *Env, o CompareOptions) (*Report, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	imgs, accel, err := env.images(ctx, o.BootOptions)
	if err != nil {
		return nil, err
	}
	floors, times, err := measureBoots(ctx, imgs, accel, o.BootOptions)
	if err != nil {
		return nil, err
	}
	floor := floors[0]
	// an image is named after its row
	byName := map[string]*variant.Variant{}
	for _, v := range o.Rows {
		byName[v.Name] = v
	}
	rows := make([]compareRow, len(times))
	booted := make([]*variant.Variant, len(times))
	for i, bt := range times {
		if rows[i], err = compareOne(ctx, bt, accel, o); err != nil {
			return nil, err
		}
		rows[i].row, booted[i] = byName[bt.img.Name], byName[bt.img.Name]
	}
	tp, err := measureThroughputs(ctx, env, booted, o)
	if err != nil {
		return nil, err
	}
	t := compareTable(floor, rows, accel, tp)
	t.Stamp = env.guestStamp(ctx, imgs)
	charts := compareCharts(floor, rows)
	if tp.out != nil {
		charts = append(charts, tp.chart(rows))
	}
	return &Report{Name: "compare", Table: t, Charts: charts}, nil
}

// compareOne adds the image size and the smallest memory to boot times.
func compareOne(ctx context.Context, bt bootTimes, accel qemu.Accel, o CompareOptions) (compareRow, error) {
	r := compareRow{boots: bt}
	var err error
	if r.bytes, err = bt.img.Bytes(); err != nil {
		return r, err
	}
	if !o.MemorySearch {
		return r, nil
	}
	hi := bt.memMiB
	// A guest short of memory may hang instead of failing: give each try
	// a few times its normal boot, not the default minutes.
	timeout := max(30*time.Second, 4*slices.Max(bt.times))
	log.Infof("searching the smallest memory of %s between %d and %d MiB", bt.img.Name, o.MemoryMinMiB, hi)
	// every row serves on its default port: no server arguments
	r.smallest, err = boot.SmallestMemory(ctx, boot.Options{Image: bt.img, Accel: accel, ReadyTimeout: timeout}, o.MemoryMinMiB, hi)
	if err != nil && ctx.Err() == nil {
		// One guest that never serves leaves a gap, not a lost report.
		log.Warnf("smallest memory of %s not found: %v", bt.img.Name, err)
		err = nil
	}
	return r, err
}

func compareTable(floor bootTimes, rows []compareRow, accel qemu.Accel, tp throughputs) *report.Table {
	t := &report.Table{
		Title: "Variants compared: image size, boot time, memory, throughput",
		Columns: []report.Column{
			{Name: "variant"}, {Name: "image", Unit: "bytes"}, {Name: "boots"},
			{Name: "boot median", Unit: "ms"}, {Name: "boot min", Unit: "ms"}, {Name: "boot max", Unit: "ms"},
			{Name: "guest share", Unit: "ms"}, {Name: "smallest memory", Unit: "MiB"},
			{Name: "throughput", Unit: "req/s"}, {Name: "throughput min", Unit: "req/s"}, {Name: "throughput max", Unit: "req/s"},
			{Name: "wrong"}, {Name: "throughput vs perf", Unit: "x"}, {Name: "accelerator"},
		},
		Notes: []string{
			"image: the unikernel image, or kernel plus initramfs for the Linux guests",
			"boot: QEMU start to the guest's ready line; guest share = boot median minus the median of " +
				boot.FloorName + " (a generated guest that halts at once, same QEMU machine options)",
			"smallest memory: the smallest -m with which the guest boots and answers a version request, found by bisection",
		},
	}
	t.Notes = append(t.Notes, tp.notes(rows)...)
	fms := floor.ms()
	t.AddRow(report.Text(boot.FloorName), report.Cell{}, report.Int(int64(len(fms))), report.Num(median(fms)),
		report.Num(slices.Min(fms)), report.Num(slices.Max(fms)), report.Cell{}, report.Cell{},
		report.Cell{}, report.Cell{}, report.Cell{}, report.Cell{}, report.Cell{}, report.Text(string(accel)))
	for _, r := range rows {
		ms := r.boots.ms()
		mem := report.Cell{}
		if r.smallest > 0 {
			mem = report.Int(int64(r.smallest))
		}
		cells := []report.Cell{report.Text(r.boots.img.Name), report.Int(r.bytes), report.Int(int64(len(ms))),
			report.Num(median(ms)), report.Num(slices.Min(ms)), report.Num(slices.Max(ms)),
			report.Num(median(ms) - floor.medianMs()), mem}
		cells = append(cells, tp.cells(r, perfOf(r, rows))...)
		t.AddRow(append(cells, report.Text(string(accel)))...)
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
	bootc := bootChart([]bootTimes{floor}, bts)
	bootc.Name = "boot"
	return []*report.BarChart{size, bootc, mem}
}
