// Package kvload runs the DPDK load generator (bin/kvload) and reads its
// result: the command line from a Config, the process and the JSON it
// prints at the end.
package kvload

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/ukkv/ukkv/tools/dpdk"
)

// Workload is the load kvload generates.
type Workload struct {
	GetRatio  float64
	Keys      int
	ValueSize int
	// Zipf is the exponent of Zipf key popularity; 0 picks keys uniformly.
	Zipf float64
	// Rate > 0 is an open loop at Rate requests a second; otherwise
	// Window requests are kept outstanding.
	Rate   float64
	Window int
	// Warmup precedes the measured run of Duration.
	Duration, Warmup time.Duration
}

// ServerArgs are our KV server's options for the workload: the table
// holds every key, preloaded as kvload expects them (kv_preload_value).
func (w Workload) ServerArgs(port string) []string {
	return []string{"--port", port, "--capacity", fmt.Sprint(max(2*w.Keys, 1024)),
		"--preload", fmt.Sprint(w.Keys), "--value-size", fmt.Sprint(w.ValueSize)}
}

// Config is one run of kvload. Defaults gives every field a value.
type Config struct {
	Binary string
	// Port is the one DPDK port as a --vdev argument, e.g.
	// "net_vhost0,iface=SOCK", "net_tap0,iface=NAME" or "net_ring0".
	Port string
	// Prefix is the DPDK --file-prefix; unique to the run.
	Prefix string
	// CPU is where the polling core runs.
	CPU       int
	MemoryMiB int

	SrcIP, DstIP     net.IP
	SrcPort, DstPort int
	// DstMAC skips ARP when set.
	DstMAC string

	Workload
	// Timeout is how long a request waits for its reply before it is lost.
	Timeout time.Duration
	// LinkTimeout bounds each setup step: link up, ARP, first right reply.
	LinkTimeout time.Duration
	// Echo expects the requests themselves back from a loopback, to
	// measure the client's own ceiling.
	Echo bool
	// Fill SETs every key once first, for a server with no preload.
	Fill bool
	// Netns, if set, is the network namespace kvload runs in (its port an
	// af_packet on the namespace's end of a veth pair): a client host of
	// its own.
	Netns string
	// Steps runs the loads given to Generator.Step one after the other,
	// after one setup, instead of Workload's one load.
	Steps bool
}

// Defaults is a short closed-loop run, GET-heavy, over a small key set.
func Defaults() Config {
	return Config{
		Binary:    "bin/kvload",
		CPU:       dpdk.ClientCPU(),
		MemoryMiB: 128,
		SrcPort:   40000,
		DstPort:   11211,
		Workload: Workload{GetRatio: 0.9, Keys: 1000, ValueSize: 64, Window: 16,
			Duration: 5 * time.Second, Warmup: time.Second},
		Timeout:     500 * time.Millisecond,
		LinkTimeout: 30 * time.Second,
	}
}

// Validate reports the first field kvload would refuse.
func (c Config) Validate() error {
	switch {
	case c.Port == "":
		return errors.New("kvload: no port (a --vdev such as net_tap0,iface=NAME)")
	case c.Prefix == "":
		return errors.New("kvload: no DPDK file prefix")
	case c.SrcIP.To4() == nil || c.DstIP.To4() == nil:
		return fmt.Errorf("kvload: source %v and destination %v must be IPv4 addresses", c.SrcIP, c.DstIP)
	case c.Rate > 0 && c.Window > 0:
		return errors.New("kvload: a rate (open loop) and a window (closed loop) exclude each other")
	case c.Rate <= 0 && c.Window <= 0:
		return errors.New("kvload: give a rate or a window")
	case c.GetRatio < 0 || c.GetRatio > 1:
		return fmt.Errorf("kvload: GET ratio %g outside 0..1", c.GetRatio)
	case c.Keys < 1:
		return fmt.Errorf("kvload: %d keys", c.Keys)
	case c.Duration <= 0 || c.Warmup < 0 || c.Timeout <= 0 || c.LinkTimeout <= 0:
		return errors.New("kvload: durations and timeouts must be positive")
	}
	return nil
}

// Args is kvload's command line: EAL arguments, then its own.
func (c Config) Args() []string {
	eal := dpdk.EAL{Prefix: c.Prefix, Lcores: dpdk.Lcores(c.CPU), MemoryMiB: c.MemoryMiB,
		Vdevs: []string{c.Port},
		// the vhost library logs every message of the protocol
		LogLevels: []string{"lib.vhost.*:warning"}}
	args := append(eal.Args(),
		"--src-ip", c.SrcIP.String(), "--dst-ip", c.DstIP.String(),
		"--src-port", strconv.Itoa(c.SrcPort), "--dst-port", strconv.Itoa(c.DstPort),
		"--get-ratio", formatFloat(c.GetRatio),
		"--keys", strconv.Itoa(c.Keys), "--value-size", strconv.Itoa(c.ValueSize),
		"--duration", seconds(c.Duration), "--warmup", seconds(c.Warmup),
		"--timeout", seconds(c.Timeout), "--link-timeout", seconds(c.LinkTimeout))
	if c.DstMAC != "" {
		args = append(args, "--dst-mac", c.DstMAC)
	}
	if c.Zipf > 0 {
		args = append(args, "--dist", "zipf", "--zipf-s", formatFloat(c.Zipf))
	}
	if c.Rate > 0 {
		args = append(args, "--rate", formatFloat(c.Rate))
	} else {
		args = append(args, "--window", strconv.Itoa(c.Window))
	}
	if c.Echo {
		args = append(args, "--echo")
	}
	if c.Fill {
		args = append(args, "--fill")
	}
	if c.Steps {
		args = append(args, "--steps")
	}
	return args
}

func seconds(d time.Duration) string { return formatFloat(d.Seconds()) }

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
