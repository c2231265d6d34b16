package cli

import (
	"errors"
	"fmt"
	"slices"

	log "github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/ukkv/ukkv/tools/dpdk"
	"github.com/ukkv/ukkv/tools/hostnet"
)

// startsRuns are the commands that start runs: each first sweeps what
// runs of ended ukkv processes left behind, so that a kill -9 costs
// nothing for long.
var startsRuns = []string{"run", "boottime", "compare", "bench", "loopback", "profile"}

// sweepLeftovers removes the state on the host (run folders, DPDK
// runtime and hugepage files, TAP and veth devices, namespaces) whose
// owner process is gone, and returns what it removed.
func sweepLeftovers() ([]string, error) {
	dpdkFiles, dpdkErr := dpdk.Sweep()
	netState, netErr := hostnet.Sweep()
	return append(dpdkFiles, netState...), errors.Join(dpdkErr, netErr)
}

// sweepBeforeRuns sweeps when cmd starts runs; a failure is only a
// warning, as the command's own runs do not depend on it.
func sweepBeforeRuns(cmd *cobra.Command) {
	if !slices.Contains(startsRuns, cmd.Name()) {
		return
	}
	removed, err := sweepLeftovers()
	for _, r := range removed {
		log.Infof("removed %s, left by an ended ukkv", r)
	}
	if err != nil {
		log.Warnf("clean-up of ended runs: %v", err)
	}
}

func init() {
	root.AddCommand(&cobra.Command{
		Use:   "clean",
		Short: "Remove what runs of ended ukkv processes left on the host",
		Long: `Remove what runs left behind when their ukkv process was killed with no
chance to tear down (kill -9): run folders in the temp folder, DPDK runtime
folders and hugepage files, TAP and veth devices and network namespaces.
Their names carry the owner's process id; state of a live process stays.
Every command that starts runs does this first by itself.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			removed, err := sweepLeftovers()
			for _, r := range removed {
				fmt.Fprintf(cmd.OutOrStdout(), "removed %s\n", r)
			}
			if len(removed) == 0 && err == nil {
				fmt.Fprintln(cmd.OutOrStdout(), "nothing left behind by ended runs")
			}
			return err
		},
	})
}
