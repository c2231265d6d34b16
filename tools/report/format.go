package report

import (
	"math"
	"strconv"
	"strings"
)

// formatNumber shows whole numbers and anything from 100 up as integers
// with thousands separators, and smaller numbers with three significant
// digits: 6,100,000 / 57.1 / 0.983.
func formatNumber(v float64) string {
	if math.Abs(v) >= 100 || v == math.Trunc(v) {
		return groupThousands(strconv.FormatFloat(math.Round(v), 'f', 0, 64))
	}
	decimals := 2 - int(math.Floor(math.Log10(math.Abs(v))))
	return trimZeros(strconv.FormatFloat(v, 'f', decimals, 64))
}

// formatCompact shows a number in at most about four characters for chart
// labels: 590k, 6.1M, 57.1. Rounding comes first so that 999,999 becomes
// 1M rather than 1,000k.
func formatCompact(v float64) string {
	v = roundSignificant(v, 3)
	for _, p := range []struct {
		scale  float64
		suffix string
	}{{1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if math.Abs(v) >= p.scale {
			return formatNumber(v/p.scale) + p.suffix
		}
	}
	return formatNumber(v)
}

// roundSignificant rounds v to n significant digits.
func roundSignificant(v float64, n int) float64 {
	if v == 0 {
		return 0
	}
	p := math.Pow(10, float64(n-1)-math.Floor(math.Log10(math.Abs(v))))
	return math.Round(v*p) / p
}

// groupThousands inserts commas into an integer's digits.
func groupThousands(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	var b strings.Builder
	for i, d := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return sign + b.String()
}

func trimZeros(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}
