package cli

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/spf13/pflag"
)

// seconds is a duration flag that takes plain seconds ("5", "0.5") as
// well as Go durations ("30s", "1m30s").
type seconds struct{ d *time.Duration }

// durationFlag defines a duration flag of this kind on fs.
func durationFlag(fs *pflag.FlagSet, p *time.Duration, name string, value time.Duration, usage string) {
	*p = value
	fs.Var(seconds{p}, name, usage+" (seconds, or a duration such as 1m30s)")
}

func (s seconds) Set(text string) error {
	d, err := parseSeconds(text)
	if err != nil {
		return err
	}
	*s.d = d
	return nil
}

func (s seconds) String() string {
	if s.d == nil {
		return "0s"
	}
	return s.d.String()
}

func (seconds) Type() string { return "duration" }

// parseSeconds reads plain seconds or a Go duration.
func parseSeconds(text string) (time.Duration, error) {
	if secs, err := strconv.ParseFloat(text, 64); err == nil {
		if math.IsNaN(secs) || math.IsInf(secs, 0) || math.Abs(secs) > math.MaxInt64/float64(time.Second) {
			return 0, fmt.Errorf("%q: not a number of seconds", text)
		}
		return time.Duration(secs * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(text)
	if err != nil {
		return 0, fmt.Errorf("%q: want seconds (5, 0.5) or a duration (30s, 1m)", text)
	}
	return d, nil
}
