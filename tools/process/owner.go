package process

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
)

// What a run leaves on the host outside its processes (folders, DPDK
// prefixes, network devices, namespaces) is named with the process id
// of its owner, "ukkv<pid>_<n>...": after a kill -9, when no teardown
// ran, a later command can tell that the owner is gone and remove it.
const ownedPrefix = "ukkv"

// ownedSeqs bounds n so that a name stays within an interface name's
// 15 bytes: "ukkv" + 7 pid digits + "_" + 2 base-36 digits leaves one
// byte for a role suffix (the two ends of a veth pair). n wraps only
// after 1296 names, far more than one process keeps at once.
const ownedSeqs = 36 * 36

var ownedSeq atomic.Uint32

// OwnedName is a name unique among this process's live state, owned by
// this process: "ukkv<pid>_<n>".
func OwnedName() string {
	return nameOwnedBy(os.Getpid(), (ownedSeq.Add(1)-1)%ownedSeqs)
}

// NameOwnedBy is the first name OwnedName gives in process pid.
func NameOwnedBy(pid int) string { return nameOwnedBy(pid, 0) }

func nameOwnedBy(pid int, n uint32) string {
	return ownedPrefix + strconv.Itoa(pid) + "_" + strconv.FormatUint(uint64(n), 36)
}

// Owner is the process id in a name that starts as OwnedName's do,
// whatever follows; ok is false for any other name.
func Owner(name string) (pid int, ok bool) {
	rest, found := strings.CutPrefix(name, ownedPrefix)
	if !found {
		return 0, false
	}
	digits, _, found := strings.Cut(rest, "_")
	// Linux's pids have at most 7 digits (pid_max is at most 2^22)
	if !found || digits == "" || len(digits) > 7 || strings.Trim(digits, "0123456789") != "" {
		return 0, false
	}
	pid, err := strconv.Atoi(digits)
	return pid, err == nil && pid > 0
}

// Alive says whether a process with this id exists.
func Alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// Orphan says whether name is owned (see OwnedName) by a process that
// no longer exists.
func Orphan(name string) bool {
	pid, ok := Owner(name)
	return ok && !Alive(pid)
}

// OwnedTempDir makes a folder of its own in the temp folder, named
// OwnedName() + "-" + purpose + a random suffix.
func OwnedTempDir(purpose string) (string, error) {
	dir, err := os.MkdirTemp("", OwnedName()+"-"+purpose+"-")
	if err != nil {
		return "", fmt.Errorf("%s folder: %w", purpose, err)
	}
	return dir, nil
}

// Orphans lists the entries of dir whose names are an Orphan. A
// missing dir holds none.
func Orphans(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		return nil, fmt.Errorf("look for left-over state: %w", err)
	}
	var names []string
	for _, e := range entries {
		if Orphan(e.Name()) {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

// RemoveOrphans removes every Orphan entry of dir, with what it holds,
// and returns the paths it removed.
func RemoveOrphans(dir string) ([]string, error) {
	names, err := Orphans(dir)
	var removed []string
	errs := []error{err}
	for _, name := range names {
		path := filepath.Join(dir, name)
		if err := os.RemoveAll(path); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, path)
	}
	return removed, errors.Join(errs...)
}
