package guest

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	log "github.com/sirupsen/logrus"
)

// kernelMeta is Debian's package that depends on the current cloud kernel.
const kernelMeta = "linux-image-cloud-amd64"

// netModules are the modules a guest needs for its virtio NIC, in load
// order (each one's depends= comes before it); the cloud kernel has them
// as modules, not built in.
var netModules = []string{
	"virtio_ring", "virtio", "virtio_pci_legacy_dev", "virtio_pci_modern_dev",
	"virtio_pci", "failover", "net_failover", "virtio_net",
}

// uioModules let a DPDK program in the guest drive the NIC itself.
var uioModules = []string{"uio", "uio_pci_generic"}

// Kernel is an unpacked Debian cloud kernel with the modules we use.
type Kernel struct {
	Package string
	Vmlinuz string
	// Modules maps a module name to its .ko file.
	Modules map[string]string
}

// FetchKernel returns the cloud kernel from the cache, downloading and
// unpacking it first if needed. UKKV_GUEST_KERNEL names another package.
func FetchKernel(ctx context.Context, cacheDir string) (*Kernel, error) {
	pkg := os.Getenv("UKKV_GUEST_KERNEL")
	if pkg == "" {
		var err error
		if pkg, err = currentKernelPackage(ctx); err != nil {
			cached := cachedKernel(cacheDir)
			if cached == "" {
				return nil, err
			}
			log.Warnf("%v; using the cached %s", err, cached)
			pkg = cached
		}
	}
	dir := filepath.Join(cacheDir, "guest", pkg)
	if k, err := loadKernel(pkg, dir); err == nil {
		return k, nil
	}
	log.Infof("fetching the guest kernel %s", pkg)
	if err := unpackKernel(ctx, pkg, dir); err != nil {
		return nil, err
	}
	return loadKernel(pkg, dir)
}

// currentKernelPackage asks apt which package the cloud kernel meta
// package depends on now.
func currentKernelPackage(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "apt-cache", "depends", kernelMeta).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("apt-cache depends %s: %w: %s (run apt-get update)", kernelMeta, err, bytes.TrimSpace(out))
	}
	m := regexp.MustCompile(`Depends: (linux-image-\S+-cloud-amd64)`).FindSubmatch(out)
	if m == nil {
		return "", fmt.Errorf("apt-cache knows no kernel behind %s (run apt-get update)", kernelMeta)
	}
	return string(m[1]), nil
}

// cachedKernel names the newest kernel package in the cache, if any, so
// that a machine without apt lists still boots what it fetched before.
func cachedKernel(cacheDir string) string {
	dirs, _ := filepath.Glob(filepath.Join(cacheDir, "guest", "linux-image-*"))
	if len(dirs) == 0 {
		return ""
	}
	return filepath.Base(dirs[len(dirs)-1])
}

// loadKernel finds a kernel unpacked before in dir.
func loadKernel(pkg, dir string) (*Kernel, error) {
	k := &Kernel{Package: pkg, Vmlinuz: filepath.Join(dir, "vmlinuz"), Modules: map[string]string{}}
	if _, err := os.Stat(k.Vmlinuz); err != nil {
		return nil, fmt.Errorf("guest kernel %s: %w", pkg, err)
	}
	for _, m := range append(netModules, uioModules...) {
		path := filepath.Join(dir, "modules", m+".ko")
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("guest kernel %s: %w", pkg, err)
		}
		k.Modules[m] = path
	}
	return k, nil
}

// unpackKernel downloads pkg and keeps its vmlinuz and our modules in
// dir; it works in a sibling folder and renames it at the end, so an
// interrupted fetch leaves nothing that looks complete.
func unpackKernel(ctx context.Context, pkg, dir string) error {
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return fmt.Errorf("kernel cache: %w", err)
	}
	work, err := os.MkdirTemp(filepath.Dir(dir), ".fetch-")
	if err != nil {
		return fmt.Errorf("kernel cache: %w", err)
	}
	defer os.RemoveAll(work)
	dl := exec.CommandContext(ctx, "apt-get", "download", pkg)
	dl.Dir = work
	if out, err := dl.CombinedOutput(); err != nil {
		return fmt.Errorf("apt-get download %s: %w: %s", pkg, err, bytes.TrimSpace(out))
	}
	debs, _ := filepath.Glob(filepath.Join(work, "*.deb"))
	if len(debs) != 1 {
		return fmt.Errorf("apt-get download %s gave %d packages", pkg, len(debs))
	}
	root := filepath.Join(work, "root")
	if out, err := exec.CommandContext(ctx, "dpkg", "-x", debs[0], root).CombinedOutput(); err != nil {
		return fmt.Errorf("dpkg -x %s: %w: %s", debs[0], err, bytes.TrimSpace(out))
	}
	keep := filepath.Join(work, "keep")
	if err := keepKernelFiles(root, keep); err != nil {
		return fmt.Errorf("unpack %s: %w", pkg, err)
	}
	os.RemoveAll(dir)
	return os.Rename(keep, dir)
}

// keepKernelFiles copies vmlinuz and the modules we need from an
// unpacked kernel package into keep.
func keepKernelFiles(root, keep string) error {
	vmlinuz, _ := filepath.Glob(filepath.Join(root, "boot", "vmlinuz-*"))
	if len(vmlinuz) != 1 {
		return fmt.Errorf("want one boot/vmlinuz-*, found %d", len(vmlinuz))
	}
	if err := os.MkdirAll(filepath.Join(keep, "modules"), 0o755); err != nil {
		return err
	}
	if err := copyFile(vmlinuz[0], filepath.Join(keep, "vmlinuz")); err != nil {
		return err
	}
	want := map[string]bool{}
	for _, m := range append(netModules, uioModules...) {
		want[m+".ko"] = true
	}
	err := filepath.WalkDir(filepath.Join(root, "lib", "modules"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || !want[d.Name()] {
			return err
		}
		delete(want, d.Name())
		return copyFile(path, filepath.Join(keep, "modules", d.Name()))
	})
	if err != nil {
		return err
	}
	if len(want) > 0 {
		var missing []string
		for m := range want {
			missing = append(missing, m)
		}
		return fmt.Errorf("modules missing from the package: %s", strings.Join(missing, ", "))
	}
	return nil
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o644)
}
