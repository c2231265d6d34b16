// Command ukkv builds, boots and benchmarks unikernel variants of a UDP
// key-value server.
package main

import (
	"os"

	"github.com/ukkv/ukkv/tools/cli"
)

func main() {
	os.Exit(cli.Execute())
}
