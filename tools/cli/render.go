package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ukkv/ukkv/tools/build"
	"github.com/ukkv/ukkv/tools/render"
	"github.com/ukkv/ukkv/tools/variant"
)

func init() {
	root.AddCommand(&cobra.Command{
		Use:   "render [VARIANT...]",
		Short: "Write kraftfiles/<variant>/ (Kraftfile, Makefile.uk, Config.uk) from the registry",
		Long: `Render writes each Unikraft variant's app folder from the variant registry:
its Kraftfile (spec v0.6), Makefile.uk and Config.uk. Without arguments it
renders every Unikraft variant in every build profile (ROW@PROFILE beside
ROW, the default profile). The output is deterministic and committed.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			vs, err := unikraftVariants(args)
			if err != nil {
				return err
			}
			if len(args) == 0 || args[0] == "all" {
				vs = variant.EveryProfile(vs)
			}
			repo, err := build.RepoRoot()
			if err != nil {
				return err
			}
			if err := render.Write(repo, vs); err != nil {
				return err
			}
			for _, v := range vs {
				fmt.Fprintf(cmd.OutOrStdout(), "rendered %s/%s\n", render.Root, v.Name)
			}
			return nil
		},
	})
}

// unikraftVariants resolves names (none, or "all", meaning every Unikraft
// variant) to registry entries, refusing unknown and non-Unikraft names.
func unikraftVariants(names []string) ([]*variant.Variant, error) {
	if len(names) == 1 && names[0] == "all" {
		names = nil
	}
	return variant.Select(names, variant.OfKind(variant.Unikraft))
}
