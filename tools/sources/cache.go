package sources

import (
	"fmt"
	"os"
	"path/filepath"
)

// Cache is a folder holding one git checkout per source and the archives
// builds need.
type Cache struct {
	Dir     string
	Sources []Source
}

// DefaultDir is $UKKV_CACHE, else $XDG_CACHE_HOME/ukkv, else ~/.cache/ukkv.
func DefaultDir() (string, error) {
	if dir := os.Getenv("UKKV_CACHE"); dir != "" {
		return filepath.Abs(dir)
	}
	if xdg := os.Getenv("XDG_CACHE_HOME"); xdg != "" {
		return filepath.Join(xdg, "ukkv"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("locating the source cache: %w", err)
	}
	return filepath.Join(home, ".cache", "ukkv"), nil
}

// Open returns the user's cache of the pinned sources.
func Open() (*Cache, error) {
	dir, err := DefaultDir()
	if err != nil {
		return nil, err
	}
	return &Cache{Dir: dir, Sources: Pinned}, nil
}

// Path is where the checkout of the named source lives.
func (c *Cache) Path(name string) string { return filepath.Join(c.Dir, name) }

// ArchivePath is where the prepared archive of src lives.
func (c *Cache) ArchivePath(src Source) string {
	return filepath.Join(c.Dir, "archives", src.Archive)
}

// Lookup finds a source of the cache by name.
func (c *Cache) Lookup(name string) (Source, error) {
	for _, s := range c.Sources {
		if s.Name == name {
			return s, nil
		}
	}
	return Source{}, fmt.Errorf("unknown source %q", name)
}
