package cli

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ukkv/ukkv/tools/variant"
)

// addProfileFlag adds --profile, the build profile of the Unikraft rows.
func addProfileFlag(cmd *cobra.Command, profile *string) {
	cmd.Flags().StringVar(profile, "profile", variant.DefaultProfile,
		"build profile of the Unikraft rows ("+strings.Join(variant.ProfileNames(), ", ")+"); ROW@PROFILE names one row's")
}

// selectInProfile selects the named rows among some, as variant.Select
// does, and takes the Unikraft ones in the build profile.
func selectInProfile(names []string, among []*variant.Variant, profile string) ([]*variant.Variant, error) {
	p, err := variant.LookupProfile(profile)
	if err != nil {
		return nil, err
	}
	rows, err := variant.Select(names, among)
	if err != nil {
		return nil, err
	}
	return variant.InProfiles(rows, p), nil
}

// selectSideBySide selects the named rows among some and puts each
// Unikraft one in every listed profile, one after the other.
func selectSideBySide(names []string, among []*variant.Variant, profileNames []string) ([]*variant.Variant, error) {
	rows, err := variant.Select(names, among)
	if err != nil {
		return nil, err
	}
	var ps []variant.Profile
	for _, name := range profileNames {
		p, err := variant.LookupProfile(name)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	var out []*variant.Variant
	for _, v := range rows {
		for _, p := range ps {
			if pv := v.InProfile(p); !slices.Contains(out, pv) {
				out = append(out, pv)
			}
		}
	}
	return out, nil
}
