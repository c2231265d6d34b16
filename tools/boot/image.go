package boot

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ukkv/ukkv/tools/build"
	"github.com/ukkv/ukkv/tools/guest"
	"github.com/ukkv/ukkv/tools/hostnet"
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
	Append    func(n *hostnet.Network, server []string) string
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

// ImageFor finds or makes the image of a guest row: a Unikraft
// variant's built image, or a Linux guest assembled from the cached
// Debian kernel and the row's program (a DPDK guest for a DPDK program).
func ImageFor(ctx context.Context, repo, cacheDir string, v *variant.Variant) (*Image, error) {
	switch v.Kind {
	case variant.Unikraft:
		if v.Elfloader() {
			return elfloaderImage(repo, v)
		}
		return unikraftImage(repo, v)
	case variant.LinuxGuest:
		return linuxImage(ctx, repo, cacheDir, v)
	}
	return nil, fmt.Errorf("%s runs on the host, not in a guest (guest rows: %s)",
		v.Name, strings.Join(variant.Names(variant.Guests()), ", "))
}

func unikraftImage(repo string, v *variant.Variant) (*Image, error) {
	path, err := build.ImagePath(repo, v.Name)
	if err != nil {
		return nil, err
	}
	return &Image{
		Name: v.Name, Kernel: path, Files: []string{path}, ReadyLine: variant.ReadyLine, MemoryMiB: v.MemoryMiB,
		Append: commandLine(v, ""),
	}, nil
}

// elfloaderProgram is where an elfloader row's binary lies in its root
// filesystem.
const elfloaderProgram = "/server"

// elfloaderImage is a built app-elfloader image with a root filesystem
// (build/VARIANT/rootfs.cpio) holding the row's program from bin/, which
// the loader runs as /server.
func elfloaderImage(repo string, v *variant.Variant) (*Image, error) {
	kernel, err := build.ImagePath(repo, v.Name)
	if err != nil {
		return nil, err
	}
	program, err := v.ProgramPath(repo)
	if err != nil {
		return nil, err
	}
	rootfs := filepath.Join(build.Dir(repo, v.Name), "rootfs.cpio")
	if err := guest.WriteRootfs(rootfs, program, elfloaderProgram); err != nil {
		return nil, fmt.Errorf("variant %s: %w", v.Name, err)
	}
	return &Image{
		Name: v.Name, Kernel: kernel, Initrd: rootfs, Files: []string{kernel, rootfs},
		ReadyLine: variant.ReadyLine, MemoryMiB: v.MemoryMiB,
		Append: commandLine(v, elfloaderProgram),
	}, nil
}

// linuxImage writes the initramfs of the Linux guest running the row's
// program into build/NAME/ and says how to boot it.
func linuxImage(ctx context.Context, repo, cacheDir string, v *variant.Variant) (*Image, error) {
	program, err := v.ProgramPath(repo)
	if err != nil {
		return nil, err
	}
	k, err := guest.FetchKernel(ctx, cacheDir)
	if err != nil {
		return nil, err
	}
	initrd := filepath.Join(build.Dir(repo, v.Name), "initrd.img")
	if err := guest.WriteInitramfs(initrd, k, guest.Options{Programs: []string{program}, DPDK: v.DPDK}); err != nil {
		return nil, err
	}
	return &Image{
		Name: v.Name, Kernel: k.Vmlinuz, Initrd: initrd, Files: []string{k.Vmlinuz, initrd},
		ReadyLine: variant.ReadyLine, LegacyIRQ: true, MemoryMiB: v.MemoryMiB,
		Append: commandLine(v, filepath.Base(program)),
	}, nil
}

// dpdkGuestHugepages are the 2 MiB pages a DPDK guest reserves.
const dpdkGuestHugepages = 96

// commandLine gives the kernel command line of a run of row v, whose
// program is named program in a Linux guest's /bin, or is the path an
// elfloader row loads. Unikraft takes its address as
// netdev.ip=ADDR/LEN:GATEWAY and the app's arguments after "--" (for
// app-elfloader: the program's path, then its arguments; its environment
// comes as env.vars=[ NAME=VALUE ... ]); the Linux guest's init reads
// ukkv.* parameters and, for a DPDK program, hands it the NIC through
// uio_pci_generic and reserves hugepages first.
func commandLine(v *variant.Variant, program string) func(*hostnet.Network, []string) string {
	return func(n *hostnet.Network, server []string) string {
		argv := v.Argv(n.GuestIP.String(), server)
		if v.Kind == variant.Unikraft {
			args := []string{"netdev.ip=" + n.GuestCIDR() + ":" + n.HostIP.String()}
			if len(v.Env) > 0 {
				args = append(append(append(args, "env.vars=["), v.Env...), "]")
			}
			args = append(args, "--")
			if v.Elfloader() {
				args = append(args, program)
			}
			return strings.Join(append(args, argv...), " ")
		}
		run := guest.Run{Program: program, Args: argv, ReadyUDP: v.ReadyUDP, UIO: v.DPDK}
		if v.DPDK {
			run.Hugepages = dpdkGuestHugepages
		}
		return guest.KernelArgs(n.GuestCIDR(), run)
	}
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
		Append: func(*hostnet.Network, []string) string { return "" },
	}, nil
}
