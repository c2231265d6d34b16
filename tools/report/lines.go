package report

import (
	"fmt"
	"html"
	"io"
	"math"
	"strings"
)

// LineChart plots series of (x, y) points on two logarithmic axes, each
// series a line through its points in the order given: load curves such
// as replies against offered load, or latency against throughput.
type LineChart struct {
	// Name tells the charts of one report apart in file names.
	Name   string
	Title  string
	XLabel string // the x axis, with its unit
	YLabel string
	Series []LineSeries
}

// LineSeries is one named line. Marked points (a peak, say) get a ring.
type LineSeries struct {
	Label  string
	Points []Point
}

// Point is one (x, y) value; points with x or y <= 0 or NaN are left out,
// having no place on a log axis.
type Point struct {
	X, Y   float64
	Marked bool
}

// Layout of a line chart, in pixels.
const (
	lineLeft   = 80.0
	lineRight  = 180.0 // the legend
	lineHeight = 360.0
	lineAxis   = 50.0 // tick values and label below the plot
)

func (p Point) plottable() bool { return p.X > 0 && p.Y > 0 }

// scales fit two log axes to every plottable point.
func (c *LineChart) scales() (x, y scale, err error) {
	var xs, ys []float64
	for _, s := range c.Series {
		for _, p := range s.Points {
			if p.plottable() {
				xs, ys = append(xs, p.X), append(ys, p.Y)
			}
		}
	}
	if len(xs) == 0 {
		return x, y, fmt.Errorf("line chart %q has no point to plot", c.Title)
	}
	return decades(xs), decades(ys), nil
}

// decades is a log scale from the decade at or below the smallest value
// to the one at or above the largest.
func decades(vs []float64) scale {
	lo, hi := math.Inf(1), 0.0
	for _, v := range vs {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	lo = math.Pow(10, math.Floor(math.Log10(lo)))
	hi = math.Pow(10, math.Ceil(math.Log10(hi)))
	if hi <= lo {
		hi = lo * 10
	}
	return scale{log: true, lo: lo, hi: hi}
}

// WriteSVG draws the chart as a standalone SVG document, with the stamp
// at the bottom. Equal input gives byte-equal output.
func (c *LineChart) WriteSVG(w io.Writer, s Stamp) error {
	if err := s.check(); err != nil {
		return fmt.Errorf("line chart %q: %w", c.Title, err)
	}
	xs, ys, err := c.scales()
	if err != nil {
		return err
	}
	x0, x1, y0, y1 := lineLeft, svgWidth-lineRight, plotTop, plotTop+lineHeight
	at := func(p Point) (float64, float64) {
		return x0 + xs.frac(p.X)*(x1-x0), y1 - ys.frac(p.Y)*(y1-y0)
	}
	height := y1 + lineAxis + footerHeight
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="sans-serif" font-size="12">`+"\n",
		px(svgWidth), px(height), px(svgWidth), px(height))
	b.WriteString(`<rect width="100%" height="100%" fill="white"/>` + "\n")
	text(&b, svgWidth/2, 24, `text-anchor="middle" font-size="16" font-weight="bold"`, c.Title)
	for _, t := range xs.ticks() {
		x, _ := at(Point{X: t, Y: ys.lo})
		line(&b, x, y0, x, y1, `stroke="#ddd"`)
		text(&b, x, y1+16, `text-anchor="middle"`, formatCompact(t))
	}
	for _, t := range ys.ticks() {
		_, y := at(Point{X: xs.lo, Y: t})
		line(&b, x0, y, x1, y, `stroke="#ddd"`)
		text(&b, x0-6, y+4, `text-anchor="end"`, formatCompact(t))
	}
	line(&b, x0, y1, x1, y1, `stroke="#333"`)
	line(&b, x0, y0, x0, y1, `stroke="#333"`)
	text(&b, (x0+x1)/2, y1+36, `text-anchor="middle"`, c.XLabel+" (log scale)")
	mid := (y0 + y1) / 2
	text(&b, 16, mid, fmt.Sprintf(`text-anchor="middle" transform="rotate(-90 16 %s)"`, px(mid)), c.YLabel+" (log scale)")
	for i, s := range c.Series {
		c.drawSeries(&b, i, s, at)
		colour := palette[i%len(palette)]
		ly := y0 + 8 + float64(i)*18
		line(&b, x1+16, ly, x1+36, ly, fmt.Sprintf(`stroke="%s" stroke-width="2"`, colour))
		text(&b, x1+42, ly+4, "", s.Label)
	}
	drawFooter(&b, s, y1+lineAxis)
	b.WriteString("</svg>\n")
	_, err = io.WriteString(w, b.String())
	return err
}

// drawSeries draws one line with a dot at each point, a ring around the
// marked ones, and the point's values as its tooltip.
func (c *LineChart) drawSeries(b *strings.Builder, i int, s LineSeries, at func(Point) (float64, float64)) {
	colour := palette[i%len(palette)]
	var path []string
	for _, p := range s.Points {
		if p.plottable() {
			x, y := at(p)
			path = append(path, px(x)+","+px(y))
		}
	}
	fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", strings.Join(path, " "), colour)
	for _, p := range s.Points {
		if !p.plottable() {
			continue
		}
		x, y := at(p)
		tip := html.EscapeString(fmt.Sprintf("%s: %s, %s", s.Label, formatNumber(p.X), formatNumber(p.Y)))
		fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="3" fill="%s"><title>%s</title></circle>`+"\n", px(x), px(y), colour, tip)
		if p.Marked {
			fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="7" fill="none" stroke="%s" stroke-width="2"/>`+"\n", px(x), px(y), colour)
		}
	}
}
