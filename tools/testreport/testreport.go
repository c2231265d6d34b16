// Package testreport reads the event stream of `go test -json` and says
// what ran: a line per package, the output of every failed test, and each
// skipped test with its reason, ending with the count of skips, so that a
// run where the tests of missing parts all skipped does not pass for a
// run where they all passed.
package testreport

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// event is one line of `go test -json` (see `go doc test2json`).
type event struct {
	Action     string
	Package    string
	ImportPath string // of build-output and build-fail

	Test    string
	Elapsed float64
	Output  string
}

// Skip is one skipped test and why.
type Skip struct {
	Package, Test, Reason string
}

// Summary is what a run of the tests came to.
type Summary struct {
	Failed  []string // package or package.Test
	Skipped []Skip
}

// Read copies a readable account of the events on in to out as they come
// and returns the summary; an event line that is not JSON (a build
// error) is passed through as it is.
func Read(in io.Reader, out io.Writer) (Summary, error) {
	var sum Summary
	outputs := map[string][]string{} // package + "\x00" + test -> its lines
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Action == "" {
			fmt.Fprintln(out, sc.Text())
			continue
		}
		key := e.Package + "\x00" + e.Test
		switch e.Action {
		case "output":
			outputs[key] = append(outputs[key], e.Output)
		case "skip":
			if e.Test != "" {
				sum.Skipped = append(sum.Skipped, Skip{Package: e.Package, Test: e.Test, Reason: reason(outputs[key])})
			}
			delete(outputs, key)
		case "fail":
			if e.Test != "" {
				sum.Failed = append(sum.Failed, e.Package+"."+e.Test)
				fmt.Fprintf(out, "--- FAIL: %s %s (%.2fs)\n%s", e.Package, e.Test, e.Elapsed, strings.Join(outputs[key], ""))
			} else {
				sum.Failed = append(sum.Failed, e.Package)
				fmt.Fprintf(out, "FAIL\t%s\t%.3fs\n%s", e.Package, e.Elapsed, packageOutput(outputs[key]))
			}
			delete(outputs, key)
		case "build-output":
			fmt.Fprint(out, e.Output)
		case "build-fail":
			sum.Failed = append(sum.Failed, e.ImportPath)
		case "pass":
			if e.Test == "" {
				fmt.Fprintf(out, "ok  \t%s\t%.3fs\n", e.Package, e.Elapsed)
			}
			delete(outputs, key)
		}
	}
	return sum, sc.Err()
}

// reason is what a skipped test logged, without go test's own lines.
func reason(lines []string) string {
	var words []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- SKIP") {
			continue
		}
		words = append(words, t)
	}
	if len(words) == 0 {
		return "no reason given"
	}
	return strings.Join(words, " ")
}

// packageOutput is what a failed package printed outside its tests (a
// panic, a build failure), without the lines of go test's summary.
func packageOutput(lines []string) string {
	var kept []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "FAIL" || t == "PASS" || strings.HasPrefix(t, "FAIL\t") || strings.HasPrefix(t, "ok ") {
			continue
		}
		kept = append(kept, l)
	}
	return strings.Join(kept, "")
}

// WriteSkips lists the skipped tests, by package, then "skipped: N".
func (s Summary) WriteSkips(out io.Writer) {
	skips := append([]Skip(nil), s.Skipped...)
	sort.SliceStable(skips, func(i, j int) bool { return skips[i].Package < skips[j].Package })
	for _, sk := range skips {
		fmt.Fprintf(out, "skipped %s %s: %s\n", sk.Package, sk.Test, sk.Reason)
	}
	fmt.Fprintf(out, "skipped: %d\n", len(skips))
}
