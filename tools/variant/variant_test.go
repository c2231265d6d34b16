package variant

import (
	"strings"
	"testing"
)

func TestSelectNoNameIsEveryRowInReportOrder(t *testing.T) {
	got, err := Select(nil, All())
	if err != nil {
		t.Fatal(err)
	}
	want := "raw-uknetdev,batched,lwip-socket,go-elfloader,elfloader-single,linux-single,linux-batch,go-linux,linux-dpdk,memcached,metal-single,metal-batch"
	if strings.Join(Names(got), ",") != want {
		t.Errorf("rows %v, want %s", Names(got), want)
	}
}

func TestSelectKeepsReportOrderAndDropsRepeats(t *testing.T) {
	got, err := Select([]string{"metal-single", "raw-uknetdev", "metal-single"}, All())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(Names(got), ",") != "raw-uknetdev,metal-single" {
		t.Errorf("rows %v, want raw-uknetdev,metal-single", Names(got))
	}
}

func TestSelectRefusesAnUnknownRowListingTheValidOnes(t *testing.T) {
	_, err := Select([]string{"linux-single", "metal-quad"}, Guests())
	if err == nil {
		t.Fatal("unknown row accepted")
	}
	for _, want := range append([]string{`"metal-quad"`}, Names(Guests())...) {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	if strings.Contains(err.Error(), "metal-single") {
		t.Errorf("error %q lists a row that is not valid here", err)
	}
}

func TestSelectRefusesARowOfAnotherKind(t *testing.T) {
	_, err := Select([]string{"metal-batch"}, Guests())
	if err == nil || !strings.Contains(err.Error(), "metal-batch is a host row") {
		t.Fatalf("host row among guests: %v", err)
	}
}

// TestEveryRowSaysHowItIsBuiltAndStarted walks the registry: names are
// unique, a Unikraft row has an app (a folder of ours and its inputs, or,
// loading a program, a pinned app) and a size budget, any other row a
// program, and a server that is not ours announces its port through init.
func TestEveryRowSaysHowItIsBuiltAndStarted(t *testing.T) {
	seen := map[string]bool{}
	for _, v := range All() {
		if seen[v.Name] || v.Name == "" || v.Description == "" {
			t.Errorf("row %q: empty or repeated name, or no description", v.Name)
		}
		seen[v.Name] = true
		switch v.Kind {
		case Unikraft:
			ours := v.AppFolder != "" && len(v.AppInputs) > 0 && v.App == "" && v.Program == ""
			loads := v.AppFolder == "" && v.App != "" && v.Program != ""
			if !ours && !loads || v.SizeBudget <= 0 {
				t.Errorf("Unikraft row %s: app folder %q, inputs %v, app %q, program %q, size budget %d",
					v.Name, v.AppFolder, v.AppInputs, v.App, v.Program, v.SizeBudget)
			}
		case LinuxGuest, Host:
			if v.Program == "" || v.App != "" || v.AppFolder != "" || v.SizeBudget != 0 {
				t.Errorf("%s row %s: program %q, app %q %q, size budget %d", v.Kind, v.Name, v.Program, v.App, v.AppFolder, v.SizeBudget)
			}
		default:
			t.Errorf("row %s: unknown kind %q", v.Name, v.Kind)
		}
		if v.InGuest() && !v.Preloads && v.ReadyUDP == 0 {
			t.Errorf("row %s prints no ready line and init announces none", v.Name)
		}
		if (v.DPDK || v.AddressFlag != "") && v.Kind != LinuxGuest {
			t.Errorf("row %s: a DPDK program runs in the Linux guest only", v.Name)
		}
	}
}

func TestArgvPutsTheRowsArgumentsAndAddressBeforeTheRuns(t *testing.T) {
	v := &Variant{Args: []string{"-l", "0", "--"}, AddressFlag: "--ip"}
	got := strings.Join(v.Argv("10.0.0.2", []string{"--port", "1"}), " ")
	if got != "-l 0 -- --ip 10.0.0.2 --port 1" {
		t.Errorf("argv %q", got)
	}
	plain := &Variant{}
	if got := strings.Join(plain.Argv("10.0.0.2", []string{"--port", "1"}), " "); got != "--port 1" {
		t.Errorf("argv without address flag %q", got)
	}
}

func TestProgramPathSaysHowToGetAMissingProgram(t *testing.T) {
	for _, tc := range []struct {
		v    *Variant
		want string
	}{
		{&Variant{Name: "x", Program: "kvstore-x"}, "bin/kvstore-x of variant x is missing: run `make`"},
		{&Variant{Name: "y", Program: "no-such-program-here", Package: "pkg-y"}, "install the Debian package pkg-y"},
	} {
		_, err := tc.v.ProgramPath(t.TempDir())
		if err == nil || !IsMissing(err) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want a missing-program error saying %q", tc.v.Name, err, tc.want)
		}
	}
}
