package cli

import (
	"path/filepath"
	"strings"

	log "github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/ukkv/ukkv/tools/boot"
	"github.com/ukkv/ukkv/tools/profile"
	"github.com/ukkv/ukkv/tools/qemu"
	"github.com/ukkv/ukkv/tools/report"
	"github.com/ukkv/ukkv/tools/variant"
)

func init() {
	var cfg profile.Config
	cmd := &cobra.Command{
		Use:   "profile [VARIANT...]",
		Short: "Count the guest instructions one request costs, by component (KV core, driver, network stack...)",
		Long: `Boot each Unikraft variant (default: all) under QEMU TCG with the tbcount
plugin, drive a fixed number of requests with kvload, and charge the guest
instructions they took to functions and components, per request. The idle
loop (polling or halting while waiting) is measured with the guest left
alone and reported apart. Instruction counts do not depend on how busy the
machine is: two runs agree within about 2%. Writes results/profile/
(JSON, CSV, Markdown, SVG; profile-functions.* lists the costliest
functions).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			vs, err := variant.Select(args, variant.OfKind(variant.Unikraft))
			if err != nil {
				return err
			}
			env, err := newBootEnv()
			if err != nil {
				return err
			}
			defaults := profile.Defaults(env.repo, env.cache)
			cfg.Repo, cfg.Cache, cfg.Plugin, cfg.KVLoad = env.repo, env.cache, defaults.Plugin, defaults.KVLoad
			// the plugin counts translated code: TCG only, whatever KVM can do here
			cfg.Accel = qemu.TCG
			env.accel = qemu.Verdict{Accel: qemu.TCG, Reason: "instructions are counted by a TCG plugin"}
			var results []*profile.Result
			var imgs []*boot.Image
			for _, v := range vs {
				r, img, err := profile.Variant(ctx, cfg, v)
				if err != nil {
					return err
				}
				results, imgs = append(results, r), append(imgs, img)
			}
			stamp := report.NewStamp(string(cfg.Accel), env.stampInfo(ctx, imgs))
			t := profile.Table(cfg, results)
			t.Stamp = stamp
			if err := writeResults(cmd, env.repo, "profile", t, profile.Chart(results)); err != nil {
				return err
			}
			ft := profile.FuncTable(cfg, results)
			ft.Stamp = stamp
			paths, err := report.WriteAll(filepath.Join(env.repo, "results", "profile"), "profile-functions", ft)
			if err != nil {
				return err
			}
			log.Infof("wrote %s", strings.Join(relativeTo(env.repo, paths), ", "))
			return nil
		},
	}
	d := profile.Defaults("", "")
	cfg = d
	f := cmd.Flags()
	f.IntVar(&cfg.Requests, "requests", d.Requests, "requests measured in each run")
	f.IntVar(&cfg.Workload.Window, "window", d.Workload.Window, "requests kept outstanding")
	f.IntVar(&cfg.Runs, "runs", d.Runs, "boots per variant, each measured on its own")
	f.DurationVar(&cfg.Idle, "idle", d.Idle, "how long the guest is left alone to measure its idle loop")
	root.AddCommand(cmd)
}
