package report

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Stamp says how a report was made, so that a figure can be traced to
// the command, the moment and the machine behind it.
type Stamp struct {
	// Command is the shell-quoted command line.
	Command string    `json:"command"`
	Date    time.Time `json:"date"`
	Machine Machine   `json:"machine"`
	// Info holds free-form facts such as source revisions.
	Info map[string]string `json:"info"`
}

// NewStamp stamps a report made now by this process on this machine.
// accelerator is what the guests ran on (kvm, tcg), or "" when none did;
// info holds free-form facts such as source revisions.
func NewStamp(accelerator string, info map[string]string) Stamp {
	m := ReadMachine(os.DirFS("/"))
	m.Accelerator = accelerator
	return Stamp{
		Command: QuoteCommand(os.Args),
		Date:    time.Now().UTC().Truncate(time.Second),
		Machine: m,
		Info:    info,
	}
}

// check refuses an empty stamp: every output must say how it was made.
func (s Stamp) check() error {
	if s.Command == "" || s.Date.IsZero() {
		return errors.New("no stamp (make one with report.NewStamp)")
	}
	return nil
}

// QuoteCommand joins a command line so that a POSIX shell reads it back
// as the same words. The program is named without its folder: a report
// says what was run, not where this machine keeps it.
func QuoteCommand(args []string) string {
	words := make([]string, len(args))
	for i, a := range args {
		if i == 0 {
			a = filepath.Base(a)
		}
		words[i] = shellQuote(a)
	}
	return strings.Join(words, " ")
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`)

func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// infoKeys returns the keys of Info in order, so every output lists them alike.
func (s Stamp) infoKeys() []string {
	keys := make([]string, 0, len(s.Info))
	for k := range s.Info {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// infoLine lists Info as "key=value" pairs in key order.
func (s Stamp) infoLine() string {
	keys := s.infoKeys()
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = k + "=" + s.Info[k]
	}
	return strings.Join(pairs, ", ")
}

// fields lists the stamp as key/value pairs in a fixed order, named as in
// the JSON form; CSV writes them as comment lines.
func (s Stamp) fields() [][2]string {
	m := s.Machine
	f := [][2]string{
		{"command", s.Command},
		{"date", s.Date.Format(time.RFC3339)},
		{"machine.cpu", m.CPU},
		{"machine.cores", fmt.Sprint(m.Cores)},
		{"machine.memory_bytes", fmt.Sprint(m.MemoryBytes)},
		{"machine.kernel", m.Kernel},
		{"machine.distro", m.Distro},
		{"machine.accelerator", m.Accelerator},
	}
	for _, k := range s.infoKeys() {
		f = append(f, [2]string{"info." + k, s.Info[k]})
	}
	return f
}
