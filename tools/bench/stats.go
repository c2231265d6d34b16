package bench

import (
	"math"
	"sort"
)

// Spread is the median of several runs with their minimum and maximum.
type Spread struct {
	Median, Min, Max float64
}

// Summarize takes the median (the mean of the middle two for an even
// count), minimum and maximum of vs; no values give NaNs.
func Summarize(vs []float64) Spread {
	if len(vs) == 0 {
		nan := math.NaN()
		return Spread{nan, nan, nan}
	}
	s := append([]float64(nil), vs...)
	sort.Float64s(s)
	mid := len(s) / 2
	median := s[mid]
	if len(s)%2 == 0 {
		median = (s[mid-1] + s[mid]) / 2
	}
	return Spread{Median: median, Min: s[0], Max: s[len(s)-1]}
}

// SpreadPercent is (max - min) / median in percent, NaN without values.
func (s Spread) SpreadPercent() float64 { return 100 * (s.Max - s.Min) / s.Median }
