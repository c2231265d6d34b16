package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fixedStamp is a stamp that does not depend on when or where tests run.
func fixedStamp() Stamp {
	return Stamp{
		Command: QuoteCommand([]string{"/opt/x/bin/ukkv", "bench", "--runs", "3", "it's"}),
		Date:    time.Date(2026, 11, 25, 19, 42, 0, 0, time.UTC),
		Machine: Machine{CPU: "Intel(R) Xeon(R) Processor", Cores: 2, MemoryBytes: 24 << 30,
			Kernel: "6.1.0-28-amd64", Distro: "Debian GNU/Linux 12 (bookworm)", Accelerator: "tcg"},
		Info: map[string]string{"unikraft": "RELEASE-0.16.3", "lib-lwip": "RELEASE-0.16.2"},
	}
}

func sampleTable() *Table {
	t := &Table{
		Title: "Throughput",
		Stamp: fixedStamp(),
		Columns: []Column{
			{Name: "variant"}, {Name: "throughput", Unit: "req/s"}, {Name: "vs linux-single", Unit: "x"}, {Name: "image", Unit: "bytes"},
		},
		Notes: []string{"client ceiling: 2,000,000 req/s", "measured under TCG"},
	}
	t.AddRow(Text("raw-uknetdev"), Num(6_100_000), Num(58.0952), Int(434_504))
	t.AddRow(Text("lwip|socket"), Num(250_123.6), Num(2.381), Int(438_600))
	t.AddRow(Text("linux-single"), Num(105_000), Num(1), Cell{})
	return t
}

// golden compares got with testdata/NAME, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `go test ./tools/report -update` to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; got:\n%s", name, got)
	}
}
