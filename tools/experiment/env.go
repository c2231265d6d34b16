// Package experiment holds the measurements of ukkv: loopback, boot
// time, compare and the Table 4 benchmark. Each takes rows of the
// registry and options, and returns its report (tables and charts,
// stamped by tools/provenance); printing and writing it is the caller's.
package experiment

import (
	"context"

	"github.com/ukkv/ukkv/tools/build"
	"github.com/ukkv/ukkv/tools/qemu"
	"github.com/ukkv/ukkv/tools/report"
	"github.com/ukkv/ukkv/tools/sources"
)

// Env is what every experiment and boot of one command shares: the
// repository, the cache, and the accelerator, chosen once.
type Env struct {
	Repo, Cache string
	accel       *qemu.Verdict
}

// NewEnv finds the repository and the cache.
func NewEnv() (*Env, error) {
	repo, err := build.RepoRoot()
	if err != nil {
		return nil, err
	}
	cache, err := sources.DefaultDir()
	if err != nil {
		return nil, err
	}
	return &Env{Repo: repo, Cache: cache}, nil
}

// NewGuestEnv is NewEnv for a command that boots guests: it also fails
// at once when QEMU is missing.
func NewGuestEnv() (*Env, error) {
	if _, err := qemu.Binary(); err != nil {
		return nil, err
	}
	return NewEnv()
}

// Accel is the accelerator guests run on: the one place that chooses it,
// by a probe boot (cached), warning when it is not KVM. Call it once the
// input is known to be good: the first call may take seconds.
func (e *Env) Accel(ctx context.Context) (qemu.Verdict, error) {
	if e.accel == nil {
		v, err := qemu.ChooseAccel(ctx, e.Cache)
		if err != nil {
			return qemu.Verdict{}, err
		}
		v.Warn()
		e.accel = &v
	}
	return *e.accel, nil
}

// Report is what an experiment found: a table and its charts, to be
// written as results/NAME/BASE.* (JSON, CSV, Markdown, SVG); BASE is
// NAME unless set.
type Report struct {
	Name, Base string
	Table      *report.Table
	Charts     []*report.BarChart
}

// FileBase is the name the report's files start with.
func (r *Report) FileBase() string {
	if r.Base != "" {
		return r.Base
	}
	return r.Name
}
