package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	log "github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/ukkv/ukkv/tools/build"
	"github.com/ukkv/ukkv/tools/provenance"
	"github.com/ukkv/ukkv/tools/sources"
	"github.com/ukkv/ukkv/tools/variant"
)

func init() {
	var buildProfile string
	var backend string
	var parallel, jobs int
	var noResults bool
	cmd := &cobra.Command{
		Use:   "build [VARIANT...|all]",
		Short: "Build Unikraft images from kraftfiles/<variant> into build/<variant>",
		Long: `Build reads each variant's rendered Kraftfile and builds its image from the
pinned sources in the cache, several variants at once, each in build/<variant>/
with a build.log and a manifest.json. An image whose inputs did not change is
not rebuilt. For each variant it prints: image VARIANT PATH BYTES (PATH relative
to the repository). A build of all variants also writes results/build/, unless
--no-results says the build is not a measurement (a build for the tests).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			vs, err := unikraftVariants(args)
			if err != nil {
				return err
			}
			p, err := variant.LookupProfile(buildProfile)
			if err != nil {
				return err
			}
			vs = variant.InProfiles(vs, p)
			b, err := build.NewBackend(backend)
			if err != nil {
				return err
			}
			repo, err := build.RepoRoot()
			if err != nil {
				return err
			}
			cache, err := sources.Open()
			if err != nil {
				return err
			}
			if len(args) == 0 || args[0] == "all" {
				vs = withSources(cmd.Context(), cache, vs)
			}
			start := time.Now()
			results, err := build.Run(cmd.Context(), build.Options{
				RepoRoot: repo, Cache: cache, Backend: b, Fallback: build.Make(),
				Parallel: parallel, Jobs: jobs, Progress: cmd.ErrOrStderr(),
			}, vs)
			wall := time.Since(start)
			for _, r := range results {
				if r.Manifest != nil {
					fmt.Fprintf(cmd.OutOrStdout(), "image %s %s %d\n", r.Variant, r.Manifest.Image, r.Manifest.Bytes)
				}
			}
			if err != nil {
				return err
			}
			if !noResults && len(vs) == len(variant.OfKind(variant.Unikraft)) {
				stamp := provenance.Stamp(cmd.Context(), repo, provenance.Facts{
					Packages: []string{"gcc", "make"}, Info: map[string]string{"backend": b.Name()}})
				paths, err := build.WriteResults(repo, results, wall, stamp)
				if err != nil {
					return err
				}
				log.Infof("%.1f s; wrote %s", wall.Seconds(), strings.Join(relativeTo(repo, paths), ", "))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&backend, "backend", "", "kraft or make (default: kraft when on PATH, else make)")
	cmd.Flags().IntVar(&parallel, "parallel", 0, "variants built at once (default: core count)")
	cmd.Flags().IntVar(&jobs, "jobs", 0, "compiler jobs per build (default: core count)")
	cmd.Flags().BoolVar(&noResults, "no-results", false, "do not write results/build/")
	addProfileFlag(cmd, &buildProfile)
	root.AddCommand(cmd)
}

// withSources leaves out, with a warning, the variants whose optional
// sources are not in the cache: "all" then builds what it can.
func withSources(ctx context.Context, cache *sources.Cache, vs []*variant.Variant) []*variant.Variant {
	var ready []*variant.Variant
	for _, v := range vs {
		if _, err := build.SourcesOf(ctx, cache, v); err != nil && v.Elfloader() {
			log.Warnf("skipping %v", err)
			continue
		}
		ready = append(ready, v)
	}
	return ready
}
