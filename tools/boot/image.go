package boot

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/ukkv/ukkv/tools/build"
	"github.com/ukkv/ukkv/tools/guest"
	"github.com/ukkv/ukkv/tools/qemu"
	"github.com/ukkv/ukkv/tools/variant"
)

// Image is what QEMU boots for one variant and how it is told its
// address and server options.
type Image struct {
	Name   string
	Kernel string
	Initrd string
	// Files are what the image is made of, for size reports.
	Files []string
	// Append builds the kernel command line of a run.
	Append    func(n *Network, server []string) string
	LegacyIRQ bool
	ReadyLine string
	// MemoryMiB, if set, is the least -m the image needs.
	MemoryMiB int
}

// Bytes is the image's size on disk (kernel plus initramfs for Linux).
func (im *Image) Bytes() (int64, error) {
	var total int64
	for _, f := range im.Files {
		fi, err := os.Stat(f)
		if err != nil {
			return 0, fmt.Errorf("image of %s: %w", im.Name, err)
		}
		total += fi.Size()
	}
	return total, nil
}

// ImageFor finds or makes the image of a variant: a Unikraft variant's
// built image, or a Linux guest assembled from the cached Debian kernel
// and the server program built by `make` (a DPDK guest when the program
// links DPDK).
func ImageFor(ctx context.Context, repo, cacheDir string, v *variant.Variant) (*Image, error) {
	switch v.Kind {
	case variant.Unikraft:
		return unikraftImage(repo, v)
	case variant.LinuxGuest:
		return linuxImage(ctx, repo, cacheDir, v)
	}
	return nil, fmt.Errorf("variant %s of kind %s cannot be booted", v.Name, v.Kind)
}

func unikraftImage(repo string, v *variant.Variant) (*Image, error) {
	path, err := build.ImagePath(repo, v.Name)
	if err != nil {
		return nil, err
	}
	return &Image{
		Name: v.Name, Kernel: path, Files: []string{path}, ReadyLine: v.ReadyLine,
		// Unikraft's lwIP takes its address as netdev.ip=ADDR/LEN:GATEWAY;
		// the app's arguments follow "--".
		Append: func(n *Network, server []string) string {
			return strings.Join(append([]string{"netdev.ip=" + n.GuestCIDR() + ":" + n.HostIP.String(), "--"}, server...), " ")
		},
	}, nil
}

func linuxImage(ctx context.Context, repo, cacheDir string, v *variant.Variant) (*Image, error) {
	program := filepath.Join(repo, "bin", v.Program)
	if _, err := os.Stat(program); err != nil {
		return nil, fmt.Errorf("%s of variant %s is missing: run `make`", filepath.Join("bin", v.Program), v.Name)
	}
	dpdk, err := guest.UsesDPDK(program)
	if err != nil {
		return nil, err
	}
	if dpdk {
		return DPDKGuestImage(ctx, repo, cacheDir, v.Name, program, v.ReadyLine)
	}
	return linuxGuestImage(ctx, repo, cacheDir, v.Name, v.ReadyLine, guest.Options{Programs: []string{program}},
		func(server []string) guest.Run { return guest.Run{Program: v.Program, Args: server} })
}

// MemcachedName names the Linux guest running Debian's memcached.
const MemcachedName = "memcached-guest"

// memcachedArgs serve UDP only, on 11211, as root (init's user).
var memcachedArgs = []string{"-U", "11211", "-p", "0", "-l", "0.0.0.0", "-u", "root"}

// MemcachedImage is a Linux guest running Debian's memcached over UDP,
// the system a user would pick instead; a run's server arguments are
// added to memcached's (-t 1, -m 64, say). memcached prints no ready
// line, so the guest's init prints one once port 11211 is bound.
func MemcachedImage(ctx context.Context, repo, cacheDir string) (*Image, error) {
	program, err := exec.LookPath("memcached")
	if err != nil {
		return nil, fmt.Errorf("memcached not found: install the Debian package memcached")
	}
	return linuxGuestImage(ctx, repo, cacheDir, MemcachedName, "ready udp ", guest.Options{Programs: []string{program}},
		func(server []string) guest.Run {
			return guest.Run{Program: "memcached", Args: append(append([]string(nil), memcachedArgs...), server...), ReadyUDP: 11211}
		})
}

// DPDKGuestMemoryMiB is the least -m a DPDK guest should get: its
// hugepages come on top of what Linux itself needs; Start gives it that
// much unless told otherwise.
const DPDKGuestMemoryMiB = 512

// dpdkGuestHugepages are the 2 MiB pages a DPDK guest reserves.
const dpdkGuestHugepages = 96

// DPDKGuestImage is a Linux guest whose program drives the NIC itself
// with DPDK's virtio PMD: the initramfs holds the DPDK plugins and the
// uio modules, and init hands the NIC to uio_pci_generic and reserves
// hugepages before it runs program with a run's server arguments. Boot
// it with at least DPDKGuestMemoryMiB.
func DPDKGuestImage(ctx context.Context, repo, cacheDir, name, program, ready string) (*Image, error) {
	base := filepath.Base(program)
	img, err := linuxGuestImage(ctx, repo, cacheDir, name, ready, guest.Options{Programs: []string{program}, DPDK: true},
		func(server []string) guest.Run {
			return guest.Run{Program: base, Args: server, UIO: true, Hugepages: dpdkGuestHugepages}
		})
	if img != nil {
		img.MemoryMiB = DPDKGuestMemoryMiB
	}
	return img, err
}

// linuxGuestImage writes the initramfs of a Linux guest into
// build/NAME/ and says how to boot it.
func linuxGuestImage(ctx context.Context, repo, cacheDir, name, ready string, opts guest.Options, run func([]string) guest.Run) (*Image, error) {
	k, err := guest.FetchKernel(ctx, cacheDir)
	if err != nil {
		return nil, err
	}
	initrd := filepath.Join(build.Dir(repo, name), "initrd.img")
	if err := guest.WriteInitramfs(initrd, k, opts); err != nil {
		return nil, err
	}
	return &Image{
		Name: name, Kernel: k.Vmlinuz, Initrd: initrd, Files: []string{k.Vmlinuz, initrd},
		ReadyLine: ready, LegacyIRQ: true,
		Append: func(n *Network, server []string) string {
			return guest.KernelArgs(n.GuestCIDR(), run(server))
		},
	}, nil
}

// FloorName names the floor image in reports.
const FloorName = "qemu-floor"

// FloorImage is the guest that halts at once, written into dir: booting
// it measures QEMU's own share of a boot.
func FloorImage(dir string) (*Image, error) {
	path := filepath.Join(dir, "floor.elf")
	if err := qemu.WriteFloorKernel(path); err != nil {
		return nil, err
	}
	return &Image{
		Name: FloorName, Kernel: path, Files: []string{path}, ReadyLine: qemu.FloorReadyLine,
		Append: func(*Network, []string) string { return "" },
	}, nil
}
