package sizes

import (
	"fmt"
	"slices"
	"sort"

	"github.com/ukkv/ukkv/tools/report"
)

// Row is one variant's breakdown.
type Row struct {
	Variant string
	*Breakdown
}

// Notes say how the parts were counted.
var Notes = []string{
	"Unikraft images: the loaded sections of the image's .dbg ELF, by class (text: executable; rodata: read-only; data: writable; bss: no file bytes); " +
		"each symbol's bytes go to the library whose partial link (LIB.o of the build) defines a symbol of that name and size (or name), " +
		"a label without a size gets the bytes up to the next symbol, an address two symbols share counts once",
	"unnamed: bytes no symbol covers (merged string literals, alignment between and inside sections, the linker's tables); unwind tables: .eh_frame and .eh_frame_hdr",
	"appkvstore is the KV server (our app)",
	"elfloader rows: their kernel is app-elfloader's image, broken down as above (it links no appkvstore); the server is the static PIE the loader reads from the initrd at boot, " +
		"counted as the one part \"program: NAME\" by its ELF's loaded sections (text, rodata, data, bss; cpio framing left out), its PT_LOAD sizes added to the kernel's in measured",
	"Linux guests: the kernel file as booted (compressed), and the gzipped initramfs shared out among modules, server and the rest in proportion to their bytes inside it",
	"sum: the parts added up; measured: the PT_LOAD segments' memory sizes (Unikraft, elfloader program), or the kernel and initramfs files' bytes (Linux); a thread-local .tbss counts in neither, as it takes no room in the image (each thread's TLS block is made at run time)",
}

// Table lists each variant's parts, largest first, and its totals.
func Table(rows []Row) *report.Table {
	t := &report.Table{
		Title: "Image sizes by library: code, read-only data, data, bss",
		Columns: []report.Column{
			{Name: "variant"}, {Name: "part"}, {Name: "text", Unit: "bytes"}, {Name: "rodata", Unit: "bytes"},
			{Name: "data", Unit: "bytes"}, {Name: "bss", Unit: "bytes"}, {Name: "file", Unit: "bytes"},
			{Name: "total", Unit: "bytes"}, {Name: "share", Unit: "%"},
		},
		Notes: Notes,
	}
	for _, r := range rows {
		sum := r.Sum()
		for _, p := range r.Parts {
			t.AddRow(report.Text(r.Variant), report.Text(p.Name), classCell(p, Text), classCell(p, ROData),
				classCell(p, Data), classCell(p, BSS), wholeCell(p), report.Int(p.Total()), report.Num(100*float64(p.Total())/float64(sum)))
		}
		t.AddRow(report.Text(r.Variant), report.Text("sum"), report.Cell{}, report.Cell{}, report.Cell{}, report.Cell{}, report.Cell{},
			report.Int(sum), report.Num(100))
		t.AddRow(report.Text(r.Variant), report.Text("measured"), report.Cell{}, report.Cell{}, report.Cell{}, report.Cell{}, report.Cell{},
			report.Int(r.Size), report.Num(100*float64(r.Size)/float64(sum)))
	}
	return t
}

func classCell(p Part, c Class) report.Cell {
	if p.Whole != 0 {
		return report.Cell{}
	}
	return report.Int(p.Bytes[c])
}

func wholeCell(p Part) report.Cell {
	if p.Whole == 0 {
		return report.Cell{}
	}
	return report.Int(p.Whole)
}

// chartParts is how many parts a chart names; the rest are stacked as one.
const chartParts = 8

// Chart stacks each variant's parts in one bar: the parts largest in any
// image by name, the others together.
func Chart(rows []Row) *report.BarChart {
	named := largestParts(rows, chartParts)
	c := &report.BarChart{Title: "Image size by library", Unit: "KiB", Horizontal: true, Stacked: true,
		Series: append(named, "other parts")}
	for _, r := range rows {
		bars := make([]report.Bar, len(c.Series))
		for _, p := range r.Parts {
			i := slices.Index(named, p.Name)
			if i < 0 {
				i = len(named)
			}
			bars[i].Value += float64(p.Total()) / 1024
		}
		c.Groups = append(c.Groups, report.BarGroup{Label: r.Variant, Bars: bars})
	}
	return c
}

// largestParts names the n parts with the most bytes in any one image.
func largestParts(rows []Row, n int) []string {
	most := map[string]int64{}
	for _, r := range rows {
		for _, p := range r.Parts {
			most[p.Name] = max(most[p.Name], p.Total())
		}
	}
	names := make([]string, 0, len(most))
	for name := range most {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool {
		if most[names[i]] != most[names[j]] {
			return most[names[i]] > most[names[j]]
		}
		return names[i] < names[j]
	})
	return names[:min(n, len(names))]
}

// Check says whether the parts add up to the measured size within tol
// (a fraction).
func (b *Breakdown) Check(tol float64) error {
	sum := b.Sum()
	if d := float64(sum - b.Size); d > tol*float64(b.Size) || -d > tol*float64(b.Size) {
		return fmt.Errorf("%s: parts add up to %d bytes, the image measures %d", b.Image, sum, b.Size)
	}
	return nil
}
