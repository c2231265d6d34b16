package bench

import "fmt"

// contendedFactor is how many times the median p50 of a row's other runs
// a run's p50 must reach to be flagged: a run sharing its core with the
// guest's vCPU showed p50s of 8-12 ms, some hundred times its row's.
const contendedFactor = 10

// contendedRuns are the 1-based numbers of the runs of r whose p50 is at
// least contendedFactor times the median p50 of the row's other runs.
func (r RowResult) contendedRuns() []int {
	var runs []int
	for i, m := range r.Runs {
		var others []float64
		for j, o := range r.Runs {
			if j != i {
				others = append(others, o.P50)
			}
		}
		if len(others) == 0 {
			continue
		}
		if base := Summarize(others).Median; base > 0 && m.P50 >= contendedFactor*base {
			runs = append(runs, i+1)
		}
	}
	return runs
}

// contendedNotes flag the runs whose latency says they shared a core
// with something else: they skew the row's figures.
func (o *Outcome) contendedNotes() []string {
	var notes []string
	for _, r := range o.Rows {
		for _, n := range r.contendedRuns() {
			m := r.Runs[n-1]
			notes = append(notes, fmt.Sprintf("%s run %d: p50 %.0f µs is %dx or more the median p50 of the row's other runs (%.0f req/s): it likely shared a CPU with another process", r.Name(), n, m.P50, contendedFactor, m.RepliesPerS))
		}
	}
	return notes
}

// spreadLimit is the spread (max-min)/median in percent above which a
// row's runs disagree too much for its median to stand alone.
const spreadLimit = 10

// spreadNotes flag the rows whose runs differ by more than spreadLimit.
func (o *Outcome) spreadNotes() []string {
	var notes []string
	for _, r := range o.Rows {
		if len(r.Runs) < 2 {
			continue
		}
		s := r.Summary().Throughput
		if p := s.SpreadPercent(); p > spreadLimit {
			notes = append(notes, fmt.Sprintf("%s: runs differ by %.0f%% (%s to %s req/s), more than %d%%: its median is not a steady figure",
				r.Name(), p, formatRate(s.Min), formatRate(s.Max), spreadLimit))
		}
	}
	return notes
}
