package kraftfile

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseLongAndShortForms(t *testing.T) {
	k, err := Parse([]byte(`spec: v0.6
name: app
unikraft: stable
libraries:
  lwip:
    version: RELEASE-0.16.2
    kconfig:
      - CONFIG_LIBLWIP=y
      - CONFIG_LWIP_UKNETDEV=y
targets:
  - qemu/x86_64
  - platform: fc
    architecture: x86_64
`))
	if err != nil {
		t.Fatal(err)
	}
	if k.Unikraft.Version != "stable" {
		t.Errorf("unikraft version %q, want stable", k.Unikraft.Version)
	}
	want := map[string]string{"CONFIG_LIBLWIP": "y", "CONFIG_LWIP_UKNETDEV": "y"}
	if got := k.Libraries["lwip"].KConfig; !reflect.DeepEqual(got, want) {
		t.Errorf("lwip kconfig %v, want %v", got, want)
	}
	wantTargets := []Target{{"qemu", "x86_64"}, {"fc", "x86_64"}}
	if !reflect.DeepEqual(k.Targets, wantTargets) {
		t.Errorf("targets %v, want %v", k.Targets, wantTargets)
	}
}

func TestMarshalParsesBackAndIsStable(t *testing.T) {
	k := &Kraftfile{
		Spec: Spec, Name: "app",
		Unikraft:  Component{Version: "RELEASE-0.16.3", KConfig: map[string]string{"CONFIG_B": "y", "CONFIG_A": "n"}},
		Libraries: map[string]Component{"lwip": {Source: "https://example.org/lib-lwip.git", Version: "v1"}},
		Targets:   []Target{{"qemu", "x86_64"}},
	}
	first, err := k.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(first)
	if err != nil {
		t.Fatalf("parse of %s: %v", first, err)
	}
	if !reflect.DeepEqual(back, k) {
		t.Errorf("parsed back %+v, want %+v", back, k)
	}
	second, _ := back.Marshal()
	if string(first) != string(second) {
		t.Errorf("marshal not stable:\n%s\n%s", first, second)
	}
	if strings.Index(string(first), "CONFIG_A") > strings.Index(string(first), "CONFIG_B") {
		t.Errorf("kconfig keys not sorted:\n%s", first)
	}
}

func TestParseRefusesBrokenKraftfiles(t *testing.T) {
	for name, text := range map[string]string{
		"not yaml":       "spec: v0.6\nname: [unclosed\n",
		"old spec":       "spec: v0.5\nname: a\nunikraft: stable\ntargets: [qemu/x86_64]\n",
		"no name":        "spec: v0.6\nunikraft: stable\ntargets: [qemu/x86_64]\n",
		"no targets":     "spec: v0.6\nname: a\nunikraft: stable\n",
		"bad target":     "spec: v0.6\nname: a\nunikraft: stable\ntargets: [qemu]\n",
		"bad key":        "spec: v0.6\nname: a\nunikraft:\n  kconfig:\n    LIBLWIP: y\ntargets: [qemu/x86_64]\n",
		"bad list entry": "spec: v0.6\nname: a\nunikraft:\n  kconfig: [CONFIG_X]\ntargets: [qemu/x86_64]\n",
		"kconfig scalar": "spec: v0.6\nname: a\nunikraft:\n  kconfig: y\ntargets: [qemu/x86_64]\n",
	} {
		if _, err := Parse([]byte(text)); err == nil {
			t.Errorf("%s: parsed without error", name)
		}
	}
}
