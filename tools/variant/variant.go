// Package variant is the registry: the one place that says what each row
// of every experiment is (a Unikraft variant, a program in the Linux
// guest, a program on the host), how it is built and started, and how it
// compares with the paper. Every other package looks rows up here.
package variant

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// Kind says where a row's server runs.
type Kind string

const (
	// Unikraft rows are built into a unikernel image.
	Unikraft Kind = "unikraft"
	// LinuxGuest rows run a program inside the Linux guest.
	LinuxGuest Kind = "linux-guest"
	// Host rows run a program as a host process.
	Host Kind = "host"
)

// ReadyLine starts the line every row's server prints once it serves,
// "ready udp ADDR:PORT"; the guest's init prints it for a program that
// does not (see Variant.ReadyUDP).
const ReadyLine = "ready udp "

// Library is a Unikraft library a variant links, with the kconfig it sets.
type Library struct {
	Name    string
	KConfig map[string]string
}

// Variant is one row: one way of serving the KV protocol.
type Variant struct {
	Name        string
	Kind        Kind
	Description string

	// AppFolder is the folder of this repository holding the Unikraft
	// app a Unikraft row builds (its Config.uk and Makefile.uk);
	// AppInputs are the folders its Makefile.uk compiles from, whose
	// change makes the image stale. Both relative to the repository root.
	AppFolder string
	AppInputs []string
	// KConfig is the row's Unikraft configuration: the core's and the
	// app's (which front end it compiles).
	KConfig   map[string]string
	Libraries []Library
	// SizeBudget is the image size, in bytes, a Unikraft row should stay under.
	SizeBudget int64
	// App, when set, is the pinned source whose folder is the Unikraft
	// app (app-elfloader), in place of AppFolder.
	App string

	// Program is the server a Linux-guest or host row runs, or the
	// binary an elfloader row loads: a program of bin/ built by `make`,
	// or, when Package is set, a program of that Debian package found on
	// PATH.
	Program string
	Package string
	// Env is the environment (NAME=VALUE) of an elfloader row's program.
	Env []string
	// Args come before the run's server arguments on the program's
	// command line (EAL options, memcached's own).
	Args []string
	// AddressFlag is the option by which a program that drives the NIC
	// itself gets the guest's address ("--ip"); the guest's kernel then
	// leaves the NIC unconfigured.
	AddressFlag string
	// DPDK says the program drives the NIC with DPDK's virtio PMD: its
	// guest carries DPDK's plugins and hands the NIC to uio_pci_generic.
	DPDK bool
	// ReadyUDP, for a program that prints no ready line, is the UDP port
	// whose binding the guest's init announces with ReadyLine.
	ReadyUDP int
	// MemoryMiB, if set, is the least -m the guest needs.
	MemoryMiB int

	// Preloads says the server is one of ours: it takes the KV server's
	// options (--port, --capacity, --preload, --value-size, --batch) and
	// fills its table at start-up. A load generator sets every key first
	// on one that cannot (memcached).
	Preloads bool
	// Profile is the build profile of a row derived by InProfile; empty
	// for the registry's own rows (the default profile).
	Profile string
	// PaperMode is the row's mode in the paper's Table 4, in the setup
	// of its Kind; empty when the paper has no such row.
	PaperMode string
}

// InGuest says whether the row boots a guest under QEMU.
func (v *Variant) InGuest() bool { return v.Kind != Host }

// PaperSetup is the paper's name for where the row runs.
func (v *Variant) PaperSetup() string {
	switch v.Kind {
	case Unikraft:
		return "unikraft-guest"
	case LinuxGuest:
		return "linux-guest"
	}
	return "linux-metal"
}

// HasPaper says whether the paper measured this row.
func (v *Variant) HasPaper() bool { return v.PaperMode != "" }

