// Package provenance stamps every report the same way: the command, the
// date, the machine and the accelerator its guests ran on, the project's
// revision, the pinned Unikraft sources and the versions of the tools
// that made the figures.
package provenance

import (
	"context"
	"maps"
	"os/exec"
	"strings"

	"github.com/ukkv/ukkv/tools/report"
	"github.com/ukkv/ukkv/tools/sources"
)

// Facts are what a report's figures depend on beyond the machine.
type Facts struct {
	// Accelerator is what the guests ran on (kvm, tcg) and Reason why;
	// both empty when no guest ran.
	Accelerator, Reason string
	// Packages are the Debian packages whose programs made the figures
	// (qemu-system-x86, memcached, ...); each one's version is recorded.
	Packages []string
	// Info adds facts of this report only (the guest kernel, the build
	// backend).
	Info map[string]string
}

// Stamp stamps a report made now by this process from the repository at
// repo: report.Stamp's command, date and machine, with f's accelerator,
// and in its info the project's revision ("ukkv"), each pinned source's
// revision, each package's version and f.Info.
func Stamp(ctx context.Context, repo string, f Facts) report.Stamp {
	info := maps.Clone(f.Info)
	if info == nil {
		info = map[string]string{}
	}
	if f.Reason != "" {
		info["accelerator reason"] = f.Reason
	}
	if rev := revision(ctx, repo); rev != "" {
		info["ukkv"] = rev
	}
	for _, s := range sources.Pinned {
		info[s.Name] = s.Revision()
	}
	for _, p := range f.Packages {
		if v := packageVersion(ctx, p); v != "" {
			info[p] = v
		}
	}
	return report.NewStamp(f.Accelerator, info)
}

// revision is the project's commit (git describe), "" outside a git
// checkout.
func revision(ctx context.Context, repo string) string {
	out, err := exec.CommandContext(ctx, "git", "-C", repo, "describe", "--always", "--dirty").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// packageVersion is the installed version of a Debian package, "" when
// it is not installed.
func packageVersion(ctx context.Context, pkg string) string {
	out, err := exec.CommandContext(ctx, "dpkg-query", "-W", "-f=${Version}", pkg).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
