package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/ukkv/ukkv/tools/bench"
	"github.com/ukkv/ukkv/tools/boot"
	"github.com/ukkv/ukkv/tools/experiment"
	"github.com/ukkv/ukkv/tools/variant"
)

func init() {
	var buildProfile string
	var sideBySide []string
	o := experiment.CompareOptions{Workload: bench.DefaultWorkload()}
	var memMiB int
	cmd := &cobra.Command{
		Use:   "compare [VARIANT...]",
		Short: "Compare image size, boot time, smallest memory and throughput across the guest rows",
		Long: `For each guest row (default: every one that can boot): the image size
(kernel plus initramfs for the Linux guests), the boot time over N boots
(median, min, max) beside the QEMU floor, the guest's own share of it, the
smallest memory (-m) with which it still boots and answers a request (found
by bisection), the throughput measured as ` + "`ukkv bench --single-point`" + ` does
(--throughput-runs runs of a closed loop of --window requests, each a fresh
boot with kvload as the vhost-user backend; 0 runs leaves it out; needs root),
and the accelerator used. --profiles perf,size puts each Unikraft row in each
build profile side by side, with each profile's throughput over its perf
build's (target at least 0.95x). Writes results/compare/ (JSON, CSV, Markdown
and SVG charts), stamped with machine, date, revisions and command.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			env, err := bootEnv(args, buildProfile, &o.BootOptions)
			if err != nil {
				return err
			}
			if memMiB != 0 {
				o.MemoriesMiB = []int{memMiB}
			}
			if len(sideBySide) > 0 {
				if o.Rows, err = selectSideBySide(args, variant.Guests(), sideBySide); err != nil {
					return err
				}
			}
			o.Progress = bench.NewProgress(os.Stderr, isTerminal(os.Stderr))
			r, err := experiment.Compare(cmd.Context(), env, o)
			if err != nil {
				return err
			}
			return writeResults(cmd, env.Repo, r)
		},
	}
	cmd.Flags().IntVarP(&o.Boots, "boots", "n", 10, "boots per row for the boot time")
	cmd.Flags().IntVarP(&memMiB, "memory", "m", 0, fmt.Sprintf("guest memory in MiB for the boot times, and the top of the memory search (0: %d, or more if an image needs it)", boot.DefaultMemoryMiB))
	cmd.Flags().IntVar(&o.MemoryMinMiB, "memory-min", 2, "bottom of the memory search in MiB")
	cmd.Flags().BoolVar(&o.MemorySearch, "memory-search", true, "find the smallest memory that boots and serves")
	cmd.Flags().IntVar(&o.ThroughputRuns, "throughput-runs", 3, "single-point throughput runs per row (0: no throughput)")
	cmd.Flags().IntVar(&o.Workload.Window, "window", o.Workload.Window, "requests kept outstanding by the throughput's closed loop")
	durationFlag(cmd.Flags(), &o.Workload.Duration, "duration", o.Workload.Duration, "length of each throughput run")
	addProfileFlag(cmd, &buildProfile)
	addResultsFlag(cmd, "compare")
	cmd.Flags().StringSliceVar(&sideBySide, "profiles", nil, "build profiles to put side by side, each Unikraft row in each (perf,size)")
	root.AddCommand(cmd)
}
