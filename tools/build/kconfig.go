package build

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ukkv/ukkv/tools/kraftfile"
)

// targetKConfig is the kconfig kraft derives from a target's platform and
// architecture; the make backend has to set it itself.
var targetKConfig = map[string][]string{
	"qemu":   {"CONFIG_PLAT_KVM=y", "CONFIG_KVM_VMM_QEMU=y"},
	"fc":     {"CONFIG_PLAT_KVM=y", "CONFIG_KVM_VMM_FIRECRACKER=y"},
	"xen":    {"CONFIG_PLAT_XEN=y"},
	"x86_64": {"CONFIG_ARCH_X86_64=y"},
	"arm64":  {"CONFIG_ARCH_ARM_64=y"},
}

// Defconfig collects every kconfig setting of a Kraftfile (core,
// libraries, and its one target) as sorted KEY=VALUE lines.
func Defconfig(kf *kraftfile.Kraftfile) (string, error) {
	if len(kf.Targets) != 1 {
		return "", fmt.Errorf("%s: %d targets, want exactly one", kf.Name, len(kf.Targets))
	}
	t := kf.Targets[0]
	var lines []string
	for _, part := range []string{t.Plat, t.Arch} {
		kc, ok := targetKConfig[part]
		if !ok {
			return "", fmt.Errorf("%s: target %s: unknown platform or architecture %q", kf.Name, t, part)
		}
		lines = append(lines, kc...)
	}
	for key, value := range kf.Unikraft.KConfig {
		lines = append(lines, key+"="+value)
	}
	for _, lib := range kf.Libraries {
		for key, value := range lib.KConfig {
			lines = append(lines, key+"="+value)
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n", nil
}
