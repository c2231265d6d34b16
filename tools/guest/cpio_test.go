package guest

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// TestArchiveListsWithCpio checks the archive against Debian's cpio, an
// independent reader of the newc format.
func TestArchiveListsWithCpio(t *testing.T) {
	if _, err := exec.LookPath("cpio"); err != nil {
		t.Skip("cpio missing: install the Debian package cpio (make deps)")
	}
	a := newArchive()
	a.file("bin/prog", 0o755, []byte("12345"))
	a.symlink("bin/sh", "busybox")
	a.charDev("dev/console", 5, 1)
	a.file("init", 0o755, []byte("#!/bin/sh\n"))
	var buf bytes.Buffer
	if err := a.writeTo(&buf); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("cpio", "-t", "-v", "--quiet")
	cmd.Stdin = &buf
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("cpio -t: %v: %s", err, out)
	}
	listing := string(out)
	for _, w := range []string{"bin", "dev", "init"} {
		if !strings.Contains(listing, " "+w+"\n") {
			t.Errorf("listing lacks %s:\n%s", w, listing)
		}
	}
	for _, w := range []string{"bin/prog", "bin/sh -> busybox", "dev/console"} {
		if !strings.Contains(listing, w) {
			t.Errorf("listing lacks %s:\n%s", w, listing)
		}
	}
	if !strings.Contains(listing, "-rwxr-xr-x") || !strings.Contains(listing, "crw-------") {
		t.Errorf("modes wrong:\n%s", listing)
	}
}

func TestArchiveIsDeterministic(t *testing.T) {
	build := func(order []string) []byte {
		a := newArchive()
		for _, n := range order {
			a.file(n, 0o644, []byte(n))
		}
		var buf bytes.Buffer
		if err := a.writeTo(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	one, two := build([]string{"a/x", "b/y", "c"}), build([]string{"c", "b/y", "a/x"})
	if !bytes.Equal(one, two) {
		t.Error("same files in another order give other bytes")
	}
	if len(one)%4 != 0 {
		t.Errorf("archive of %d bytes not 4-aligned", len(one))
	}
}
