package profile

import (
	"github.com/ukkv/ukkv/tools/bench"

	"github.com/ukkv/ukkv/tools/symbols"
	"github.com/ukkv/ukkv/tools/tbcount"
)

// Cost is one run's instructions per request.
type Cost struct {
	Components map[symbols.Component]float64
	// Funcs are the instructions per request of each function.
	Funcs map[FuncKey]float64
	// Idle is the idle loop's instructions per request, left out of
	// the rest: it grows with the time the run took, not with its work.
	Idle float64
	// IdleIterations is how many times the idle profile fit in the run.
	IdleIterations float64
	Requests       uint64
}

// FuncKey names a function and where it comes from.
type FuncKey struct {
	Name, Library string
	Component     symbols.Component
}

// Total is the instructions per request over every component.
func (c Cost) Total() float64 {
	var sum float64
	for _, v := range c.Components {
		sum += v
	}
	return sum
}

// attribute charges a sample's work to functions and components, per
// request.
func attribute(s sample, syms *symbols.Table) Cost {
	work, idle, k := tbcount.SplitIdle(s.load, s.idle)
	per := 1 / float64(s.requests)
	c := Cost{
		Components: map[symbols.Component]float64{}, Funcs: map[FuncKey]float64{},
		Idle: idle.Total() * per, IdleIterations: k, Requests: s.requests,
	}
	for addr, insns := range work {
		f := syms.Lookup(addr)
		key := FuncKey{Name: "?", Component: symbols.ComponentOf(f)}
		if f != nil {
			key.Name, key.Library = f.Name, f.Library
		}
		c.Components[key.Component] += insns * per
		c.Funcs[key] += insns * per
	}
	return c
}

// Result is the runs of one variant.
type Result struct {
	Variant string
	Runs    []Cost
}

// Summary is one figure's median, minimum and maximum over the runs.
func (r *Result) Summary(f func(Cost) float64) bench.Spread {
	v := make([]float64, len(r.Runs))
	for i, c := range r.Runs {
		v[i] = f(c)
	}
	return bench.Summarize(v)
}

// Spread is how far apart the runs' totals are: (max - min) / median.
func (r *Result) Spread() float64 {
	s := r.Summary(Cost.Total)
	return (s.Max - s.Min) / s.Median
}
