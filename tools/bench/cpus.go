package bench

import (
	"strconv"
	"strings"
)

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
