package sources

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	log "github.com/sirupsen/logrus"
)

// Fetch clones every source that is not yet present from its public
// git address.
func (c *Cache) Fetch(ctx context.Context) error {
	for _, s := range c.Sources {
		if c.state(ctx, s).OK {
			log.Infof("%s: already present at %s", s.Name, s.Revision())
			if err := c.prepareArchive(ctx, s, false); err != nil {
				return err
			}
			continue
		}
		if err := c.install(ctx, s, s.URL); err != nil {
			return err
		}
	}
	return nil
}

// Import installs sources from local git repositories (bare or not) or
// plain folders, keyed by source name. Every path is checked before the
// cache is touched, and a copy at the wrong revision is refused.
func (c *Cache) Import(ctx context.Context, from map[string]string) error {
	if len(from) == 0 {
		return errors.New("nothing to import: name at least one source folder")
	}
	for name, path := range from {
		if _, err := c.Lookup(name); err != nil {
			return err
		}
		if fi, err := os.Stat(path); err != nil || !fi.IsDir() {
			return fmt.Errorf("%s: %s is not a folder", name, path)
		}
	}
	for _, s := range c.Sources {
		if path, ok := from[s.Name]; ok {
			abs, err := filepath.Abs(path)
			if err != nil {
				return fmt.Errorf("%s: %w", s.Name, err)
			}
			if err := c.install(ctx, s, abs); err != nil {
				return err
			}
		}
	}
	return nil
}

// install puts a checked copy of s from a git address or a folder into
// the cache, replacing what was there only once the copy is complete.
func (c *Cache) install(ctx context.Context, s Source, from string) error {
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return fmt.Errorf("creating the source cache: %w", err)
	}
	tmp, err := os.MkdirTemp(c.Dir, "."+s.Name+".tmp-")
	if err != nil {
		return fmt.Errorf("%s: %w", s.Name, err)
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("%s: %w", s.Name, err)
	}
	log.Infof("%s: installing %s from %s", s.Name, s.Ref, from)
	if isGitRepo(from) || strings.Contains(from, "://") {
		err = checkoutPinned(ctx, s, from, tmp)
	} else {
		err = commitFolder(ctx, s, from, tmp)
	}
	if err != nil {
		return fmt.Errorf("%s from %s: %w", s.Name, from, err)
	}
	if err := replaceDir(tmp, c.Path(s.Name)); err != nil {
		return fmt.Errorf("%s: %w", s.Name, err)
	}
	return c.prepareArchive(ctx, s, true)
}

// checkoutPinned fetches the pinned commit from a git repository into a
// new repository in dir. It asks for the ref first, then the commit
// itself, then whatever the repository has checked out, so tagless or
// detached copies of the right commit are accepted too.
func checkoutPinned(ctx context.Context, s Source, from, dir string) error {
	if _, err := git(ctx, dir, "init", "-q"); err != nil {
		return err
	}
	var found []string
	for _, want := range []string{s.Ref, s.Commit, "HEAD"} {
		if _, err := git(ctx, dir, "fetch", "-q", "--depth", "1", "--no-tags", from, want); err != nil {
			log.Debugf("%s: %v", s.Name, err)
			continue
		}
		got, err := git(ctx, dir, "rev-parse", "FETCH_HEAD^{commit}")
		if err != nil {
			return err
		}
		if got == s.Commit {
			if _, err := git(ctx, dir, "-c", "advice.detachedHead=false", "checkout", "-q", "--detach", got); err != nil {
				return err
			}
			return checkTree(ctx, s, dir)
		}
		found = append(found, fmt.Sprintf("%s is commit %s", want, got))
	}
	if len(found) == 0 {
		return fmt.Errorf("wrong revision: neither %s nor commit %s found, expected %s", s.Ref, s.Commit, s.Revision())
	}
	return fmt.Errorf("wrong revision: %s; expected %s", strings.Join(found, ", "), s.Revision())
}

// commitFolder copies a plain folder into a new repository in dir and
// accepts it only when its files are exactly the pinned tree.
func commitFolder(ctx context.Context, s Source, from, dir string) error {
	if out, err := exec.CommandContext(ctx, "cp", "-a", from+"/.", dir).CombinedOutput(); err != nil {
		return fmt.Errorf("copying: %w: %s", err, strings.TrimSpace(string(out)))
	}
	if _, err := git(ctx, dir, "init", "-q"); err != nil {
		return err
	}
	if _, err := git(ctx, dir, "add", "-A", "-f"); err != nil {
		return err
	}
	tree, err := git(ctx, dir, "write-tree")
	if err != nil {
		return err
	}
	if tree != s.Tree {
		return fmt.Errorf("wrong revision: the folder's files are tree %s, expected tree %s of %s", tree, s.Tree, s.Revision())
	}
	_, err = git(ctx, dir, "commit", "-q", "--no-verify", "-m", "import of "+s.Revision())
	return err
}

func checkTree(ctx context.Context, s Source, dir string) error {
	tree, err := headTree(ctx, dir)
	if err != nil {
		return err
	}
	if tree != s.Tree {
		return fmt.Errorf("wrong revision: tree %s, expected tree %s of %s", tree, s.Tree, s.Revision())
	}
	return nil
}

// replaceDir moves src to dst, moving an old dst aside first, so dst is
// never a half-written mix.
func replaceDir(src, dst string) error {
	old := ""
	if _, err := os.Stat(dst); err == nil {
		old = dst + ".old"
		if err := os.RemoveAll(old); err != nil {
			return err
		}
		if err := os.Rename(dst, old); err != nil {
			return err
		}
	}
	if err := os.Rename(src, dst); err != nil {
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// prepareArchive writes the zip a build expects beside a source, when the
// source has one and it is missing or force is set.
func (c *Cache) prepareArchive(ctx context.Context, s Source, force bool) error {
	if s.Archive == "" {
		return nil
	}
	out := c.ArchivePath(s)
	if _, err := os.Stat(out); err == nil && !force {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return fmt.Errorf("%s archive: %w", s.Name, err)
	}
	tmp := out + ".tmp"
	defer os.Remove(tmp)
	if _, err := git(ctx, c.Path(s.Name), "archive", "--format=zip", "--prefix="+s.ArchivePrefix, "-o", tmp, "HEAD"); err != nil {
		return fmt.Errorf("%s archive: %w", s.Name, err)
	}
	if err := os.Rename(tmp, out); err != nil {
		return fmt.Errorf("%s archive: %w", s.Name, err)
	}
	log.Infof("%s: archive ready at %s", s.Name, out)
	return nil
}
