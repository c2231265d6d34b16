package cli

import (
	"strings"
	"testing"

	"github.com/ukkv/ukkv/tools/variant"
)

func TestProfilesSideBySide(t *testing.T) {
	got, err := selectSideBySide([]string{"raw-uknetdev", "linux-single"}, variant.Guests(), []string{"perf", "size"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "raw-uknetdev,raw-uknetdev@size,linux-single"; strings.Join(variant.Names(got), ",") != want {
		t.Errorf("%v, want %s", variant.Names(got), want)
	}
	if _, err := selectSideBySide(nil, variant.Guests(), []string{"perf", "tiny"}); err == nil || !strings.Contains(err.Error(), "valid: perf, size") {
		t.Errorf("unknown profile: %v", err)
	}
}
