package sources

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// git runs git in dir and returns its trimmed standard output; a failure
// carries git's own message.
func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	// A fixed identity and date make imported commits reproducible and
	// keep the user's configuration out of the cache.
	cmd.Env = append(os.Environ(),
		"GIT_AUTHOR_NAME=ukkv", "GIT_AUTHOR_EMAIL=ukkv@localhost",
		"GIT_COMMITTER_NAME=ukkv", "GIT_COMMITTER_EMAIL=ukkv@localhost",
		"GIT_AUTHOR_DATE=2000-01-01T00:00:00Z", "GIT_COMMITTER_DATE=2000-01-01T00:00:00Z",
		"GIT_TERMINAL_PROMPT=0")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}

// isGitRepo tells a git repository (bare or with a work tree) from a
// plain folder by its own layout, not by asking git, which would also
// answer for a plain folder that happens to sit inside some repository.
func isGitRepo(path string) bool {
	if _, err := os.Stat(filepath.Join(path, ".git")); err == nil {
		return true
	}
	for _, part := range []string{"HEAD", "objects", "refs"} {
		if _, err := os.Stat(filepath.Join(path, part)); err != nil {
			return false
		}
	}
	return true
}

// headTree is the tree hash of the commit checked out in dir.
func headTree(ctx context.Context, dir string) (string, error) {
	return git(ctx, dir, "rev-parse", "HEAD^{tree}")
}
