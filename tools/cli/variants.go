package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ukkv/ukkv/tools/variant"
)

func init() {
	root.AddCommand(&cobra.Command{
		Use:   "variants",
		Short: "List the variants with their descriptions",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			for _, v := range variant.All() {
				fmt.Fprintf(w, "%s\t%s\t%s\n", v.Name, v.Kind, v.Description)
			}
			return w.Flush()
		},
	})
}
