package cli

import (
	"github.com/spf13/cobra"

	"github.com/ukkv/ukkv/tools/experiment"
	"github.com/ukkv/ukkv/tools/variant"
)

func init() {
	var buildProfile string
	cmd := &cobra.Command{
		Use:   "sizes [VARIANT...]",
		Short: "Break each guest image down: code, read-only data, data and bss per library",
		Long: `For each guest row (default: every one that is built, Unikraft rows in every
build profile, each beside its perf build; --profile NAME takes one): the bytes of code
(text), read-only data, data and bss of each Unikraft library and of the app,
attributed from the image's .dbg symbols to the build's per-library objects;
an elfloader row (its kernel the app-elfloader image) adds the program its
initrd holds, by that ELF's loaded sections; a Linux guest splits into kernel,
modules, initramfs and server. The parts add up to the image's measured size
within 1%. Writes results/compare/sizes.* (JSON, CSV, Markdown, a stacked-bar SVG).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			rows, err := selectInProfile(args, variant.Guests(), buildProfile)
			if len(args) == 0 && !cmd.Flags().Changed("profile") {
				rows, err = selectSideBySide(nil, variant.Guests(), variant.ProfileNames())
			}
			if err != nil {
				return err
			}
			env, err := experiment.NewEnv()
			if err != nil {
				return err
			}
			r, err := experiment.Sizes(cmd.Context(), env, rows, len(args) == 0)
			if err != nil {
				return err
			}
			return writeResults(cmd, env.Repo, r)
		},
	}
	addProfileFlag(cmd, &buildProfile)
	addResultsFlag(cmd, "compare")
	root.AddCommand(cmd)
}
