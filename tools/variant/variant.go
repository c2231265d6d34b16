// Package variant is the registry: the one place that says what each
// variant of the KV server is and how it is built and booted.
package variant

import (
	"fmt"
	"sort"
	"strings"
)

// Kind says where a variant runs.
type Kind string

const (
	// Unikraft variants are built into a unikernel image.
	Unikraft Kind = "unikraft"
	// LinuxGuest variants run a Linux front end inside a Linux VM.
	LinuxGuest Kind = "linux-guest"
)

// Library is a Unikraft library a variant links, with the kconfig it sets.
type Library struct {
	Name    string
	KConfig map[string]string
}

// Variant describes one build of the KV server.
type Variant struct {
	Name        string
	Kind        Kind
	Description string
	// Sources are the C files of the app, relative to the repository root.
	Sources []string
	// Includes are header folders, relative to the repository root.
	Includes []string
	// KConfig is the Unikraft core configuration of the app.
	KConfig   map[string]string
	Libraries []Library
	// Program is the Linux front end binary a LinuxGuest variant runs.
	Program string
	// ReadyLine is the console text that says the guest serves.
	ReadyLine string
}

var registry = map[string]*Variant{}

func register(v *Variant) { registry[v.Name] = v }

// All returns every variant, Unikraft ones first, each group by name.
func All() []*Variant {
	vs := make([]*Variant, 0, len(registry))
	for _, v := range registry {
		vs = append(vs, v)
	}
	sort.Slice(vs, func(i, j int) bool {
		if vs[i].Kind != vs[j].Kind {
			return vs[i].Kind == Unikraft
		}
		return vs[i].Name < vs[j].Name
	})
	return vs
}

// OfKind returns the variants of one kind, in the order of All.
func OfKind(k Kind) []*Variant {
	var vs []*Variant
	for _, v := range All() {
		if v.Kind == k {
			vs = append(vs, v)
		}
	}
	return vs
}

// Names returns the names of vs.
func Names(vs []*Variant) []string {
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = v.Name
	}
	return names
}

// Lookup finds a variant by name; an unknown name lists the valid ones.
func Lookup(name string) (*Variant, error) {
	if v, ok := registry[name]; ok {
		return v, nil
	}
	return nil, fmt.Errorf("unknown variant %q (valid: %s)", name, strings.Join(Names(All()), ", "))
}
