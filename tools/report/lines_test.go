package report

import (
	"bytes"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

func loadChart() *LineChart {
	return &LineChart{
		Name: "replies", Title: "Replies against offered load", XLabel: "offered req/s", YLabel: "replies/s",
		Series: []LineSeries{
			{Label: "raw", Points: []Point{{X: 1000, Y: 1000}, {X: 2000, Y: 1990, Marked: true}, {X: 4000, Y: 2100}}},
			{Label: "lwip", Points: []Point{{X: 1000, Y: 990}, {X: 0, Y: 5}, {X: 2000, Y: math.NaN()}}},
		},
	}
}

func TestLineChartDrawsEachSeries(t *testing.T) {
	var b bytes.Buffer
	if err := loadChart().WriteSVG(&b, fixedStamp()); err != nil {
		t.Fatal(err)
	}
	svg := b.String()
	checkXML(t, b.Bytes())
	if n := strings.Count(svg, "<polyline"); n != 2 {
		t.Errorf("%d lines, want one a series", n)
	}
	// the point at x=0 and the NaN one have no place on a log axis
	if n := strings.Count(svg, `r="3"`); n != 4 {
		t.Errorf("%d dots, want the 4 plottable points", n)
	}
	if n := strings.Count(svg, `r="7"`); n != 1 {
		t.Errorf("%d rings, want the 1 marked point", n)
	}
	for _, want := range []string{"raw: 2,000, 1,990", "offered req/s (log scale)", ">1k<", ">10k<", "Made by"} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %q", want)
		}
	}
}

func TestLineChartRefusesNothingToPlot(t *testing.T) {
	c := &LineChart{Name: "x", Title: "empty", Series: []LineSeries{{Label: "a", Points: []Point{{X: 0, Y: 1}}}}}
	if err := c.WriteSVG(&bytes.Buffer{}, fixedStamp()); err == nil {
		t.Error("a chart with no plottable point was drawn")
	}
	if err := loadChart().WriteSVG(&bytes.Buffer{}, Stamp{}); err == nil {
		t.Error("a chart without a stamp was drawn")
	}
}

func TestWriteLineCharts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "results")
	lat := loadChart()
	lat.Name = "latency"
	paths, err := WriteLineCharts(dir, "sweep", fixedStamp(), loadChart(), lat)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "sweep-replies.svg"), filepath.Join(dir, "sweep-latency.svg")}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Errorf("paths %q, want %q", paths, want)
	}
	checkDir(t, dir, want)
	bad := loadChart()
	bad.Name = "a/b"
	if _, err := WriteLineCharts(t.TempDir(), "sweep", fixedStamp(), bad); err == nil {
		t.Error("a chart name with a folder was accepted")
	}
}
