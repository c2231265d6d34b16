package qemu

import (
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
	bin, args := process.Pinned(cpus, bin, m.Args())
	log.Debugf("%s %v", bin, args)
	return process.Start(bin, args, process.Options{Output: console})
}
