package bench

import (
	"github.com/ukkv/ukkv/tools/report"
)

// The ratio between two rows is taken run by run: the runs are measured
// round-robin, so run i of every row falls in one stretch of the
// machine's time, and a drift of the machine's speed over minutes
// cancels in the ratio of run i to run i, where it would not in the
// ratio of two medians taken at other times.

// pairedRatio is the median, minimum and maximum of row's run-by-run
// ratios to base over the runs both have; NaNs when they share none.
func pairedRatio(row, base []float64) Spread {
	var ratios []float64
	for i := 0; i < len(row) && i < len(base); i++ {
		ratios = append(ratios, row[i]/base[i])
	}
	return Summarize(ratios)
}

// runRates are the right replies a second of each run of a measured
// row, in the order of the runs; nil when it has none.
func (o *Outcome) runRates(name string) []float64 {
	for _, r := range o.Rows {
		if r.Name() != name || len(r.Runs) == 0 {
			continue
		}
		rates := make([]float64, len(r.Runs))
		for i, m := range r.Runs {
			rates[i] = m.RepliesPerS
		}
		return rates
	}
	return nil
}

// RowRatio is row's throughput over base's in this outcome, run by run.
func (o *Outcome) RowRatio(row, base string) Spread {
	return pairedRatio(o.runRates(row), o.runRates(base))
}

// Ratios relates a row to this outcome's linux-single and linux-dpdk
// guest rows, as the paper does, run by run; NaN where either is
// missing.
func (o *Outcome) Ratios(row string) report.Ratios {
	return report.Ratios{
		VsLinuxSingle: o.RowRatio(row, baselineSingle).Median,
		VsLinuxDPDK:   o.RowRatio(row, baselineDPDK).Median,
	}
}
