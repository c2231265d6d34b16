// Package guest builds the Linux guest of the baselines from Debian
// packages alone: a cloud kernel fetched with apt-get and an initramfs
// written here, holding busybox, the NIC modules, a small init and the
// server programs.
package guest

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

const busybox = "/bin/busybox"

// Image is a bootable Linux guest.
type Image struct {
	Kernel *Kernel
	Initrd string
}

// Files are the kernel and initramfs paths, for size reports.
func (im *Image) Files() []string { return []string{im.Kernel.Vmlinuz, im.Initrd} }

// Options say what goes into an initramfs.
type Options struct {
	// Programs are host paths of programs copied into /bin, each with the
	// shared libraries ldd names for it.
	Programs []string
	// DPDK adds what a DPDK program in the guest needs: the uio modules
	// and the PMD plugins for a virtio NIC, with their libraries.
	DPDK bool
}

// dpdkPlugins are the DPDK drivers a guest program loads from Debian's
// plugin folder; EAL loads every file there, so only these go in.
var dpdkPlugins = []string{"librte_bus_pci.so", "librte_bus_vdev.so", "librte_mempool_ring.so", "librte_net_virtio.so"}

// dpdkPluginGlob finds Debian's DPDK plugin folder (pmds-ABI).
const dpdkPluginGlob = "/usr/lib/x86_64-linux-gnu/dpdk/pmds-*"

// addDPDKPlugins copies the plugins under their own path, each with the
// libraries it needs.
func addDPDKPlugins(a *archive) error {
	dirs, _ := filepath.Glob(dpdkPluginGlob)
	if len(dirs) != 1 {
		return fmt.Errorf("want one DPDK plugin folder %s, found %d (install the Debian package dpdk)", dpdkPluginGlob, len(dirs))
	}
	for _, p := range dpdkPlugins {
		plugin := filepath.Join(dirs[0], p)
		if err := addHostPath(a, plugin, 0); err != nil {
			return err
		}
		if err := addLibraries(a, plugin); err != nil {
			return err
		}
	}
	return nil
}

// WriteInitramfs writes a gzipped initramfs for k to path.
func WriteInitramfs(path string, k *Kernel, opts Options) error {
	a := newArchive()
	for _, d := range []string{"proc", "sys", "dev", "tmp", "run", "var/run"} {
		a.dir(d)
	}
	// The kernel opens /dev/console for init before devtmpfs is mounted.
	a.charDev("dev/console", 5, 1)
	if err := addHostFile(a, busybox, "bin/busybox"); err != nil {
		return fmt.Errorf("%w (install the Debian package busybox-static)", err)
	}
	a.symlink("bin/sh", "busybox")
	modules := netModules
	if opts.DPDK {
		modules = append(append([]string(nil), netModules...), uioModules...)
	}
	for _, m := range modules {
		if err := addHostFile(a, k.Modules[m], "modules/"+m+".ko"); err != nil {
			return err
		}
	}
	for _, p := range opts.Programs {
		if err := addProgramAt(a, p, "bin/"+filepath.Base(p)); err != nil {
			return err
		}
	}
	if opts.DPDK {
		if err := addDPDKPlugins(a); err != nil {
			return err
		}
	}
	// Programs that switch users (memcached -u root) look them up.
	a.file("etc/passwd", 0o644, []byte("root:x:0:0:root:/:/bin/sh\n"))
	a.file("etc/group", 0o644, []byte("root:x:0:\n"))
	a.file("init", 0o755, []byte(initScript(modules)))
	return writeGzipAtomic(path, a)
}

// addProgramAt copies a program to the path at, with the libraries it
// links.
func addProgramAt(a *archive, path, at string) error {
	if err := addHostFile(a, path, at); err != nil {
		return err
	}
	return addLibraries(a, path)
}

// addLibraries copies the libraries ldd names for path, under the
// host's own paths.
func addLibraries(a *archive, path string) error {
	libs, err := sharedLibraries(path)
	if err != nil {
		return err
	}
	for _, lib := range libs {
		if err := addHostPath(a, lib, 0); err != nil {
			return err
		}
	}
	return nil
}

// maxLinks bounds the symlinks followed for one path, as the kernel does.
const maxLinks = 40

// addHostPath copies a host file to the same path and keeps every
// symlink on the way (a merged /lib, a library's version links), so that
// the loader sees one file under all its names, as on the host: DPDK
// loads a driver once linked and once as a plugin, and a second copy
// would register it twice.
func addHostPath(a *archive, path string, links int) error {
	if links > maxLinks {
		return fmt.Errorf("initramfs: too many symlinks at %s", path)
	}
	parts := strings.Split(strings.Trim(filepath.Clean(path), "/"), "/")
	cur := "/"
	for i, part := range parts {
		next := filepath.Join(cur, part)
		fi, err := os.Lstat(next)
		if err != nil {
			return fmt.Errorf("initramfs: %w", err)
		}
		if fi.Mode()&os.ModeSymlink == 0 {
			cur = next
			continue
		}
		target, err := os.Readlink(next)
		if err != nil {
			return fmt.Errorf("initramfs: %w", err)
		}
		a.symlink(next, target)
		if !filepath.IsAbs(target) {
			target = filepath.Join(cur, target)
		}
		return addHostPath(a, filepath.Join(append([]string{target}, parts[i+1:]...)...), links+1)
	}
	return addHostFile(a, cur, cur)
}

// lddPath matches the library paths in ldd's output.
var lddPath = regexp.MustCompile(`(?m)(?:=> )?(/\S+) \(0x`)

// sharedLibraries lists the libraries and loader a program needs; a
// static program needs none.
func sharedLibraries(path string) ([]string, error) {
	out, err := exec.Command("ldd", path).CombinedOutput()
	if bytes.Contains(out, []byte("not a dynamic executable")) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ldd %s: %w: %s", path, err, bytes.TrimSpace(out))
	}
	var libs []string
	for _, m := range lddPath.FindAllSubmatch(out, -1) {
		libs = append(libs, string(m[1]))
	}
	return libs, nil
}

func addHostFile(a *archive, from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return fmt.Errorf("initramfs: %w", err)
	}
	a.file(to, 0o755, data)
	return nil
}

// writeGzipAtomic writes the archive through a temporary file, so that a
// failed write leaves the previous initramfs, or none.
func writeGzipAtomic(path string, a *archive) error {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := a.writeTo(zw); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("initramfs: %w", err)
	}
	return writeAtomic(path, buf.Bytes())
}

// writeAtomic writes data through a temporary file, so that a failed
// write leaves the previous file, or none.
func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("initramfs: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("initramfs: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("initramfs: %w", err)
	}
	return nil
}
