package guest

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Modes of cpio entries (the file type bits of st_mode).
const (
	modeDir     = 0o040000
	modeFile    = 0o100000
	modeSymlink = 0o120000
	modeCharDev = 0o020000
)

// entry is one file of an initramfs.
type entry struct {
	name         string // without leading slash
	mode         uint32
	data         []byte // file contents or symlink target
	major, minor uint32 // of a device node
}

// archive is an initramfs being assembled; entries are written sorted
// with zero timestamps so the same inputs give the same bytes.
type archive struct {
	entries map[string]entry
}

// newArchive starts an archive with its root folder, so that the root
// is not world-writable (DPDK refuses to load plugins below such a one).
func newArchive() *archive {
	return &archive{entries: map[string]entry{".": {name: ".", mode: modeDir | 0o755}}}
}

// dir adds a folder and its parents.
func (a *archive) dir(name string) {
	name = strings.Trim(name, "/")
	for p := name; p != "" && p != "."; p = parent(p) {
		if _, ok := a.entries[p]; !ok {
			a.entries[p] = entry{name: p, mode: modeDir | 0o755}
		}
	}
}

func parent(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return ""
	}
	return p[:i]
}

// file adds a file with its parent folders.
func (a *archive) file(name string, perm uint32, data []byte) {
	name = strings.Trim(name, "/")
	a.dir(parent(name))
	a.entries[name] = entry{name: name, mode: modeFile | perm, data: data}
}

// symlink adds name pointing to target.
func (a *archive) symlink(name, target string) {
	name = strings.Trim(name, "/")
	a.dir(parent(name))
	a.entries[name] = entry{name: name, mode: modeSymlink | 0o777, data: []byte(target)}
}

// charDev adds a character device node.
func (a *archive) charDev(name string, major, minor uint32) {
	name = strings.Trim(name, "/")
	a.dir(parent(name))
	a.entries[name] = entry{name: name, mode: modeCharDev | 0o600, major: major, minor: minor}
}

// writeTo writes the archive in the newc format the kernel unpacks.
func (a *archive) writeTo(w io.Writer) error {
	names := make([]string, 0, len(a.entries))
	for n := range a.entries {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		if err := writeEntry(w, uint32(i+1), a.entries[n]); err != nil {
			return err
		}
	}
	return writeEntry(w, 0, entry{name: "TRAILER!!!"})
}

func writeEntry(w io.Writer, ino uint32, e entry) error {
	nlink := 1
	if e.mode&0o170000 == modeDir {
		nlink = 2
	}
	hdr := fmt.Sprintf("070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
		ino, e.mode, 0, 0, nlink, 0, len(e.data), 0, 0, e.major, e.minor, len(e.name)+1, 0)
	buf := append([]byte(hdr), e.name...)
	buf = append(buf, 0)
	buf = pad4(buf)
	buf = pad4(append(buf, e.data...))
	if _, err := w.Write(buf); err != nil {
		return fmt.Errorf("write initramfs entry %s: %w", e.name, err)
	}
	return nil
}

func pad4(b []byte) []byte {
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}
