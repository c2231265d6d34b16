package cli

import (
	"github.com/spf13/cobra"

	"github.com/ukkv/ukkv/tools/experiment"
	"github.com/ukkv/ukkv/tools/profile"
	"github.com/ukkv/ukkv/tools/variant"
)

func init() {
	var buildProfile string
	var cfg profile.Config
	cmd := &cobra.Command{
		Use:   "profile [VARIANT...]",
		Short: "Count the guest instructions one request costs, by component (KV core, driver, network stack...)",
		Long: `Boot each Unikraft variant (default: all), or linux-single, linux-batch or linux-dpdk (their guest kernel counted as one), under QEMU TCG with the tbcount
plugin, drive a fixed number of requests with kvload, and charge the guest
instructions they took to functions and components, per request. The idle
loop (polling or halting while waiting) is measured with the guest left
alone and reported apart. Instruction counts do not depend on how busy the
machine is: two runs agree within about 2%. Writes results/profile/
(JSON, CSV, Markdown, SVG; profile-functions.* lists the costliest
functions).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			among := profile.Profilable()
			if len(args) == 0 {
				among = variant.OfKind(variant.Unikraft)
			}
			vs, err := selectInProfile(args, among, buildProfile)
			if err != nil {
				return err
			}
			env, err := experiment.NewGuestEnv()
			if err != nil {
				return err
			}
			reports, err := experiment.Profile(cmd.Context(), env, cfg, vs)
			if err != nil {
				return err
			}
			for _, r := range reports {
				if err := writeResults(cmd, env.Repo, r); err != nil {
					return err
				}
			}
			return nil
		},
	}
	d := profile.Defaults("", "")
	cfg = d
	f := cmd.Flags()
	f.IntVar(&cfg.Requests, "requests", d.Requests, "requests measured in each run")
	f.IntVar(&cfg.Workload.Window, "window", d.Workload.Window, "requests kept outstanding")
	f.IntVar(&cfg.Runs, "runs", d.Runs, "boots per variant, each measured on its own")
	durationFlag(f, &cfg.Idle, "idle", d.Idle, "how long the guest is left alone to measure its idle loop")
	addProfileFlag(cmd, &buildProfile)
	addResultsFlag(cmd, "profile")
	root.AddCommand(cmd)
}
