package bench

import (
	"os"
	"strings"
)

// loadAverage is the machine's load average over 1, 5 and 15 minutes
// ("0.52 0.61 0.70"), "" where the kernel does not say: what else ran
// weighs on every figure of a shared machine.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
