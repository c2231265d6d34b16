package report

import (
	"fmt"
	"html"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// Layout of a chart, in pixels.
const (
	svgWidth     = 720.0
	plotTop      = 56.0  // below the title and the legend
	footerHeight = 40.0  // the stamp
	vAxisSpace   = 80.0  // tick values and unit left of vertical bars
	vRightMargin = 20.0  // right of vertical bars
	vPlotHeight  = 300.0 // value axis of vertical charts
	vLabelSpace  = 100.0 // rotated labels below vertical bars
	hLabelSpace  = 180.0 // labels left of horizontal bars
	hValueSpace  = 70.0  // value labels right of the longest bar
	hAxisSpace   = 50.0  // tick values and unit below horizontal bars
	hBarWidth    = 18.0
	hGroupGap    = 12.0
)

var palette = []string{"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"}

// Legend layout: entries wrap onto lines of this height.
const (
	legendTop  = 32.0
	legendLine = 16.0
)

// frame places the plot: positions along the category axis (c, pixels)
// and the value axis (f, fraction of its length) become SVG coordinates.
type frame struct {
	horizontal     bool
	x0, x1, y0, y1 float64
	groupLen, pad  float64 // pixels per group, space before its first bar
	barLen         float64 // thickness of one bar
}

func (fr frame) point(c, f float64) (x, y float64) {
	if fr.horizontal {
		return fr.x0 + f*(fr.x1-fr.x0), fr.y0 + c
	}
	return fr.x0 + c, fr.y1 - f*(fr.y1-fr.y0)
}

func (fr frame) catLen() float64 {
	if fr.horizontal {
		return fr.y1 - fr.y0
	}
	return fr.x1 - fr.x0
}

func (c *BarChart) frame() frame {
	n, groups := float64(c.barsPerGroup()), float64(len(c.Groups))
	top := plotTop + legendLine*float64(len(c.legendLines())-1)
	if c.Horizontal {
		gl := n*hBarWidth + hGroupGap
		return frame{horizontal: true, x0: hLabelSpace, x1: svgWidth - hValueSpace, y0: top, y1: top + groups*gl,
			groupLen: gl, pad: hGroupGap / 2, barLen: hBarWidth}
	}
	gl := (svgWidth - vAxisSpace - vRightMargin) / groups
	return frame{x0: vAxisSpace, x1: svgWidth - vRightMargin, y0: top, y1: top + vPlotHeight,
		groupLen: gl, pad: gl * 0.1, barLen: gl * 0.8 / n}
}

// legendEntry is one series' place in the legend.
type legendEntry struct {
	x    float64
	name string
	i    int
}

// legendLines lays the legend out in lines that fit the chart's width;
// one series needs none (one empty line).
func (c *BarChart) legendLines() [][]legendEntry {
	lines := [][]legendEntry{nil}
	if len(c.Series) < 2 {
		return lines
	}
	start := vAxisSpace // the plot's left edge
	if c.Horizontal {
		start = hLabelSpace
	}
	x := start
	for i, name := range c.Series {
		w := 30 + 7*float64(len(name))
		if x+w > svgWidth && x > start {
			lines, x = append(lines, nil), start
		}
		lines[len(lines)-1] = append(lines[len(lines)-1], legendEntry{x, name, i})
		x += w
	}
	return lines
}

// bottom is where the plot, its axis and its labels end.
func (fr frame) bottom() float64 {
	if fr.horizontal {
		return fr.y1 + hAxisSpace
	}
	return fr.y1 + vLabelSpace
}

// WriteSVG draws the chart as a standalone SVG document, with the stamp
// in small print at the bottom. Equal input gives byte-equal output.
func (c *BarChart) WriteSVG(w io.Writer, s Stamp) error {
	if err := c.check(); err != nil {
		return err
	}
	if err := s.check(); err != nil {
		return fmt.Errorf("bar chart %q: %w", c.Title, err)
	}
	fr, sc := c.frame(), c.newScale()
	height := fr.bottom() + footerHeight
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="sans-serif" font-size="12">`+"\n",
		px(svgWidth), px(height), px(svgWidth), px(height))
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	text(&b, svgWidth/2, 24, `text-anchor="middle" font-size="16" font-weight="bold"`, c.Title)
	c.drawLegend(&b)
	c.drawAxis(&b, fr, sc)
	for g, group := range c.Groups {
		c.drawGroup(&b, fr, sc, g, group)
	}
	drawFooter(&b, s, fr.bottom())
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func (c *BarChart) drawLegend(b *strings.Builder) {
	for l, line := range c.legendLines() {
		y := legendTop + legendLine*float64(l)
		for _, e := range line {
			fmt.Fprintf(b, `<rect x="%s" y="%g" width="10" height="10" fill="%s"/>`+"\n", px(e.x), y, palette[e.i%len(palette)])
			text(b, e.x+14, y+9, "", e.name)
		}
	}
}

// drawAxis draws the grid lines with their values, the base line and the
// unit.
func (c *BarChart) drawAxis(b *strings.Builder, fr frame, sc scale) {
	for _, t := range sc.ticks() {
		x1, y1 := fr.point(0, sc.frac(t))
		x2, y2 := fr.point(fr.catLen(), sc.frac(t))
		line(b, x1, y1, x2, y2, `stroke="#ddd"`)
		if fr.horizontal {
			text(b, x1, fr.y1+16, `text-anchor="middle"`, formatCompact(t))
		} else {
			text(b, x1-6, y1+4, `text-anchor="end"`, formatCompact(t))
		}
	}
	x1, y1 := fr.point(0, 0)
	x2, y2 := fr.point(fr.catLen(), 0)
	line(b, x1, y1, x2, y2, `stroke="#333"`)
	unit := c.Unit
	if c.Log {
		unit += " (log scale)"
	}
	if fr.horizontal {
		text(b, (fr.x0+fr.x1)/2, fr.y1+36, `text-anchor="middle"`, unit)
	} else {
		mid := (fr.y0 + fr.y1) / 2
		text(b, 16, mid, fmt.Sprintf(`text-anchor="middle" transform="rotate(-90 16 %s)"`, px(mid)), unit)
	}
}

func (c *BarChart) drawGroup(b *strings.Builder, fr frame, sc scale, g int, group BarGroup) {
	start := float64(g) * fr.groupLen
	if fr.horizontal {
		_, y := fr.point(start+fr.pad+fr.barLen*float64(c.barsPerGroup())/2, 0)
		text(b, fr.x0-8, y+4, `text-anchor="end"`, group.Label)
	} else {
		x, y := fr.point(start+fr.groupLen/2, 0)
		y += 14
		text(b, x, y, fmt.Sprintf(`text-anchor="end" transform="rotate(-30 %s %s)"`, px(x), px(y)), group.Label)
	}
	if c.Stacked {
		c.drawStack(b, fr, sc, start+fr.pad, group)
		return
	}
	for i, bar := range group.Bars {
		c0 := start + fr.pad + float64(i)*fr.barLen
		c.drawBar(b, fr, sc, c0, group.Label, i, bar)
	}
}

// drawStack draws a group's bars as segments of one bar from c0, its
// total at its tip.
func (c *BarChart) drawStack(b *strings.Builder, fr frame, sc scale, c0 float64, group BarGroup) {
	var at float64
	for i, bar := range group.Bars {
		if !(bar.Value > 0) {
			continue
		}
		xa, ya := fr.point(c0, sc.frac(at))
		at += bar.Value
		xb, yb := fr.point(c0+fr.barLen, sc.frac(at))
		fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>`+"\n",
			px(math.Min(xa, xb)), px(math.Min(ya, yb)), px(math.Abs(xb-xa)), px(math.Abs(yb-ya)), palette[i%len(palette)],
			html.EscapeString(c.tooltip(group.Label, i, bar)))
	}
	valueLabel(b, fr, c0+fr.barLen/2, sc.frac(at), formatCompact(at))
}

