// Command testreport runs `go test -json` with the given arguments and
// prints a line per package, the output of every failure, and each
// skipped test with its reason, ending with "skipped: N". It fails when
// a test failed, and, with UKKV_STRICT=1, when any test skipped.
package main

import (
	"fmt"
	"os"
	"os/exec"

	"github.com/ukkv/ukkv/tools/testreport"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	goTool := os.Getenv("GO")
	if goTool == "" {
		goTool = "go"
	}
	cmd := exec.Command(goTool, append([]string{"test", "-json"}, args...)...)
	cmd.Stderr = os.Stderr
	events, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	sum, readErr := testreport.Read(events, os.Stdout)
	testErr := cmd.Wait()
	sum.WriteSkips(os.Stdout)
	switch {
	case readErr != nil:
		fmt.Fprintf(os.Stderr, "reading go test's events: %v\n", readErr)
		return 2
	case testErr != nil || len(sum.Failed) > 0:
		fmt.Fprintf(os.Stdout, "failed: %d (go test: %v)\n", len(sum.Failed), testErr)
		return 1
	case os.Getenv("UKKV_STRICT") == "1" && len(sum.Skipped) > 0:
		fmt.Fprintf(os.Stdout, "UKKV_STRICT=1: %d tests skipped\n", len(sum.Skipped))
		return 1
	}
	return 0
}
