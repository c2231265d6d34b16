package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ukkv/ukkv/tools/boot"
	"github.com/ukkv/ukkv/tools/experiment"
	"github.com/ukkv/ukkv/tools/variant"
)

func init() {
	var buildProfile string
	var o experiment.BootOptions
	cmd := &cobra.Command{
		Use:   "boottime [VARIANT...]",
		Short: "Measure boot times (QEMU start to ready line) beside the QEMU floor",
		Long: `Boot each guest row N times on a testpmd vhost-user port and measure the time
from QEMU's start to the guest's ready line; also boot the QEMU floor, a
generated guest that halts at once on the same machine options, so that the
guest's own share of a boot is reported apart. With several memory sizes
(-m 8,1024) every row and the floor boot at each, in rounds that take each
series in turn, and the notes compare each row's guest share at the last
size with that at the first. Without arguments, every
guest row (those whose image is not built or whose program is missing are
skipped with a warning). Writes results/boottime/ (JSON, CSV, Markdown, SVG).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			env, err := bootEnv(args, buildProfile, &o)
			if err != nil {
				return err
			}
			r, err := experiment.Boottime(cmd.Context(), env, o)
			if err != nil {
				return err
			}
			return writeResults(cmd, env.Repo, r)
		},
	}
	cmd.Flags().IntVarP(&o.Boots, "boots", "n", 10, "boots per row")
	cmd.Flags().IntSliceVarP(&o.MemoriesMiB, "memory", "m", nil, fmt.Sprintf("guest memory in MiB, or several sizes (8,1024) booted in turn (default %d, or more if an image needs it)", boot.DefaultMemoryMiB))
	addProfileFlag(cmd, &buildProfile)
	root.AddCommand(cmd)
}

// bootEnv takes the named guest rows, in the build profile, (every one when none is named,
// skipping those not ready) into o and readies the environment of a
// command that boots them.
func bootEnv(names []string, profile string, o *experiment.BootOptions) (*experiment.Env, error) {
	rows, err := selectInProfile(names, variant.Guests(), profile)
	if err != nil {
		return nil, err
	}
	o.Rows, o.SkipMissing = rows, len(names) == 0
	return experiment.NewGuestEnv()
}
