package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// bootChart is a vertical one-series chart with error bars.
func bootChart() *BarChart {
	return &BarChart{
		Name: "boot", Title: "Boot time", Unit: "ms",
		Groups: []BarGroup{
			{Label: "raw-uknetdev", Bars: []Bar{{Value: 212, Low: 201, High: 240}}},
			{Label: "lwip-socket", Bars: []Bar{{Value: 231, Low: 220, High: 260}}},
			{Label: "linux-single", Bars: []Bar{{Value: 4312}}},
		},
	}
}

// throughputChart is a horizontal "ours vs paper" chart on a log scale
// with a row the paper lacks.
func throughputChart() *BarChart {
	return &BarChart{
		Name: "throughput", Title: "Throughput <ours & paper>", Unit: "req/s", Horizontal: true, Log: true,
		Series: []string{"ukkv", "paper"},
		Groups: []BarGroup{
			{Label: "raw-uknetdev", Bars: []Bar{{Value: 1_200_000, Low: 1_100_000, High: 1_300_000}, {Value: 6_000_000}}},
			{Label: "lwip-socket", Bars: []Bar{{Value: 33_708}, {Value: 250_000}}},
			{Label: "memcached", Bars: []Bar{{Value: 12_000}, Missing()}},
		},
	}
}

// sizeChart is a horizontal stacked chart with a legend of two lines.
func sizeChart() *BarChart {
	return &BarChart{
		Name: "sizes", Title: "Image size by library", Unit: "KiB", Horizontal: true, Stacked: true,
		Series: []string{"libkvmplat", "unnamed (strings, padding, tables)", "unwind tables", "liblwip", "libnolibc", "appkvstore", "other parts"},
		Groups: []BarGroup{
			{Label: "raw-uknetdev", Bars: []Bar{{Value: 280}, {Value: 28}, {Value: 43}, {Value: 0}, {Value: 25}, {Value: 15}, {Value: 60}}},
			{Label: "lwip-socket", Bars: []Bar{{Value: 280}, {Value: 30}, {Value: 43}, {Value: 48}, {Value: 25}, {Value: 15}, {Value: 80}}},
		},
	}
}

// TestStackedBarIsItsSeriesEndToEnd: a stacked bar is as long as its
// segments together, each segment as long as its value, on one axis.
func TestStackedBarIsItsSeriesEndToEnd(t *testing.T) {
	c := sizeChart()
	fr, sc := c.frame(), c.newScale()
	if want := stackTotal(c.Groups[1]); sc.hi < want || sc.hi > 2*want {
		t.Fatalf("axis to %v for a longest stack of %v", sc.hi, want)
	}
	if len(c.legendLines()) < 2 || fr.y0 <= plotTop {
		t.Errorf("a legend too long for one line: %d lines, plot from %v", len(c.legendLines()), fr.y0)
	}
	var b strings.Builder
	c.drawStack(&b, fr, sc, 0, c.Groups[0])
	widths := 0.0
	for _, m := range regexpWidth.FindAllStringSubmatch(b.String(), -1) {
		w, _ := strconv.ParseFloat(m[1], 64)
		widths += w
	}
	if want := (fr.x1 - fr.x0) * sc.frac(stackTotal(c.Groups[0])); math.Abs(widths-want) > 1 {
		t.Errorf("segments %v px wide, want %v", widths, want)
	}
	if n := strings.Count(b.String(), "<rect"); n != 6 {
		t.Errorf("%d segments drawn, want 6 (a zero value draws none)", n)
	}
}

var regexpWidth = regexp.MustCompile(`<rect [^>]*width="([0-9.]+)"`)

func TestChartGolden(t *testing.T) {
	for name, c := range map[string]*BarChart{"vertical.svg": bootChart(), "horizontal-log.svg": throughputChart(), "stacked.svg": sizeChart()} {
		t.Run(name, func(t *testing.T) {
			var first, second bytes.Buffer
			if err := c.WriteSVG(&first, fixedStamp()); err != nil {
				t.Fatal(err)
			}
			if err := c.WriteSVG(&second, fixedStamp()); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first.Bytes(), second.Bytes()) {
				t.Error("two renderings of one chart differ")
			}
			checkXML(t, first.Bytes())
			golden(t, name, first.Bytes())
		})
	}
}

