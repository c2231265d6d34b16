package process

import (
	"strconv"
	"strings"
)

// Pinned runs bin under `taskset -c CPUS`, or as it is without CPUs:
// taskset sets the mask and then execs bin in the same process, so the
// mask is in place before the program makes its threads (QEMU's vCPU
// and I/O threads) and they all inherit it. Setting it
// with sched_setaffinity after the start would race those threads, and
// setting it on our own thread before the fork would pin a Go thread
// the runtime may reuse for anything.
func Pinned(cpus []int, bin string, args []string) (string, []string) {
	if len(cpus) == 0 {
		return bin, args
	}
	list := make([]string, len(cpus))
	for i, c := range cpus {
		list[i] = strconv.Itoa(c)
	}
	return "taskset", append([]string{"-c", strings.Join(list, ","), bin}, args...)
}
