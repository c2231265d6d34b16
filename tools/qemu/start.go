package qemu

import (
	"strconv"
	"strings"

	log "github.com/sirupsen/logrus"

	"github.com/ukkv/ukkv/tools/process"
)

// Start starts QEMU on m; its console and messages go to console. With
// cpus set, QEMU and every thread it makes run only on those CPUs.
func Start(m Machine, cpus []int, console *Console) (*process.Process, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	bin, args := pinned(cpus, bin, m.Args())
	log.Debugf("%s %v", bin, args)
	return process.Start(bin, args, process.Options{Output: console})
}

// pinned runs bin under `taskset -c CPUS`: taskset sets the mask and then
// execs bin in the same process, so the mask is in place before QEMU
// makes its vCPU and I/O threads and they all inherit it. Setting it
// with sched_setaffinity after the start would race those threads, and
// setting it on our own thread before the fork would pin a Go thread
// the runtime may reuse for anything.
func pinned(cpus []int, bin string, args []string) (string, []string) {
	if len(cpus) == 0 {
		return bin, args
	}
	list := make([]string, len(cpus))
	for i, c := range cpus {
		list[i] = strconv.Itoa(c)
	}
	return "taskset", append([]string{"-c", strings.Join(list, ","), bin}, args...)
}
