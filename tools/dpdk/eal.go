package dpdk

import (
	"fmt"
	"strconv"
	"strings"
)

// EAL is the first part of a DPDK program's command line, up to "--",
// the same for all of ours: no PCI devices (every port is a --vdev), no
// shared configuration and no telemetry (no secondary process ever
// attaches), so that a run leaves little under /var/run/dpdk.
type EAL struct {
	// Prefix is the --file-prefix; two live processes with one prefix
	// collide, so it is unique to the run (process.OwnedName).
	Prefix    string
	Lcores    string // the --lcores map, see Lcores
	MemoryMiB int
	// Hugepages backs the memory with hugepages; else --no-huge.
	Hugepages bool
	Vdevs     []string
	LogLevels []string // --log-level values
}

// Args are the EAL's arguments, ending with "--".
func (e EAL) Args() []string {
	args := []string{"--no-pci", "--no-shconf", "--no-telemetry"}
	if !e.Hugepages {
		args = append(args, "--no-huge")
	}
	args = append(args, "-m", strconv.Itoa(e.MemoryMiB), "--lcores", e.Lcores, "--file-prefix", e.Prefix)
	for _, l := range e.LogLevels {
		args = append(args, "--log-level", l)
	}
	for _, v := range e.Vdevs {
		args = append(args, "--vdev", v)
	}
	return append(args, "--")
}

// Lcores maps lcore i to cpus[i]: "0@2,1@3".
func Lcores(cpus ...int) string {
	m := make([]string, len(cpus))
	for i, c := range cpus {
		m[i] = fmt.Sprintf("%d@%d", i, c)
	}
	return strings.Join(m, ",")
}
