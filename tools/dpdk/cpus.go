package dpdk

import "golang.org/x/sys/unix"

// CPURange is the first and the last CPU this process may run on (0 and
// 0 when the affinity cannot be read): testpmd's polling lcore takes the
// last, so that a DPDK program of ours beside it takes the first.
func CPURange() (first, last int) {
	var set unix.CPUSet
	if unix.SchedGetaffinity(0, &set) != nil {
		return 0, 0
	}
	first = -1
	for cpu := 0; cpu < 1024; cpu++ {
		if set.IsSet(cpu) {
			if first < 0 {
				first = cpu
			}
			last = cpu
		}
	}
	if first < 0 {
		first = 0
	}
	return first, last
}
