package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func TestDurationFlagsTakeSecondsOrGoDurations(t *testing.T) {
	for text, want := range map[string]time.Duration{
		"5": 5 * time.Second, "0.5": 500 * time.Millisecond, "30s": 30 * time.Second,
		"1m30s": 90 * time.Second, "0": 0, "250ms": 250 * time.Millisecond,
	} {
		got, err := parseSeconds(text)
		if err != nil || got != want {
			t.Errorf("%q: %v, %v; want %v", text, got, err, want)
		}
	}
	for _, bad := range []string{"", "5x", "NaN", "Inf", "1e300", "s"} {
		if _, err := parseSeconds(bad); err == nil || !strings.Contains(err.Error(), "seconds") {
			t.Errorf("%q: accepted or unclear error (%v)", bad, err)
		}
	}
}

// TestEveryDurationFlagTakesPlainSeconds: each command's duration flags
// parse "5" as five seconds.
func TestEveryDurationFlagTakesPlainSeconds(t *testing.T) {
	found := 0
	for _, c := range root.Commands() {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if f.Value.Type() != "duration" {
				return
			}
			found++
			if err := f.Value.Set("5"); err != nil {
				t.Errorf("%s --%s 5: %v", c.Name(), f.Name, err)
			} else if f.Value.String() != "5s" {
				t.Errorf("%s --%s 5 reads as %s", c.Name(), f.Name, f.Value)
			}
		})
	}
	if found < 4 {
		t.Errorf("found %d duration flags, want at least run's, loopback's and bench's 4", found)
	}
}
