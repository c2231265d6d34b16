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
	// DPDK adds the uio modules a DPDK program in the guest needs.
	DPDK bool
}

// WriteInitramfs writes a gzipped initramfs for k to path.
func WriteInitramfs(path string, k *Kernel, opts Options) error {
	a := newArchive()
	for _, d := range []string{"proc", "sys", "dev", "tmp", "run"} {
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
		if err := addHostFile(a, k.Modules[m], "lib/modules/"+m+".ko"); err != nil {
			return err
		}
	}
	for _, p := range opts.Programs {
		if err := addProgram(a, p); err != nil {
			return err
		}
	}
	// Programs that switch users (memcached -u root) look them up.
	a.file("etc/passwd", 0o644, []byte("root:x:0:0:root:/:/bin/sh\n"))
	a.file("etc/group", 0o644, []byte("root:x:0:\n"))
	a.file("init", 0o755, []byte(initScript(modules)))
	return writeGzipAtomic(path, a)
}

// addProgram copies a program and the libraries it links.
func addProgram(a *archive, path string) error {
	if err := addHostFile(a, path, "bin/"+filepath.Base(path)); err != nil {
		return err
	}
	libs, err := sharedLibraries(path)
	if err != nil {
		return err
	}
	for _, lib := range libs {
		if err := addHostFile(a, lib, lib); err != nil {
			return err
		}
	}
	return nil
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
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("initramfs: %w", err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := a.writeTo(zw); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("initramfs: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("initramfs: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("initramfs: %w", err)
	}
	return nil
}
