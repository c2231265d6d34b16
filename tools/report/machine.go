package report

import (
	"bufio"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// Machine describes the computer a report was made on. It leaves out the
// host name on purpose: reports are published, and the hardware is what
// explains the figures.
type Machine struct {
	CPU         string `json:"cpu"`
	Cores       int    `json:"cores"`
	MemoryBytes uint64 `json:"memory_bytes"`
	Kernel      string `json:"kernel"`
	Distro      string `json:"distro"`
	Accelerator string `json:"accelerator"`
}

const unknown = "unknown"

// ReadMachine reads the machine's description from the files of a Linux
// root file system. What cannot be read is "unknown" (or 0): a missing
// detail must not cost a measurement.
func ReadMachine(root fs.FS) Machine {
	m := Machine{CPU: unknown, Kernel: unknown, Distro: unknown}
	readLines(root, "proc/cpuinfo", func(key, value string) {
		switch key {
		case "processor":
			m.Cores++
		case "model name":
			if m.CPU == unknown {
				m.CPU = value
			}
		}
	})
	readLines(root, "proc/meminfo", func(key, value string) {
		if kb, err := strconv.ParseUint(strings.TrimSuffix(value, " kB"), 10, 64); key == "MemTotal" && err == nil {
			m.MemoryBytes = kb * 1024
		}
	})
	if b, err := fs.ReadFile(root, "proc/sys/kernel/osrelease"); err == nil && len(strings.TrimSpace(string(b))) > 0 {
		m.Kernel = strings.TrimSpace(string(b))
	}
	readLines(root, "etc/os-release", func(key, value string) {
		if key == "PRETTY_NAME" {
			m.Distro = strings.Trim(value, `"'`)
		}
	})
	return m
}

// readLines calls fn with the key and value of each "key: value" or
// "key=value" line of a file; an unreadable file calls it never.
func readLines(root fs.FS, name string, fn func(key, value string)) {
	f, err := root.Open(name)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || strings.Contains(key, "=") {
			key, value, ok = strings.Cut(sc.Text(), "=")
		}
		if ok {
			fn(strings.TrimSpace(key), strings.TrimSpace(value))
		}
	}
}

// summary is the machine in one line: CPU, cores, memory, kernel, distro
// and accelerator.
func (m Machine) summary() string {
	s := fmt.Sprintf("%s, %d cores, %.1f GiB, Linux %s, %s", m.CPU, m.Cores, float64(m.MemoryBytes)/(1<<30), m.Kernel, m.Distro)
	if m.Accelerator != "" {
		s += ", accelerator " + m.Accelerator
	}
	return s
}
