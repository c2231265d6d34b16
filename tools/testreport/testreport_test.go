package testreport

import (
	"bytes"
	"strings"
	"testing"
)

// stream is `go test -json` of a package with a passing, a skipped, a
// failing test and a skipped subtest, and a package that failed to build.
const stream = `{"Action":"start","Package":"p"}
{"Action":"run","Package":"p","Test":"TestOK"}
{"Action":"output","Package":"p","Test":"TestOK","Output":"=== RUN   TestOK\n"}
{"Action":"pass","Package":"p","Test":"TestOK","Elapsed":0}
{"Action":"run","Package":"p","Test":"TestQEMU"}
{"Action":"output","Package":"p","Test":"TestQEMU","Output":"=== RUN   TestQEMU\n"}
{"Action":"output","Package":"p","Test":"TestQEMU","Output":"    q_test.go:9: qemu-system-x86_64 missing: install the Debian package qemu-system-x86\n"}
{"Action":"output","Package":"p","Test":"TestQEMU","Output":"--- SKIP: TestQEMU (0.00s)\n"}
{"Action":"skip","Package":"p","Test":"TestQEMU","Elapsed":0}
{"Action":"run","Package":"p","Test":"TestBad"}
{"Action":"output","Package":"p","Test":"TestBad","Output":"    b_test.go:3: got 2, want 3\n"}
{"Action":"fail","Package":"p","Test":"TestBad","Elapsed":0.5}
{"Action":"output","Package":"p","Test":"TestRows/memcached","Output":"    r_test.go:4: memcached missing\n"}
{"Action":"skip","Package":"p","Test":"TestRows/memcached","Elapsed":0}
{"Action":"output","Package":"p","Output":"FAIL\n"}
{"Action":"fail","Package":"p","Elapsed":1.25}
{"Action":"skip","Package":"q"}
{"ImportPath":"r","Action":"build-output","Output":"r/x.go:1: syntax error\n"}
{"ImportPath":"r","Action":"build-fail"}
`

func TestReadCountsSkipsWithReasonsAndFailures(t *testing.T) {
	var out bytes.Buffer
	sum, err := Read(strings.NewReader(stream), &out)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(sum.Failed, ","); got != "p.TestBad,p,r" {
		t.Errorf("failed %q, want p.TestBad,p,r", got)
	}
	if len(sum.Skipped) != 2 || sum.Skipped[0].Reason != "q_test.go:9: qemu-system-x86_64 missing: install the Debian package qemu-system-x86" ||
		sum.Skipped[1].Test != "TestRows/memcached" || sum.Skipped[1].Reason != "r_test.go:4: memcached missing" {
		t.Errorf("skips %+v", sum.Skipped)
	}
	for _, want := range []string{"--- FAIL: p TestBad", "got 2, want 3", "FAIL\tp\t1.250s", "r/x.go:1: syntax error"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	var skips bytes.Buffer
	sum.WriteSkips(&skips)
	lines := strings.Split(strings.TrimSpace(skips.String()), "\n")
	if len(lines) != 3 || lines[2] != "skipped: 2" || !strings.HasPrefix(lines[0], "skipped p TestQEMU: ") {
		t.Errorf("skip list:\n%s", skips.String())
	}
}

func TestReadPassesOnLinesThatAreNotEvents(t *testing.T) {
	var out bytes.Buffer
	sum, err := Read(strings.NewReader("# p\nno JSON here\n"), &out)
	if err != nil || len(sum.Failed)+len(sum.Skipped) != 0 || out.String() != "# p\nno JSON here\n" {
		t.Errorf("%+v %v %q", sum, err, out.String())
	}
}
