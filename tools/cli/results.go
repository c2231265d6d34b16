package cli

import (
	"path/filepath"
	"strings"

	log "github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/ukkv/ukkv/tools/experiment"
	"github.com/ukkv/ukkv/tools/report"
)

// addResultsFlag adds --results, a folder for the command's reports in
// place of results/NAME/ (a trial that leaves the repository's alone).
func addResultsFlag(cmd *cobra.Command, name string) {
	cmd.Flags().String("results", "", "report folder (default: results/"+name+" in the repository)")
}

// writeResults prints an experiment's table and writes it with its
// charts into results/NAME/, or the folder --results names.
func writeResults(cmd *cobra.Command, repo string, r *experiment.Report) error {
	if err := r.Table.WriteMarkdown(cmd.OutOrStdout()); err != nil {
		return err
	}
	dir := filepath.Join(repo, "results", r.Name)
	if f := cmd.Flags().Lookup("results"); f != nil && f.Value.String() != "" {
		dir = f.Value.String()
	}
	paths, err := report.WriteAll(dir, r.FileBase(), r.Table, r.Charts...)
	if err != nil {
		return err
	}
	log.Infof("wrote %s", strings.Join(relativeTo(repo, paths), ", "))
	return nil
}

// relativeTo names each path relative to dir when it lies inside it.
func relativeTo(dir string, paths []string) []string {
	rel := make([]string, len(paths))
	for i, p := range paths {
		rel[i] = p
		if r, err := filepath.Rel(dir, p); err == nil && !strings.HasPrefix(r, "..") {
			rel[i] = r
		}
	}
	return rel
}
