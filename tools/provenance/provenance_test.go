package provenance

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/ukkv/ukkv/tools/sources"
)

func TestStampNamesRevisionsPackagesAndAccelerator(t *testing.T) {
	if _, err := exec.LookPath("dpkg-query"); err != nil {
		t.Skip("dpkg-query missing: run on Debian")
	}
	s := Stamp(context.Background(), "../..", Facts{
		Accelerator: "tcg", Reason: "no KVM here",
		Packages: []string{"dpkg", "no-such-package-here"}, Info: map[string]string{"guest kernel": "k1"},
	})
	if s.Machine.Accelerator != "tcg" || s.Info["accelerator reason"] != "no KVM here" || s.Info["guest kernel"] != "k1" {
		t.Errorf("stamp %+v", s)
	}
	for _, src := range sources.Pinned {
		if s.Info[src.Name] != src.Revision() {
			t.Errorf("source %s: %q, want %q", src.Name, s.Info[src.Name], src.Revision())
		}
	}
	if s.Info["dpkg"] == "" {
		t.Error("no version of the dpkg package")
	}
	if _, ok := s.Info["no-such-package-here"]; ok {
		t.Error("a package that is not installed got a version")
	}
	if rev := s.Info["ukkv"]; len(rev) < 7 || strings.ContainsAny(rev, " \n") {
		t.Errorf("project revision %q", rev)
	}
	if s.Command == "" || s.Date.IsZero() {
		t.Errorf("no command or date: %+v", s)
	}
}