// Argv is the program's command line in a run: Args, the address flag
// with addr for a program that drives the NIC itself, then the run's
// server arguments.
func (v *Variant) Argv(addr string, server []string) []string {
	argv := append([]string(nil), v.Args...)
	if v.AddressFlag != "" {
		argv = append(argv, v.AddressFlag, addr)
	}
	return append(argv, server...)
}

// ProgramPath is where the row's program is: bin/PROGRAM of the
// repository, or the Debian package's program on PATH; a missing one
// says how to get it.
func (v *Variant) ProgramPath(repo string) (string, error) {
	if v.Package != "" {
		path, err := exec.LookPath(v.Program)
		if err != nil {
			return "", Missingf("%s of %s not found: install the Debian package %s", v.Program, v.Name, v.Package)
		}
		return path, nil
	}
	path := filepath.Join(repo, "bin", v.Program)
	if _, err := os.Stat(path); err != nil {
		return "", Missingf("%s of variant %s is missing: run `make`", filepath.Join("bin", v.Program), v.Name)
	}
	return path, nil
}

// registry holds every row in the order of the reports.
var registry []*Variant

func register(v *Variant) { registry = append(registry, v) }

// All returns every row in report order.
func All() []*Variant { return slices.Clone(registry) }

// OfKind returns the rows of one kind, in report order.
func OfKind(k Kind) []*Variant {
	return filterOf(registry, func(v *Variant) bool { return v.Kind == k })
}

// Guests returns the rows that boot a guest, in report order.
func Guests() []*Variant { return filterOf(registry, (*Variant).InGuest) }

// Names returns the names of vs.
func Names(vs []*Variant) []string {
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = v.Name
	}
	return names
}

// Elfloader says whether v is a Unikraft image that loads an unmodified
// Linux binary rather than linking the server.
func (v *Variant) Elfloader() bool { return v.Kind == Unikraft && v.App != "" }

// Lookup finds a row by name; an unknown name lists the valid ones.
func Lookup(name string) (*Variant, error) {
	v, ok := find(name)
	if !ok {
		return nil, unknown(name, registry)
	}
	return v, nil
}

// find finds a registry row, or ROW@PROFILE: the Unikraft row ROW in
// that profile.
func find(name string) (*Variant, bool) {
	if row, profile, ok := splitProfile(name); ok {
		v, found := find(row)
		p, err := LookupProfile(profile)
		if !found || err != nil || v.Kind != Unikraft || p.Name == DefaultProfile {
			return nil, false
		}
		return v.InProfile(p), true
	}
	for _, v := range registry {
		if v.Name == name {
			return v, true
		}
	}
	return nil, false
}

func unknown(name string, valid []*Variant) error {
	return fmt.Errorf("unknown row %q (valid: %s)", name, strings.Join(Names(valid), ", "))
}

// Select returns the named rows of among in report order, each once; no
// name means all of among. A name that is unknown, or not among them,
// is an error listing the valid ones.
func Select(names []string, among []*Variant) ([]*Variant, error) {
	if len(names) == 0 {
		return slices.Clone(among), nil
	}
	for _, name := range names {
		v, ok := find(name)
		if !ok {
			return nil, unknown(name, among)
		}
		if !slices.ContainsFunc(among, func(a *Variant) bool { return a.Name == v.base() }) {
			return nil, fmt.Errorf("%s is a %s row: not one of %s", name, v.Kind, strings.Join(Names(among), ", "))
		}
	}
	var picked []*Variant
	for _, a := range among {
		for _, name := range names {
			if v, _ := find(name); v.base() == a.Name && !slices.ContainsFunc(picked, func(p *Variant) bool { return p.Name == v.Name }) {
				picked = append(picked, v)
			}
		}
	}
	return picked, nil
}

// base is the name of the registry row v is, or was derived from.
func (v *Variant) base() string {
	row, _, _ := splitProfile(v.Name)
	return row
}

func filterOf(vs []*Variant, keep func(*Variant) bool) []*Variant {
	var kept []*Variant
	for _, v := range vs {
		if keep(v) {
			kept = append(kept, v)
		}
	}
	return kept
}
