package experiment

import (
	"context"

	"github.com/ukkv/ukkv/tools/boot"
	"github.com/ukkv/ukkv/tools/profile"
	"github.com/ukkv/ukkv/tools/qemu"
	"github.com/ukkv/ukkv/tools/report"
	"github.com/ukkv/ukkv/tools/variant"
)

// Profile counts, for each Unikraft row, the guest instructions one
// request costs, by component and by function; cfg's repository, cache,
// plugin and load generator are env's. It returns the profile and the
// table of the costliest functions, both for results/profile/.
func Profile(ctx context.Context, env *Env, cfg profile.Config, rows []*variant.Variant) ([]*Report, error) {
	d := profile.Defaults(env.Repo, env.Cache)
	cfg.Repo, cfg.Cache, cfg.Plugin, cfg.KVLoad = env.Repo, env.Cache, d.Plugin, d.KVLoad
	// the plugin counts translated code: TCG only, whatever KVM can do here
	cfg.Accel = qemu.TCG
	env.accel = &qemu.Verdict{Accel: qemu.TCG, Reason: "instructions are counted by a TCG plugin"}
	var results []*profile.Result
	var imgs []*boot.Image
	for _, v := range rows {
		r, img, err := profile.Variant(ctx, cfg, v)
		if err != nil {
			return nil, err
		}
		results, imgs = append(results, r), append(imgs, img)
	}
	stamp := env.guestStamp(ctx, imgs)
	t, ft := profile.Table(cfg, results), profile.FuncTable(cfg, results)
	t.Stamp, ft.Stamp = stamp, stamp
	return []*Report{
		{Name: "profile", Table: t, Charts: []*report.BarChart{profile.Chart(results)}},
		{Name: "profile", Base: "profile-functions", Table: ft},
	}, nil
}
