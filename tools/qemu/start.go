package qemu

import (
	log "github.com/sirupsen/logrus"

	"github.com/ukkv/ukkv/tools/process"
)

// Start starts QEMU on m; its console and messages go to console.
func Start(m Machine, console *Console) (*process.Process, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	args := m.Args()
	log.Debugf("%s %v", bin, args)
	return process.Start(bin, args, process.Options{Output: console})
}
