package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteAll writes the table as DIR/BASE.json, .csv and .md, and each chart
// as DIR/BASE.svg (one chart without a name) or DIR/BASE-NAME.svg, all
// stamped with t.Stamp. It returns the paths written.
//
// Everything is rendered before the first file is touched, and each file
// is written under a temporary name and renamed into place, so a failure
// leaves the previous report (or none) and no partial file behind.
func WriteAll(dir, base string, t *Table, charts ...*BarChart) ([]string, error) {
	files, err := render(base, t, charts)
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", base, err)
	}
	return publish(dir, base, files)
}

// WriteLineCharts writes each chart as DIR/BASE-NAME.svg, stamped with
// s, all or none as WriteAll does. It returns the paths written.
func WriteLineCharts(dir, base string, s Stamp, charts ...*LineChart) ([]string, error) {
	var files []file
	for _, c := range charts {
		if c.Name == "" || c.Name != filepath.Base(c.Name) {
			return nil, fmt.Errorf("report %s: chart %q needs a plain file name part (Name)", base, c.Title)
		}
		var b bytes.Buffer
		if err := c.WriteSVG(&b, s); err != nil {
			return nil, fmt.Errorf("report %s: %w", base, err)
		}
		files = append(files, file{base + "-" + c.Name + ".svg", b.Bytes()})
	}
	return publish(dir, base, files)
}

// publish writes every file into dir under a temporary name, then
// renames each into place.
func publish(dir, base string, files []file) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("report %s: %w", base, err)
	}
	temps := make([]string, 0, len(files))
	defer func() {
		for _, tmp := range temps {
			os.Remove(tmp) // already renamed ones are gone: harmless
		}
	}()
	for _, f := range files {
		tmp, err := writeTemp(dir, f.name, f.data)
		if err != nil {
			return nil, fmt.Errorf("report %s: %w", base, err)
		}
		temps = append(temps, tmp)
	}
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = filepath.Join(dir, f.name)
		if err := os.Rename(temps[i], paths[i]); err != nil {
			return nil, fmt.Errorf("report %s: %w", base, err)
		}
	}
	return paths, nil
}

type file struct {
	name string
	data []byte
}

// render produces every file of a report in memory.
func render(base string, t *Table, charts []*BarChart) ([]file, error) {
	if base == "" || base != filepath.Base(base) {
		return nil, fmt.Errorf("base name %q must be a plain file name", base)
	}
	var files []file
	for _, f := range []struct {
		ext   string
		write func(io.Writer) error
	}{{".json", t.WriteJSON}, {".csv", t.WriteCSV}, {".md", t.WriteMarkdown}} {
		var b bytes.Buffer
		if err := f.write(&b); err != nil {
			return nil, err
		}
		files = append(files, file{base + f.ext, b.Bytes()})
	}
	seen := map[string]bool{}
	for _, c := range charts {
		name := base + ".svg"
		if len(charts) > 1 || c.Name != "" {
			if c.Name == "" || c.Name != filepath.Base(c.Name) {
				return nil, fmt.Errorf("chart %q needs a plain file name part (Name) beside other charts", c.Title)
			}
			name = base + "-" + c.Name + ".svg"
		}
		if seen[name] {
			return nil, fmt.Errorf("two charts named %q", c.Name)
		}
		seen[name] = true
		var b bytes.Buffer
		if err := c.WriteSVG(&b, t.Stamp); err != nil {
			return nil, err
		}
		files = append(files, file{name, b.Bytes()})
	}
	return files, nil
}

// writeTemp writes data to a new hidden file in dir, synced to disk so
// that the rename publishes complete contents even after a crash.
func writeTemp(dir, name string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, "."+name+".tmp*")
	if err != nil {
		return "", err
	}
	// CreateTemp makes the file private; a report is for everyone to read.
	err = f.Chmod(0o644)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if err = errors.Join(err, f.Close()); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("write %s: %w", name, err)
	}
	return f.Name(), nil
}
