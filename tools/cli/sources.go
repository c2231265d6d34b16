package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ukkv/ukkv/tools/sources"
)

func init() {
	cmd := &cobra.Command{
		Use:   "sources",
		Short: "Fetch, import and check the pinned Unikraft sources in the per-user cache",
		Long: `The Unikraft sources live in a per-user cache: $UKKV_CACHE if set, else
$XDG_CACHE_HOME/ukkv, else ~/.cache/ukkv. Each is pinned to one revision.`,
	}
	cmd.AddCommand(sourcesGetCmd(), sourcesFetchCmd(), sourcesImportCmd(), sourcesStatusCmd())
	root.AddCommand(cmd)
}

func sourcesGetCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "get",
		Short: "Make sure the pinned sources are cached: fetch them when online, else name the import command",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cache, err := sources.Open()
			if err != nil {
				return err
			}
			return cache.Get(cmd.Context())
		},
	}
}

func sourcesFetchCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "fetch",
		Short: "Clone the pinned sources from their public git addresses",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cache, err := sources.Open()
			if err != nil {
				return err
			}
			return cache.Fetch(cmd.Context())
		},
	}
}

func sourcesImportCmd() *cobra.Command {
	paths := map[string]*string{}
	cmd := &cobra.Command{
		Use:     "import",
		Short:   "Take the pinned sources from local git repositories or folders (offline)",
		Example: "  ukkv sources import --unikraft ~/src/unikraft --lib-lwip ~/src/lib-lwip --lwip ~/src/fork-lwip\n  ukkv sources import --app-elfloader ~/src/app-elfloader --lib-libelf ~/src/lib-libelf",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cache, err := sources.Open()
			if err != nil {
				return err
			}
			from := map[string]string{}
			for name, p := range paths {
				if *p != "" {
					from[name] = *p
				}
			}
			return cache.Import(cmd.Context(), from)
		},
	}
	for _, s := range sources.Pinned {
		paths[s.Name] = cmd.Flags().String(s.Name, "", fmt.Sprintf("git repository or folder holding %s %s", s.Name, s.Ref))
	}
	return cmd
}

func sourcesStatusCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Show each source: revision, present or missing, and path",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cache, err := sources.Open()
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			for _, st := range cache.Status(cmd.Context()) {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", st.Name, st.Revision, st.Status, st.Path)
			}
			if err := w.Flush(); err != nil {
				return err
			}
			return cache.Verify(cmd.Context())
		},
	}
}
