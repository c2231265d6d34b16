package dpdk

import "golang.org/x/sys/unix"

// Where each polling core goes: a load generator (kvload) polls on the
// first CPU this process may use, testpmd's forwarding lcore on the last
// one (or the last one beside the client's), and a guest is pinned to
// the CPUs beside the client's, so that no two busy pollers share a core
// when there are enough.

// CPUs are the CPUs this process may run on, in order; just CPU 0 when
// the affinity cannot be read.
func CPUs() []int {
	var set unix.CPUSet
	if unix.SchedGetaffinity(0, &set) != nil {
		return []int{0}
	}
	var cpus []int
	for cpu := 0; cpu < 1024; cpu++ {
		if set.IsSet(cpu) {
			cpus = append(cpus, cpu)
		}
	}
	if cpus == nil {
		return []int{0}
	}
	return cpus
}

// ClientCPU is where a load generator's polling core runs.
func ClientCPU() int { return CPUs()[0] }

// Beside are the CPUs of this process other than cpu; nil when there is
// none.
func Beside(cpu int) []int { return without(CPUs(), cpu) }

func without(cpus []int, skip int) []int {
	var rest []int
	for _, c := range cpus {
		if c != skip {
			rest = append(rest, c)
		}
	}
	return rest
}

// lastBeside is the last CPU other than cpu, or cpu itself when it is
// the only one.
func lastBeside(cpu int) int {
	if rest := Beside(cpu); rest != nil {
		return rest[len(rest)-1]
	}
	return cpu
}
