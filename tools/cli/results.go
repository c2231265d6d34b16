package cli

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"

	log "github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/ukkv/ukkv/tools/report"
)

// writeResults prints the table and writes results/DIR/DIR.*.
func writeResults(cmd *cobra.Command, repo, name string, t *report.Table, charts ...*report.BarChart) error {
	if err := t.WriteMarkdown(cmd.OutOrStdout()); err != nil {
		return err
	}
	paths, err := report.WriteAll(filepath.Join(repo, "results", name), name, t, charts...)
	if err != nil {
		return err
	}
	log.Infof("wrote %s", strings.Join(relativeTo(repo, paths), ", "))
	return nil
}

// stampRevision adds the project's own commit (git describe) to a
// report's stamp info, where the repository is a git checkout.
func stampRevision(ctx context.Context, repo string, info map[string]string) {
	out, err := exec.CommandContext(ctx, "git", "-C", repo, "describe", "--always", "--dirty").Output()
	if err == nil {
		info["ukkv"] = strings.TrimSpace(string(out))
	}
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
