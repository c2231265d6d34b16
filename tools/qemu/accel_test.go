package qemu

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUKKVAccelOverrides(t *testing.T) {
	t.Setenv("UKKV_ACCEL", "tcg")
	v, err := ChooseAccel(context.Background(), t.TempDir())
	if err != nil || v.Accel != TCG || !strings.Contains(v.Reason, "UKKV_ACCEL") {
		t.Errorf("UKKV_ACCEL=tcg: %+v %v", v, err)
	}
	t.Setenv("UKKV_ACCEL", "xen")
	if _, err := ChooseAccel(context.Background(), t.TempDir()); err == nil || !strings.Contains(err.Error(), "want kvm or tcg") {
		t.Errorf("UKKV_ACCEL=xen: %v", err)
	}
}

// TestCachedVerdictIsUsed plants a verdict no probe would give: it must
// come back as it is, without a probe.
func TestCachedVerdictIsUsed(t *testing.T) {
	t.Setenv("UKKV_ACCEL", "")
	dir := t.TempDir()
	path := filepath.Join(dir, "accel", machineKey()+".json")
	planted := Verdict{Accel: KVM, Reason: "planted by the test"}
	data, _ := json.Marshal(planted)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	v, err := ChooseAccel(context.Background(), dir)
	if err != nil || v != planted {
		t.Errorf("got %+v %v, want the cached %+v", v, err, planted)
	}
}

func TestMachineKeyIsAFileName(t *testing.T) {
	k := machineKey()
	if k == "" || strings.ContainsAny(k, "/ \n") {
		t.Errorf("machine key %q is no plain file name", k)
	}
}
