package profile

import (
	"fmt"
	"sort"

	"github.com/ukkv/ukkv/tools/report"
	"github.com/ukkv/ukkv/tools/symbols"
)

// Rows of the table besides the components.
const (
	totalRow = "total"
	idleRow  = "idle loop (left out of the total)"
)

// TopFuncs is how many functions of each variant the functions table lists.
const TopFuncs = 20

// Table is instructions per request by variant and component.
func Table(cfg Config, results []*Result) *report.Table {
	t := &report.Table{
		Title: "Cost of one request by component, in guest instructions",
		Columns: []report.Column{
			{Name: "variant"}, {Name: "component"}, {Name: "per request", Unit: "instructions"},
			{Name: "min", Unit: "instructions"}, {Name: "max", Unit: "instructions"}, {Name: "share", Unit: "%"},
		},
		Notes: notes(cfg),
	}
	for _, r := range results {
		total := r.Summary(Cost.Total)
		for _, c := range symbols.Components {
			s := r.Summary(func(k Cost) float64 { return k.Components[c] })
			t.AddRow(report.Text(r.Variant), report.Text(string(c)), report.Num(s.Median),
				report.Num(s.Min), report.Num(s.Max), report.Num(100*s.Median/total.Median))
		}
		t.AddRow(report.Text(r.Variant), report.Text(totalRow), report.Num(total.Median),
			report.Num(total.Min), report.Num(total.Max), report.Num(100))
		idle := r.Summary(func(k Cost) float64 { return k.Idle })
		t.AddRow(report.Text(r.Variant), report.Text(idleRow), report.Num(idle.Median),
			report.Num(idle.Min), report.Num(idle.Max), report.Cell{})
		t.Notes = append(t.Notes, fmt.Sprintf("%s: %d runs, totals within %.2f%% of each other", r.Variant, len(r.Runs), 100*r.Spread()))
	}
	return t
}

func notes(cfg Config) []string {
	w := cfg.Workload
	return []string{
		fmt.Sprintf("each run: a fresh guest under QEMU (%s) with the tbcount plugin, which counts every translated block's executions; "+
			"kvload sends %d requests (%.0f%% GETs over %d keys of %d bytes, %d outstanding) through vhost-user; "+
			"per request = the guest's instructions over that run / right replies", cfg.Accel, cfg.Requests, 100*w.GetRatio, w.Keys, w.ValueSize, w.Window),
		fmt.Sprintf("idle loop: the guest is first left alone for %s; the largest multiple of that idle profile that fits under the run's counts "+
			"is the polling or halting it did while waiting, reported apart, as it grows with time and not with work", cfg.Idle),
		"components: a block's instructions go to the function it starts in (the image's .dbg symbols), the function to the object and " +
			"Unikraft library it was compiled into (the build's LIB/*.o: in build/VARIANT/ with make, build/VARIANT/.unikraft/build/ with kraft); KV core = kv.o, packet parsing and checksums = pkt.o, " +
			"front end = the app's other objects, libc string functions = nolibc's mem*/str*, driver = uknetdev and virtio, " +
			"network stack = lwIP and the posix socket, poll and file layers, kernel and other = every other library and the assembly entry code",
		"linux-dpdk: its static program's own compile units (debug information) give KV core (kv.c), packet (pkt.c) and front end, " +
			"the C library's mem*/str* libc string functions, everything else linked in the driver (DPDK's virtio PMD, mbufs, mempool, EAL, the rest of the C library); " +
			"an address outside the program (the guest kernel) is kernel and other",
		"linux-single, linux-batch: their static program's own compile units give KV core (kv.c) and front end, the C library's mem*/str* libc string functions; " +
			"the rest of the C library (system call wrappers) and the guest kernel (every address in the upper half, its network stack and virtio-net driver included, " +
			"listed as one function, " + symbols.GuestKernel.Name + ") are kernel and other",
	}
}

// Chart draws each component's instructions per request, one bar per
// variant.
func Chart(results []*Result) *report.BarChart {
	c := &report.BarChart{Title: "Guest instructions per request by component (median, min-max of runs)",
		Unit: "instructions", Horizontal: true}
	for _, r := range results {
		c.Series = append(c.Series, r.Variant)
	}
	groups := append(append([]string{}, componentNames()...), totalRow)
	for _, g := range groups {
		bg := report.BarGroup{Label: g}
		for _, r := range results {
			s := r.Summary(func(k Cost) float64 {
				if g == totalRow {
					return k.Total()
				}
				return k.Components[symbols.Component(g)]
			})
			bg.Bars = append(bg.Bars, report.Bar{Value: s.Median, Low: s.Min, High: s.Max})
		}
		c.Groups = append(c.Groups, bg)
	}
	if len(results) == 1 {
		c.Series = nil // one series needs no legend
	}
	return c
}

func componentNames() []string {
	names := make([]string, len(symbols.Components))
	for i, c := range symbols.Components {
		names[i] = string(c)
	}
	return names
}

// FuncTable lists the functions that cost each variant most.
func FuncTable(cfg Config, results []*Result) *report.Table {
	t := &report.Table{
		Title: fmt.Sprintf("Functions that cost a request most (top %d of each variant), in guest instructions", TopFuncs),
		Columns: []report.Column{
			{Name: "variant"}, {Name: "function"}, {Name: "library"}, {Name: "component"},
			{Name: "per request", Unit: "instructions"}, {Name: "share", Unit: "%"},
		},
		Notes: notes(cfg),
	}
	for _, r := range results {
		total := r.Summary(Cost.Total).Median
		for _, f := range r.topFuncs() {
			v := r.Summary(func(k Cost) float64 { return k.Funcs[f] }).Median
			t.AddRow(report.Text(r.Variant), report.Text(f.Name), report.Text(f.Library),
				report.Text(string(f.Component)), report.Num(v), report.Num(100*v/total))
		}
	}
	return t
}

// topFuncs are the variant's costliest functions by their median.
func (r *Result) topFuncs() []FuncKey {
	cost := map[FuncKey]float64{}
	for _, c := range r.Runs {
		for f := range c.Funcs {
			if _, ok := cost[f]; !ok {
				cost[f] = r.Summary(func(k Cost) float64 { return k.Funcs[f] }).Median
			}
		}
	}
	keys := make([]FuncKey, 0, len(cost))
	for f := range cost {
		keys = append(keys, f)
	}
	sort.Slice(keys, func(i, j int) bool {
		if cost[keys[i]] != cost[keys[j]] {
			return cost[keys[i]] > cost[keys[j]]
		}
		return keys[i].Name < keys[j].Name
	})
	return keys[:min(TopFuncs, len(keys))]
}
