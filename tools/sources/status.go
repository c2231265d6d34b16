package sources

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
)

// State says whether one source, or one prepared archive, is usable.
type State struct {
	Name     string
	Path     string
	Revision string
	OK       bool
	Status   string // "present", "missing", or what is wrong
}

// Status reports every source and archive of the cache.
func (c *Cache) Status(ctx context.Context) []State {
	var states []State
	for _, s := range c.Sources {
		states = append(states, c.state(ctx, s))
		if s.Archive != "" {
			states = append(states, c.archiveState(s))
		}
	}
	return states
}

func (c *Cache) state(ctx context.Context, s Source) State {
	st := State{Name: s.Name, Path: c.Path(s.Name), Revision: s.Revision(), Status: "missing"}
	if _, err := os.Stat(st.Path); err != nil {
		if s.Optional {
			st.Status = "missing (optional: only the elfloader variants need it)"
		}
		return st
	}
	tree, err := headTree(ctx, st.Path)
	switch {
	case err != nil:
		st.Status = "broken: not a git checkout"
	case tree != s.Tree:
		st.Status = fmt.Sprintf("wrong revision: tree %s, expected tree %s", tree, s.Tree)
	default:
		st.OK, st.Status = true, "present"
	}
	return st
}

func (c *Cache) archiveState(s Source) State {
	st := State{Name: s.Name + " archive", Path: c.ArchivePath(s), Revision: s.Revision(), Status: "missing"}
	if _, err := os.Stat(st.Path); err == nil {
		st.OK, st.Status = true, "present"
	}
	return st
}

// Verify returns nil when every source and archive is present at its
// pinned revision, an optional source at least not broken, else an error
// saying what is wrong and how to mend it.
func (c *Cache) Verify(ctx context.Context) error {
	var bad, flags []string
	for _, st := range c.Status(ctx) {
		if st.OK || c.optionalAndMissing(st) {
			continue
		}
		bad = append(bad, fmt.Sprintf("%s %s (%s)", st.Name, st.Status, st.Path))
		if _, err := c.Lookup(st.Name); err == nil {
			flags = append(flags, "--"+st.Name+" PATH")
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return errors.New("Unikraft sources not ready: " + strings.Join(bad, "; ") +
		"; run `ukkv sources fetch` (online) or `" + strings.Join(append([]string{"ukkv sources import"}, flags...), " ") + "` (offline)")
}

func (c *Cache) optionalAndMissing(st State) bool {
	s, err := c.Lookup(st.Name)
	if err != nil || !s.Optional {
		return false
	}
	_, err = os.Stat(st.Path)
	return os.IsNotExist(err)
}

// Only is the cache restricted to the named sources, each then required:
// what one build needs, verified and recorded on its own.
func (c *Cache) Only(names []string) (*Cache, error) {
	sub := &Cache{Dir: c.Dir}
	for _, name := range names {
		s, err := c.Lookup(name)
		if err != nil {
			return nil, err
		}
		s.Optional = false
		sub.Sources = append(sub.Sources, s)
	}
	return sub, nil
}

// Revisions maps each source name to its pinned revision, as recorded in
// build manifests.
func (c *Cache) Revisions() map[string]string {
	revs := make(map[string]string, len(c.Sources))
	for _, s := range c.Sources {
		revs[s.Name] = s.Revision()
	}
	return revs
}
