package sources

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"time"
)

// probeTimeout bounds the check that the sources' hosts answer: offline,
// Get fails within seconds instead of waiting on git.
var probeTimeout = 5 * time.Second

// ImportCommand is the command that fills the cache offline.
const ImportCommand = "bin/ukkv sources import --unikraft PATH --lib-lwip PATH --lwip PATH"

// Get makes sure every pinned source is in the cache: nothing to do when
// they all are; else it fetches them when their hosts answer, and fails
// at once, naming the import command, when they do not.
func (c *Cache) Get(ctx context.Context) error {
	if c.Verify(ctx) == nil {
		return nil
	}
	if err := c.reachable(ctx); err != nil {
		return fmt.Errorf("the pinned Unikraft sources are missing and cannot be fetched (%w): "+
			"copy unikraft, lib-lwip and fork-lwip onto this machine and run `%s`", err, ImportCommand)
	}
	return c.Fetch(ctx)
}

// reachable says whether every network host the sources come from
// accepts a connection.
func (c *Cache) reachable(ctx context.Context) error {
	d := net.Dialer{Timeout: probeTimeout}
	for _, s := range c.Sources {
		u, err := url.Parse(s.URL)
		if err != nil {
			return fmt.Errorf("%s: %w", s.Name, err)
		}
		if u.Host == "" {
			continue // a local repository
		}
		port := u.Port()
		if port == "" {
			port = "443"
		}
		conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(u.Hostname(), port))
		if err != nil {
			return fmt.Errorf("%s is unreachable: %w", u.Hostname(), err)
		}
		conn.Close()
	}
	return nil
}
