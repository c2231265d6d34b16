package report

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestWriteAll(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "results")
	tab := sampleTable()
	paths, err := WriteAll(dir, "bench", tab, bootChart(), throughputChart())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"bench.json", "bench.csv", "bench.md", "bench-boot.svg", "bench-throughput.svg"}
	for i := range want {
		want[i] = filepath.Join(dir, want[i])
	}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("paths %q, want %q", paths, want)
	}
	checkDir(t, dir, want)
	var md bytes.Buffer
	if err := tab.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "bench.md")); !bytes.Equal(got, md.Bytes()) {
		t.Errorf("bench.md is not WriteMarkdown's output")
	}
	if info, _ := os.Stat(paths[0]); info.Mode().Perm() != 0o644 {
		t.Errorf("%s has mode %v, want 0644", paths[0], info.Mode().Perm())
	}
}

func TestWriteAllOneChartTakesTheBaseName(t *testing.T) {
	dir := t.TempDir()
	c := bootChart()
	c.Name = ""
	if _, err := WriteAll(dir, "sizes", sampleTable(), c); err != nil {
		t.Fatal(err)
	}
	checkDir(t, dir, []string{"sizes.csv", "sizes.json", "sizes.md", "sizes.svg"})
}

// A report that cannot be rendered writes nothing at all, and an earlier
// report of the same name stays as it was.
func TestWriteAllBadInputWritesNothing(t *testing.T) {
	dir := t.TempDir()
	if _, err := WriteAll(dir, "bench", sampleTable()); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "bench.md"))
	ragged := sampleTable()
	ragged.AddRow(Text("short"))
	unnamed := bootChart()
	unnamed.Name = ""
	for name, call := range map[string]func() error{
		"ragged table": func() error { _, err := WriteAll(dir, "bench", ragged); return err },
		"bad chart":    func() error { _, err := WriteAll(dir, "bench", sampleTable(), &BarChart{Title: "empty"}); return err },
		"unnamed":      func() error { _, err := WriteAll(dir, "bench", sampleTable(), unnamed, bootChart()); return err },
		"same name":    func() error { _, err := WriteAll(dir, "bench", sampleTable(), bootChart(), bootChart()); return err },
		"path as base": func() error { _, err := WriteAll(dir, "../bench", sampleTable()); return err },
	} {
		if err := call(); err == nil {
			t.Errorf("%s: no error", name)
		}
		checkDir(t, dir, []string{"bench.csv", "bench.json", "bench.md"})
		if after, _ := os.ReadFile(filepath.Join(dir, "bench.md")); !bytes.Equal(after, before) {
			t.Errorf("%s: bench.md changed", name)
		}
	}
}

// A file that cannot be put in place (a folder holds its name) fails the
// call and leaves no temporary file behind.
func TestWriteAllFailedRenameLeavesNoTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "bench.svg", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	c := bootChart()
	c.Name = ""
	_, err := WriteAll(dir, "bench", sampleTable(), c)
	if err == nil || !strings.Contains(err.Error(), "bench.svg") {
		t.Fatalf("error %v, want one naming bench.svg", err)
	}
	checkDir(t, dir, []string{"bench.csv", "bench.json", "bench.md", "bench.svg"})
}

func TestWriteAllUnwritableFolder(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteAll(filepath.Join(file, "results"), "bench", sampleTable()); err == nil {
		t.Error("no error for a folder below a file")
	}
}

// checkDir fails unless dir holds exactly the named entries.
func checkDir(t *testing.T, dir string, want []string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got, wantBase []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	for _, w := range want {
		wantBase = append(wantBase, filepath.Base(w))
	}
	slices.Sort(wantBase)
	if !reflect.DeepEqual(got, wantBase) {
		t.Errorf("%s holds %q, want %q", dir, got, wantBase)
	}
}