// checkXML fails unless b is well-formed XML.
func checkXML(t *testing.T, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
	}
}

// Bars must grow with their value: on a log scale a bar ten times longer
// in value is one decade longer in pixels.
func TestLogBarLengths(t *testing.T) {
	c := &BarChart{Title: "t", Horizontal: true, Log: true, Groups: []BarGroup{
		{Label: "a", Bars: []Bar{{Value: 10_000}}}, {Label: "b", Bars: []Bar{{Value: 100_000}}}, {Label: "c", Bars: []Bar{{Value: 10_000_000}}},
	}}
	var b bytes.Buffer
	if err := c.WriteSVG(&b, fixedStamp()); err != nil {
		t.Fatal(err)
	}
	widths := rectWidths(t, b.String())
	if len(widths) != 3 {
		t.Fatalf("want 3 bars, got widths %v", widths)
	}
	// Axis from 1k to 10M: four decades over 470 px.
	decade := (svgWidth - hValueSpace - hLabelSpace) / 4
	for i, want := range []float64{decade, 2 * decade, 4 * decade} {
		if math.Abs(widths[i]-want) > 0.1 {
			t.Errorf("bar %d is %v px wide, want %v", i, widths[i], want)
		}
	}
}

// rectWidths returns the widths of the bars (rects with a title).
func rectWidths(t *testing.T, svg string) []float64 {
	t.Helper()
	var widths []float64
	d := xml.NewDecoder(strings.NewReader(svg))
	for {
		tok, err := d.Token()
		if err != nil {
			return widths
		}
		var r struct {
			Width string `xml:"width,attr"`
			Title string `xml:"title"`
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "rect" {
			if err := d.DecodeElement(&r, &se); err != nil {
				t.Fatal(err)
			}
			if r.Title != "" {
				w, err := strconv.ParseFloat(r.Width, 64)
				if err != nil {
					t.Fatal(err)
				}
				widths = append(widths, w)
			}
		}
	}
}

func TestScaleTicks(t *testing.T) {
	for _, c := range []struct {
		chart *BarChart
		want  []float64
	}{
		{&BarChart{Log: true, Groups: []BarGroup{{Bars: []Bar{{Value: 12_000}}}, {Bars: []Bar{{Value: 6_100_000}}}}},
			[]float64{1e4, 1e5, 1e6, 1e7}},
		{&BarChart{Groups: []BarGroup{{Bars: []Bar{{Value: 212}}}, {Bars: []Bar{{Value: 4312}}}}},
			[]float64{0, 1000, 2000, 3000, 4000, 5000}},
		{&BarChart{Groups: []BarGroup{{Bars: []Bar{{Value: 7, Low: 6, High: 13}}}}},
			[]float64{0, 5, 10, 15}},
		{&BarChart{Groups: []BarGroup{{Bars: []Bar{Missing()}}}}, []float64{0, 0.2, 0.4, 0.6000000000000001, 0.8, 1}},
	} {
		if got := c.chart.newScale().ticks(); !reflect.DeepEqual(got, c.want) {
			t.Errorf("ticks %v, want %v", got, c.want)
		}
	}
}

func TestChartRefusesBadShapes(t *testing.T) {
	for _, c := range []*BarChart{
		{Title: "empty"},
		{Title: "ragged", Series: []string{"ukkv", "paper"}, Groups: []BarGroup{{Label: "a", Bars: []Bar{{Value: 1}}}}},
	} {
		var b bytes.Buffer
		if err := c.WriteSVG(&b, fixedStamp()); err == nil || b.Len() != 0 {
			t.Errorf("chart %q: error %v, %d bytes written", c.Title, err, b.Len())
		}
	}
}
