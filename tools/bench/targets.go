package bench

import (
	"fmt"
	"math"
)

// Check is one target of the benchmark and whether this outcome meets it.
type Check struct {
	Target string
	// Status is "met", "missed" or "not measured".
	Status string
	Detail string
}

func (c Check) String() string {
	s := fmt.Sprintf("target %s: %s", c.Target, c.Status)
	if c.Detail != "" {
		s += " (" + c.Detail + ")"
	}
	return s
}

// ratioTargets are the throughput targets of the benchmark: a row at
// least (or, if strict, above) min times another, as measured in one run.
// Each setup's batch mode is held against its single mode: batching must
// gain under load.
var ratioTargets = []struct {
	row, base string
	min       float64
	strict    bool
	paper     string
}{
	{"raw-uknetdev", "linux-dpdk", 1.1, false, "paper 0.98x"},
	{"raw-uknetdev", "linux-single", 57, false, "paper 57x"},
	{"lwip-socket", "linux-single", 1, true, "paper 2.4x"},
	{"batched", "lwip-socket", 1.3, false, ""},
	{"linux-batch", "linux-single", 1.3, false, "paper 2.6x"},
	{"metal-single", "lwip-socket", 1, true, "paper 2.4x"},
	{"metal-batch", "metal-single", 1, true, "paper 1.7x"},
}

// trackedRatios are the ratios between rows, row over base, that the
// targets rest on: the figures of this benchmark that a repeat must keep.
func trackedRatios() [][2]string {
	var pairs [][2]string
	for _, t := range ratioTargets {
		pairs = append(pairs, [2]string{t.row, t.base})
	}
	return pairs
}

// Checks judges the outcome against the targets: the ratios above,
// every row above memcached, and no wrong reply in any row.
func (o *Outcome) Checks() []Check {
	var cs []Check
	for _, t := range ratioTargets {
		cmp := "at least"
		if t.strict {
			cmp = "above"
		}
		cs = append(cs, o.ratioCheck(fmt.Sprintf("%s %s %gx %s", t.row, cmp, t.min, t.base), t.row, t.base, t.min, t.strict, t.paper))
	}
	if math.IsNaN(o.baseline("memcached")) {
		cs = append(cs, Check{Target: "every row above memcached", Status: "not measured"})
	} else {
		for _, r := range o.Rows {
			if r.Name() != "memcached" {
				cs = append(cs, o.ratioCheck(r.Name()+" above memcached", r.Name(), "memcached", 1, true, ""))
			}
		}
	}
	cs = append(cs, o.WrongCheck())
	return append(cs, o.singlePointChecks()...)
}

// singlePointChecks hold each swept row's peak against the step at the
// single-point window in the same session, alike in length and
// machine: a peak below it says the bounds cut the sweep short of what
// a closed loop of that window sustains.
func (o *Outcome) singlePointChecks() []Check {
	var cs []Check
	for _, r := range o.Rows {
		if r.Sweep == nil {
			continue
		}
		c := Check{Target: fmt.Sprintf("%s peak at least its single-point (window %d, same session)", r.Name(), o.Sweep.Window), Status: "not measured"}
		ref, ok := r.Sweep.ReferenceStep()
		if !ok {
			cs = append(cs, c)
			continue
		}
		peak, _ := r.Sweep.PeakStep()
		c.Status, c.Detail = "met", fmt.Sprintf("peak %s req/s at %s, single-point %s req/s: %sx",
			formatRate(peak.RepliesPerS), peak.LoadName(), formatRate(ref.RepliesPerS), formatRate(r.peakVsSinglePoint()))
		// A row that answers nothing at the single-point window has
		// stopped serving: its peak cannot stand for it.
		if peak.RepliesPerS < ref.RepliesPerS || ref.RepliesPerS == 0 {
			c.Status = "missed"
		}
		if !ref.Within {
			c.Detail += "; the single-point step broke its bounds: " + ref.Broke
		}
		cs = append(cs, c)
	}
	return cs
}

// AtLeast checks that row's throughput is at least min times base's,
// both measured in this outcome, run by run.
func (o *Outcome) AtLeast(row, base string, min float64) Check {
	return o.ratioCheck(fmt.Sprintf("%s at least %gx %s", row, min, base), row, base, min, false, "")
}

func (o *Outcome) ratioCheck(name, row, base string, min float64, strict bool, paper string) Check {
	spread := o.RowRatio(row, base)
	ratio := spread.Median
	if math.IsNaN(ratio) {
		return Check{Target: name, Status: "not measured", Detail: paper}
	}
	detail := fmt.Sprintf("%sx", formatRate(ratio))
	if spread.Min != spread.Max {
		detail += fmt.Sprintf(", runs %s-%sx", formatRate(spread.Min), formatRate(spread.Max))
	}
	if paper != "" {
		detail += ", " + paper
	}
	if ratio > min || !strict && ratio == min {
		return Check{Target: name, Status: "met", Detail: detail}
	}
	return Check{Target: name, Status: "missed", Detail: detail}
}

// WrongCheck is met when no measured row got a wrong reply.
func (o *Outcome) WrongCheck() Check {
	c := Check{Target: "no wrong reply in any row", Status: "not measured"}
	var wrong uint64
	for _, r := range o.Rows {
		if len(r.Runs) == 0 {
			continue
		}
		c.Status = "met"
		if n := r.Summary().Wrong; n > 0 {
			wrong += n
			c.Detail += fmt.Sprintf("%s: %d ", r.Name(), n)
		}
	}
	if wrong > 0 {
		c.Status = "missed"
		c.Detail = c.Detail[:len(c.Detail)-1]
	}
	return c
}
