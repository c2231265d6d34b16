// Package profile measures what one request costs in each Unikraft
// variant, in guest instructions counted by QEMU (the tbcount plugin)
// rather than in time, and charges them to the components of the
// system: KV core, packet parsing, libc string functions, driver,
// network stack, kernel. Counts do not depend on how busy the machine
// is, so two builds can be compared on a shared one.
package profile

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	log "github.com/sirupsen/logrus"

	"github.com/ukkv/ukkv/tools/boot"
	"github.com/ukkv/ukkv/tools/build"
	"github.com/ukkv/ukkv/tools/kvload"
	"github.com/ukkv/ukkv/tools/qemu"
	"github.com/ukkv/ukkv/tools/symbols"
	"github.com/ukkv/ukkv/tools/variant"
)

// Config is how to profile.
type Config struct {
	Repo, Cache string
	Accel       qemu.Accel
	// Plugin is bin/tbcount.so, KVLoad bin/kvload.
	Plugin, KVLoad string
	// Workload is kvload's: its Warmup comes first, then Requests are
	// measured, within a Duration long enough for them.
	Workload kvload.Workload
	Requests int
	// Idle is how long the guest is left alone to learn its idle loop.
	Idle time.Duration
	// Runs are the boots per variant, each measured on its own.
	Runs         int
	ReadyTimeout time.Duration
}

// Defaults profiles 50,000 requests of the bench's workload, twice.
func Defaults(repo, cache string) Config {
	w := kvload.Defaults().Workload
	w.Window = 32
	// a bound, not a target: the run ends after its requests
	w.Duration = 10 * time.Minute
	return Config{
		Repo: repo, Cache: cache, Requests: 50000,
		Plugin: filepath.Join(repo, "bin", "tbcount.so"), KVLoad: filepath.Join(repo, "bin", "kvload"),
		Workload: w, Idle: time.Second, Runs: 2, ReadyTimeout: boot.DefaultReadyTimeout,
	}
}

func (c Config) check() error {
	for _, bin := range []string{c.Plugin, c.KVLoad} {
		if _, err := os.Stat(bin); err != nil {
			return fmt.Errorf("%w: run `make`", err)
		}
	}
	if os.Geteuid() != 0 {
		return fmt.Errorf("profile needs root (DPDK, vhost-user)")
	}
	if c.Runs < 1 || c.Requests < 1 || c.Idle <= 0 {
		return fmt.Errorf("profile: want at least 1 run, 1 request and some idle time")
	}
	return nil
}

// loadConfig is kvload's run: the workload in steps, the warm-up then
// the measured requests, with a timeout long enough that no request of
// a slowed guest is taken for lost.
func (c Config) loadConfig() kvload.Config {
	lc := kvload.Defaults()
	lc.Binary = c.KVLoad
	lc.Workload = c.Workload
	lc.Steps = true
	lc.DstPort = guestPort
	lc.Timeout = 5 * time.Second
	lc.LinkTimeout = c.ReadyTimeout
	return lc
}

// Variant profiles one Unikraft variant, or a Linux row of our C servers, over cfg.Runs boots; it also
// returns the image profiled.
func Variant(ctx context.Context, cfg Config, v *variant.Variant) (*Result, *boot.Image, error) {
	if err := cfg.check(); err != nil {
		return nil, nil, err
	}
	name := v.Name
	img, syms, err := imageAndSymbols(ctx, cfg, v)
	if err != nil {
		return nil, nil, err
	}
	r := &Result{Variant: name}
	for i := 0; i < cfg.Runs; i++ {
		log.Infof("profiling %s, run %d of %d: %d requests", name, i+1, cfg.Runs, cfg.Requests)
		s, err := measure(ctx, cfg, img)
		if err != nil {
			return nil, nil, err
		}
		c := attribute(s, syms)
		log.Infof("%s: %.0f instructions a request, %.0f more idle", name, c.Total(), c.Idle)
		r.Runs = append(r.Runs, c)
	}
	return r, img, nil
}

// Profilable are the rows whose code is known: the Unikraft variants,
// and our own static programs in a Linux guest (the DPDK and socket
// servers), whose user space is charged to their functions and whose
// kernel, read as a whole, to the guest kernel.
func Profilable() []*variant.Variant {
	return slices.DeleteFunc(variant.All(), func(v *variant.Variant) bool { return !profilable(v) })
}

func profilable(v *variant.Variant) bool {
	return v.Kind == variant.Unikraft || v.Kind == variant.LinuxGuest && ownCProgram(v)
}

// ownCProgram says whether a row runs one of our C servers of bin/
// (built with debug information), not a Debian package's program or
// the Go server.
func ownCProgram(v *variant.Variant) bool {
	return v.Package == "" && strings.HasPrefix(v.Program, "kvstore-linux-")
}

// imageAndSymbols finds a variant's image and its functions: a
// Unikraft variant's attributed to libraries from its build folder, a
// program's in a Linux guest to its own compile units and what it links
// (DPDK, the C library), the guest kernel's code as one.
func imageAndSymbols(ctx context.Context, cfg Config, v *variant.Variant) (*boot.Image, *symbols.Table, error) {
	if !profilable(v) {
		return nil, nil, fmt.Errorf("profile: only the symbols of Unikraft variants and our C servers in a Linux guest are read (rows: %v)",
			variant.Names(Profilable()))
	}
	img, err := boot.ImageFor(ctx, cfg.Repo, cfg.Cache, v)
	if err != nil {
		return nil, nil, err
	}
	syms, err := symbolsOf(cfg, v)
	return img, syms, err
}

func symbolsOf(cfg Config, v *variant.Variant) (*symbols.Table, error) {
	if v.Kind == variant.LinuxGuest {
		program, err := v.ProgramPath(cfg.Repo)
		if err != nil {
			return nil, err
		}
		others := symbols.LibcLibrary
		if v.DPDK {
			others = symbols.DPDKLibrary
		}
		return symbols.LoadProgram(program, others)
	}
	art, err := build.ArtifactsOf(cfg.Repo, v.Name)
	if err != nil {
		return nil, err
	}
	syms, err := symbols.Load(art.Debug)
	if err != nil {
		return nil, err
	}
	if err := syms.Attribute(art.Objects); err != nil {
		return nil, err
	}
	return syms, nil
}
