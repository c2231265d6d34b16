package variant

import (
	"fmt"
	"strings"
)

// Profile is a way of building the Unikraft rows: the kconfig it adds to
// each row's own. A row built in a profile other than the default is
// named ROW@PROFILE (its build folder, Kraftfile folder and reports).
type Profile struct {
	Name        string
	Description string
	KConfig     map[string]string
}

// DefaultProfile is the build every row has without --profile.
const DefaultProfile = "perf"

// profileSep joins a row's name and a profile's.
const profileSep = "@"

var profiles = []Profile{
	{Name: DefaultProfile, Description: "optimised for speed (-O2), every library linked whole"},
	{Name: "size", Description: "optimised for size (-Os; the app's own request path -O2), unused sections dropped by the linker (dead-code elimination), link-time optimisation",
		KConfig: map[string]string{
			"CONFIG_OPTIMIZE_SIZE":     "y",
			"CONFIG_OPTIMIZE_DEADELIM": "y",
			"CONFIG_OPTIMIZE_LTO":      "y",
		}},
}

// Profiles lists the build profiles, the default first.
func Profiles() []Profile { return append([]Profile(nil), profiles...) }

// ProfileNames names the build profiles, the default first.
func ProfileNames() []string {
	names := make([]string, len(profiles))
	for i, p := range profiles {
		names[i] = p.Name
	}
	return names
}

// LookupProfile finds a profile by name; "" is the default. An unknown
// name lists the valid ones.
func LookupProfile(name string) (Profile, error) {
	if name == "" {
		name = DefaultProfile
	}
	for _, p := range profiles {
		if p.Name == name {
			return p, nil
		}
	}
	return Profile{}, fmt.Errorf("unknown profile %q (valid: %s)", name, strings.Join(ProfileNames(), ", "))
}

// InProfile is the row built in profile p: the row itself in the default
// profile, and for rows that build no Unikraft image; else a copy named
// ROW@PROFILE with the profile's kconfig on top of its own.
func (v *Variant) InProfile(p Profile) *Variant {
	if p.Name == DefaultProfile || v.Kind != Unikraft || v.Profile != "" {
		return v
	}
	c := *v
	c.Name = v.Name + profileSep + p.Name
	c.Profile = p.Name
	c.KConfig = withKConfig(v.KConfig, p.KConfig)
	return &c
}

// ProfileName is the profile the row is built in.
func (v *Variant) ProfileName() string {
	if v.Profile == "" {
		return DefaultProfile
	}
	return v.Profile
}

// InProfiles maps rows to profile p (see InProfile).
func InProfiles(vs []*Variant, p Profile) []*Variant {
	out := make([]*Variant, len(vs))
	for i, v := range vs {
		out[i] = v.InProfile(p)
	}
	return out
}

// splitProfile splits ROW@PROFILE.
func splitProfile(name string) (row, profile string, ok bool) {
	return strings.Cut(name, profileSep)
}

// ImageName is the name of the row's Unikraft image (its Kraftfile's
// name): the row's name with the profile joined by "-", since kraft and
// Unikraft's make take only names of letters, digits, "-" and "_".
func (v *Variant) ImageName() string { return strings.ReplaceAll(v.Name, profileSep, "-") }

// EveryProfile is each row in each profile, profile by profile.
func EveryProfile(vs []*Variant) []*Variant {
	var out []*Variant
	for _, p := range profiles {
		for _, v := range InProfiles(vs, p) {
			if p.Name == DefaultProfile || v.Profile != "" {
				out = append(out, v)
			}
		}
	}
	return out
}
