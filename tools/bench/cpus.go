package bench

import (
	"strconv"
	"strings"

	log "github.com/sirupsen/logrus"

	"github.com/ukkv/ukkv/tools/dpdk"
)

// cpusBeside are this process's CPUs other than the load generator's: a
// guest pinned there never shares kvload's polling core, where the two
// handed the core over at each kernel tick and a run fell to ~2,000
// req/s. Nil (unpinned) when no other CPU is left.
func cpusBeside(loadCPU int) []int {
	first, last := dpdk.CPURange()
	cpus := othersIn(first, last, loadCPU)
	if cpus == nil {
		log.Debugf("no CPU beside kvload's CPU %d: the guest runs unpinned", loadCPU)
	}
	return cpus
}

// othersIn are the CPUs first..last without skip.
func othersIn(first, last, skip int) []int {
	var cpus []int
	for c := first; c <= last; c++ {
		if c != skip {
			cpus = append(cpus, c)
		}
	}
	return cpus
}

// cpuList is "1,2", or "any" for no CPUs (unpinned).
func cpuList(cpus []int) string {
	if len(cpus) == 0 {
		return "any"
	}
	list := make([]string, len(cpus))
	for i, c := range cpus {
		list[i] = strconv.Itoa(c)
	}
	return strings.Join(list, ",")
}
