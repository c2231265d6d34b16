package experiment

import (
	"context"
	"fmt"
	"path/filepath"

	log "github.com/sirupsen/logrus"

	"github.com/ukkv/ukkv/tools/boot"
	"github.com/ukkv/ukkv/tools/build"
	"github.com/ukkv/ukkv/tools/provenance"
	"github.com/ukkv/ukkv/tools/report"
	"github.com/ukkv/ukkv/tools/sizes"
	"github.com/ukkv/ukkv/tools/variant"
)

// sizeTolerance is how far a breakdown's parts may add up from the
// image's measured size.
const sizeTolerance = 0.01

// Sizes breaks each guest row's image down by library (Unikraft) or by
// kernel, modules, initramfs and server (Linux guest). Rows not built
// are left out with a warning when skipMissing is set.
func Sizes(ctx context.Context, env *Env, rows []*variant.Variant, skipMissing bool) (*Report, error) {
	var found []sizes.Row
	// Unikraft images are a hundredth of a Linux guest: each kind has
	// its own chart, so that both can be read.
	byKind := map[variant.Kind][]sizes.Row{}
	for _, v := range rows {
		b, err := breakdown(ctx, env, v)
		if err != nil && skipMissing && variant.IsMissing(err) {
			log.Warnf("skipping %s: %v", v.Name, err)
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := b.Check(sizeTolerance); err != nil {
			return nil, err
		}
		found = append(found, sizes.Row{Variant: v.Name, Breakdown: b})
		byKind[v.Kind] = append(byKind[v.Kind], found[len(found)-1])
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("no guest row is built: run `make` and `ukkv build all`")
	}
	var charts []*report.BarChart
	for _, k := range []variant.Kind{variant.Unikraft, variant.LinuxGuest} {
		if len(byKind[k]) > 0 {
			c := sizes.Chart(byKind[k])
			c.Name, c.Title = string(k), c.Title+": "+string(k)
			charts = append(charts, c)
		}
	}
	t := sizes.Table(found)
	t.Stamp = provenance.Stamp(ctx, env.Repo, provenance.Facts{})
	return &Report{Name: "compare", Base: "sizes", Table: t, Charts: charts}, nil
}

func breakdown(ctx context.Context, env *Env, v *variant.Variant) (*sizes.Breakdown, error) {
	if v.Kind == variant.LinuxGuest {
		img, err := boot.ImageFor(ctx, env.Repo, env.Cache, v)
		if err != nil {
			return nil, err
		}
		program, err := v.ProgramPath(env.Repo)
		if err != nil {
			return nil, err
		}
		return sizes.Linux(img.Kernel, img.Initrd, filepath.Base(program))
	}
	art, err := build.ArtifactsOf(env.Repo, v.Name)
	if err != nil {
		return nil, err
	}
	b, err := sizes.Unikraft(art.Debug, art.Objects)
	if err != nil || !v.Elfloader() {
		return b, err
	}
	program, err := v.ProgramPath(env.Repo)
	if err != nil {
		return nil, err
	}
	return b, b.WithProgram(program)
}
