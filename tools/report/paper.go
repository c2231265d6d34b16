package report

import (
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// table4CSV is the paper's Table 4, kept in the project as its own data.
//
//go:embed paper/table4.csv
var table4CSV string

// PaperRow is one published result of the paper's Table 4.
type PaperRow struct {
	Setup string // linux-metal, linux-guest, unikraft-guest
	Mode  string // single, batch, dpdk, lwip, uknetdev
	// RequestsPerSecond is the published throughput.
	RequestsPerSecond float64
	Meaning           string
}

// Table4 is the paper's Table 4 (EuroSys'21, "Unikraft: Fast, Specialized
// Unikernels the Easy Way"): the UDP key-value store's throughput.
type Table4 struct {
	Rows []PaperRow
	// The baselines every result is compared with.
	single, dpdk float64
}

// Ratios relates a throughput to the two baselines of the comparison.
type Ratios struct {
	VsLinuxSingle float64 // value / linux-guest single
	VsLinuxDPDK   float64 // value / linux-guest dpdk
}

// PaperTable4 returns the paper's Table 4 as embedded in the program.
func PaperTable4() (*Table4, error) { return ParseTable4(strings.NewReader(table4CSV)) }

// ParseTable4 reads a table in the layout of paper/table4.csv: '#'
// comments, a header "setup,mode,throughput,meaning", and throughputs such
// as "590 K/s" or "6.1 M/s". Both baselines must be present.
func ParseTable4(r io.Reader) (*Table4, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = 4
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("paper table 4: %w", err)
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != "setup,mode,throughput,meaning" {
		return nil, errors.New(`paper table 4: header must be "setup,mode,throughput,meaning"`)
	}
	t := &Table4{}
	for _, rec := range recs[1:] {
		rps, err := ParseThroughput(rec[2])
		if err != nil {
			return nil, fmt.Errorf("paper table 4, %s %s: %w", rec[0], rec[1], err)
		}
		t.Rows = append(t.Rows, PaperRow{Setup: rec[0], Mode: rec[1], RequestsPerSecond: rps, Meaning: rec[3]})
	}
	if t.single, err = t.Find("linux-guest", "single"); err != nil {
		return nil, err
	}
	if t.dpdk, err = t.Find("linux-guest", "dpdk"); err != nil {
		return nil, err
	}
	return t, nil
}

// Find returns the throughput of one row.
func (t *Table4) Find(setup, mode string) (float64, error) {
	for _, r := range t.Rows {
		if r.Setup == setup && r.Mode == mode {
			return r.RequestsPerSecond, nil
		}
	}
	return 0, fmt.Errorf("paper table 4 has no row %s %s", setup, mode)
}

// Ratios relates a throughput to the paper's linux-guest single and
// linux-guest dpdk rows.
func (t *Table4) Ratios(requestsPerSecond float64) Ratios {
	return Ratios{VsLinuxSingle: requestsPerSecond / t.single, VsLinuxDPDK: requestsPerSecond / t.dpdk}
}

var plainNumber = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// ParseThroughput reads a rate such as "590 K/s", "6.1 M/s" or "42 /s"
// as requests per second.
func ParseThroughput(s string) (float64, error) {
	num, unit, ok := strings.Cut(strings.TrimSpace(s), " ")
	exponent := map[string]string{"/s": "", "K/s": "e3", "M/s": "e6", "G/s": "e9"}[unit]
	if !ok || (exponent == "" && unit != "/s") {
		return 0, fmt.Errorf("throughput %q: want a number, a space and /s, K/s, M/s or G/s", s)
	}
	// Scaling in the decimal text keeps "6.1 M/s" exactly 6100000.
	if !plainNumber.MatchString(num) {
		return 0, fmt.Errorf("throughput %q: %q is not a plain non-negative number", s, num)
	}
	return strconv.ParseFloat(num+exponent, 64)
}
