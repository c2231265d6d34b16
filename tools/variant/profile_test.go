package variant

import (
	"strings"
	"testing"
)

func TestSizeProfileAddsItsKConfigUnderItsOwnName(t *testing.T) {
	p, err := LookupProfile("size")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := Lookup("raw-uknetdev")
	sized := raw.InProfile(p)
	if sized.Name != "raw-uknetdev@size" || sized.ImageName() != "raw-uknetdev-size" || sized.ProfileName() != "size" {
		t.Errorf("named %q, image %q, profile %q", sized.Name, sized.ImageName(), sized.ProfileName())
	}
	for k, v := range p.KConfig {
		if sized.KConfig[k] != v {
			t.Errorf("%s=%q, want %q", k, sized.KConfig[k], v)
		}
		if _, ok := raw.KConfig[k]; ok {
			t.Errorf("the perf row got %s too", k)
		}
	}
	if raw.ProfileName() != DefaultProfile || raw.InProfile(profiles[0]) != raw {
		t.Error("the default profile is not the registry's row itself")
	}
	linux, _ := Lookup("linux-single")
	if linux.InProfile(p) != linux {
		t.Error("a Linux row changed with the build profile")
	}
}

func TestProfiledNamesAreLookedUpAndSelected(t *testing.T) {
	v, err := Lookup("lwip-socket@size")
	if err != nil || v.Profile != "size" {
		t.Fatalf("%v, %+v", err, v)
	}
	for _, bad := range []string{"lwip-socket@fast", "linux-single@size", "nope@size", "lwip-socket@perf"} {
		if _, err := Lookup(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	got, err := Select([]string{"lwip-socket@size", "raw-uknetdev"}, OfKind(Unikraft))
	if err != nil || strings.Join(Names(got), ",") != "raw-uknetdev,lwip-socket@size" {
		t.Errorf("%v: %v", err, Names(got))
	}
	if _, err := LookupProfile("fast"); err == nil || !strings.Contains(err.Error(), "perf, size") {
		t.Errorf("unknown profile: %v", err)
	}
}
