// Package kraftfile is the Kraftfile (spec v0.6) as kraft reads it: the
// Unikraft core and libraries with their kconfig, and the targets.
package kraftfile

import (
	"fmt"
	"sort"
	"strings"
)

// Spec is the Kraftfile format version ukkv writes and reads.
const Spec = "v0.6"

// Kraftfile is one unikernel application.
type Kraftfile struct {
	Spec      string               `yaml:"spec"`
	Name      string               `yaml:"name"`
	Unikraft  Component            `yaml:"unikraft"`
	Libraries map[string]Component `yaml:"libraries,omitempty"`
	Targets   []Target             `yaml:"targets"`
	Cmd       []string             `yaml:"cmd,omitempty"`
}

// Component is the Unikraft core or a library: where it comes from, which
// version, and the kconfig it sets.
type Component struct {
	Source  string            `yaml:"source,omitempty"`
	Version string            `yaml:"version,omitempty"`
	KConfig map[string]string `yaml:"kconfig,omitempty"`
}

// Target is a platform/architecture pair such as qemu/x86_64.
type Target struct {
	Plat string
	Arch string
}

func (t Target) String() string { return t.Plat + "/" + t.Arch }

// LibraryNames returns the library names in a fixed order.
func (k *Kraftfile) LibraryNames() []string {
	names := make([]string, 0, len(k.Libraries))
	for name := range k.Libraries {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Validate checks what a build relies on.
func (k *Kraftfile) Validate() error {
	if k.Spec != Spec && "v"+k.Spec != Spec {
		return fmt.Errorf("spec %q: want %s", k.Spec, Spec)
	}
	if k.Name == "" {
		return fmt.Errorf("no name")
	}
	if len(k.Targets) == 0 {
		return fmt.Errorf("no targets")
	}
	for _, t := range k.Targets {
		if t.Plat == "" || t.Arch == "" {
			return fmt.Errorf("target %q: want plat/arch", t)
		}
	}
	if err := checkKConfig("unikraft", k.Unikraft.KConfig); err != nil {
		return err
	}
	for name, lib := range k.Libraries {
		if err := checkKConfig("library "+name, lib.KConfig); err != nil {
			return err
		}
	}
	return nil
}

func checkKConfig(owner string, kc map[string]string) error {
	for key := range kc {
		if !strings.HasPrefix(key, "CONFIG_") || strings.ContainsAny(key, " =\t\n") {
			return fmt.Errorf("%s: kconfig key %q is not a CONFIG_ symbol", owner, key)
		}
	}
	return nil
}