// drawBar draws one bar of a series from c0 along the category axis, its
// error bar and its value at its tip.
func (c *BarChart) drawBar(b *strings.Builder, fr frame, sc scale, c0 float64, label string, series int, bar Bar) {
	mid := c0 + fr.barLen/2
	if math.IsNaN(bar.Value) {
		valueLabel(b, fr, mid, 0, "n/a")
		return
	}
	xa, ya := fr.point(c0, 0)
	xb, yb := fr.point(c0+fr.barLen, sc.frac(bar.Value))
	fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>`+"\n",
		px(math.Min(xa, xb)), px(math.Min(ya, yb)), px(math.Abs(xb-xa)), px(math.Abs(yb-ya)), palette[series%len(palette)], html.EscapeString(c.tooltip(label, series, bar)))
	tipAt := sc.frac(bar.Value)
	if bar.hasRange() {
		lo, hi := sc.frac(bar.Low), sc.frac(bar.High)
		capLen := fr.barLen / 6
		for _, seg := range [][4]float64{{mid, lo, mid, hi}, {mid - capLen, lo, mid + capLen, lo}, {mid - capLen, hi, mid + capLen, hi}} {
			x1, y1 := fr.point(seg[0], seg[1])
			x2, y2 := fr.point(seg[2], seg[3])
			line(b, x1, y1, x2, y2, `stroke="#333"`)
		}
		tipAt = math.Max(tipAt, hi)
	}
	valueLabel(b, fr, mid, tipAt, formatCompact(bar.Value))
}

// valueLabel writes s just beyond the point f of the value axis.
func valueLabel(b *strings.Builder, fr frame, mid, f float64, s string) {
	x, y := fr.point(mid, f)
	if fr.horizontal {
		text(b, x+4, y+4, `font-size="10"`, s)
	} else {
		text(b, x, y-4, `text-anchor="middle" font-size="10"`, s)
	}
}

// tooltip is the text a viewer shows when hovering over a bar.
func (c *BarChart) tooltip(label string, series int, bar Bar) string {
	s := label
	if len(c.Series) > 1 {
		s += ", " + c.Series[series]
	}
	s += ": " + formatNumber(bar.Value)
	if bar.hasRange() {
		s += fmt.Sprintf(" (%s to %s)", formatNumber(bar.Low), formatNumber(bar.High))
	}
	return strings.TrimSpace(s + " " + c.Unit)
}

func drawFooter(b *strings.Builder, s Stamp, y float64) {
	style := `font-size="9" fill="#666"`
	text(b, 8, y+14, style, fmt.Sprintf("Made by %s on %s", s.Command, s.Date.Format(time.RFC3339)))
	text(b, 8, y+28, style, "Machine: "+s.Machine.summary())
}

func text(b *strings.Builder, x, y float64, attrs, s string) {
	if attrs != "" {
		attrs = " " + attrs
	}
	fmt.Fprintf(b, `<text x="%s" y="%s"%s>%s</text>`+"\n", px(x), px(y), attrs, html.EscapeString(s))
}

func line(b *strings.Builder, x1, y1, x2, y2 float64, attrs string) {
	fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" %s/>`+"\n", px(x1), px(y1), px(x2), px(y2), attrs)
}

// px writes a coordinate with one decimal, which keeps the output small
// and byte-stable.
func px(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
