package sizes

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"
)

// Names of the Linux guest's parts.
const (
	LinuxKernel    = "kernel (compressed)"
	LinuxModules   = "kernel modules"
	LinuxServer    = "server"
	LinuxInitramfs = "initramfs: init, busybox, libraries"
)

// Linux breaks a Linux guest down into its kernel file and its gzipped
// initramfs, whose bytes are shared out among the kernel modules, the
// server program (the entries named server) and everything else, in
// proportion to their bytes inside the archive.
func Linux(vmlinuz, initrd, server string) (*Breakdown, error) {
	kernel, err := fileSize(vmlinuz)
	if err != nil {
		return nil, err
	}
	packed, err := fileSize(initrd)
	if err != nil {
		return nil, err
	}
	inside, err := initramfsSizes(initrd, server)
	if err != nil {
		return nil, err
	}
	b := &Breakdown{Image: vmlinuz, Size: kernel + packed, Parts: []Part{{Name: LinuxKernel, Whole: kernel}}}
	names := []string{LinuxModules, LinuxServer, LinuxInitramfs}
	var total, given int64
	for _, n := range names {
		total += inside[n]
	}
	for i, n := range names {
		share := packed - given // the last takes what rounding left
		if i < len(names)-1 && total > 0 {
			share = packed * inside[n] / total
		}
		given += share
		b.Parts = append(b.Parts, Part{Name: n, Whole: share})
	}
	sortParts(b.Parts)
	return b, nil
}

func fileSize(p string) (int64, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return 0, fmt.Errorf("size breakdown: %w", err)
	}
	return fi.Size(), nil
}

// initramfsSizes adds up the bytes of a gzipped newc cpio archive's
// files by part.
func initramfsSizes(initrd, server string) (map[string]int64, error) {
	f, err := os.Open(initrd)
	if err != nil {
		return nil, fmt.Errorf("size breakdown: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("initramfs %s: %w", initrd, err)
	}
	sizes := map[string]int64{}
	err = eachCpioFile(bufio.NewReader(zr), func(name string, size int64) {
		switch {
		case strings.HasPrefix(name, "modules/") || strings.Contains(name, ".ko"):
			sizes[LinuxModules] += size
		case path.Base(name) == server:
			sizes[LinuxServer] += size
		default:
			sizes[LinuxInitramfs] += size
		}
	})
	if err != nil {
		return nil, fmt.Errorf("initramfs %s: %w", initrd, err)
	}
	return sizes, nil
}

// newc cpio: a 110-byte header of "070701" and 13 eight-digit hex
// fields, the name, then the data, each padded to 4 bytes.
const (
	cpioHeaderLen = 110
	cpioTrailer   = "TRAILER!!!"
)

func eachCpioFile(r io.Reader, fn func(name string, size int64)) error {
	var hdr [cpioHeaderLen]byte
	for {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return fmt.Errorf("cpio header: %w", err)
		}
		if string(hdr[:6]) != "070701" {
			return fmt.Errorf("not a newc cpio archive")
		}
		field := func(i int) (int64, error) {
			return strconv.ParseInt(string(hdr[6+8*i:14+8*i]), 16, 64)
		}
		size, err := field(6)
		if err != nil {
			return fmt.Errorf("cpio file size: %w", err)
		}
		nameLen, err := field(11)
		if err != nil || nameLen < 1 {
			return fmt.Errorf("cpio name length: %v", err)
		}
		name := make([]byte, pad4(cpioHeaderLen+nameLen)-cpioHeaderLen)
		if _, err := io.ReadFull(r, name); err != nil {
			return fmt.Errorf("cpio name: %w", err)
		}
		n := string(name[:nameLen-1])
		if n == cpioTrailer {
			return nil
		}
		fn(n, size)
		if _, err := io.CopyN(io.Discard, r, pad4(size)); err != nil {
			return fmt.Errorf("cpio data of %s: %w", n, err)
		}
	}
}

func pad4(n int64) int64 { return (n + 3) &^ 3 }
