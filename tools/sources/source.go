// Package sources keeps the pinned Unikraft sources in a per-user cache:
// fetched from their public git addresses or imported from local copies,
// each checked against its pinned revision.
package sources

import "fmt"

// Source is one pinned source tree.
type Source struct {
	Name   string
	URL    string
	Ref    string // tag or branch the commit is known by
	Commit string
	Tree   string // git tree hash of Commit
	// Archive, when set, is the file name of a zip of the tree that a
	// build expects to find instead of downloading it, with every path
	// under ArchivePrefix.
	Archive       string
	ArchivePrefix string
	// Optional sources are needed only by some variants: the cache is
	// usable without them, and a build that needs one checks for it.
	Optional bool
}

// Revision names what a source is pinned to, for logs and manifests.
func (s Source) Revision() string { return fmt.Sprintf("%s (%s)", s.Ref, s.Commit) }
