package qemu

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	log "github.com/sirupsen/logrus"
	"golang.org/x/sys/unix"

	"github.com/ukkv/ukkv/tools/process"
)

const (
	probeTimeout = 20 * time.Second
	probeMemMiB  = 64
	// A KVM that boots the floor kernel more than kvmSlowdown times
	// slower than TCG (and over kvmMinTime) traps and emulates rather
	// than accelerates; real guests hang or fail on such machines.
	kvmSlowdown = 3
	kvmMinTime  = time.Second
)

// Verdict is the accelerator chosen for this machine and why.
type Verdict struct {
	Accel  Accel  `json:"accel"`
	Reason string `json:"reason"`
}

// ChooseAccel returns KVM if a probe boot proves it works here, else TCG
// with the reason. The verdict is cached in cacheDir per machine, QEMU
// version and host kernel; UKKV_ACCEL=kvm|tcg overrides it.
func ChooseAccel(ctx context.Context, cacheDir string) (Verdict, error) {
	if forced := os.Getenv("UKKV_ACCEL"); forced != "" {
		if forced != string(KVM) && forced != string(TCG) {
			return Verdict{}, fmt.Errorf("UKKV_ACCEL=%s: want kvm or tcg", forced)
		}
		return Verdict{Accel: Accel(forced), Reason: "set by UKKV_ACCEL"}, nil
	}
	path := filepath.Join(cacheDir, "accel", machineKey()+".json")
	var v Verdict
	if data, err := os.ReadFile(path); err == nil && json.Unmarshal(data, &v) == nil && v.Accel != "" {
		return v, nil
	}
	v, err := probe(ctx)
	if err != nil {
		return Verdict{}, err
	}
	if data, err := json.Marshal(v); err == nil {
		if os.MkdirAll(filepath.Dir(path), 0o755) == nil {
			_ = os.WriteFile(path, data, 0o644) // a lost cache only costs a probe
		}
	}
	return v, nil
}

// Warn logs why a guest runs under TCG.
func (v Verdict) Warn() {
	if v.Accel == TCG {
		log.Warnf("running under TCG (software emulation, slow): %s", v.Reason)
	}
}

// machineKey names this machine, its QEMU and its kernel.
func machineKey() string {
	id, _ := os.ReadFile("/etc/machine-id")
	var u unix.Utsname
	_ = unix.Uname(&u)
	ver, _ := exec.Command(qemuBinary, "--version").Output()
	first, _, _ := strings.Cut(string(ver), "\n")
	key := strings.TrimSpace(string(id)) + "-" + unix.ByteSliceToString(u.Release[:]) + "-" + first
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, key)
}

// probe boots the floor kernel under KVM and TCG and compares.
func probe(ctx context.Context) (Verdict, error) {
	if _, err := os.Stat("/dev/kvm"); err != nil {
		return Verdict{Accel: TCG, Reason: "/dev/kvm is missing"}, nil
	}
	dir, err := process.OwnedTempDir("accel-probe")
	if err != nil {
		return Verdict{}, err
	}
	defer os.RemoveAll(dir)
	kernel := filepath.Join(dir, "floor.elf")
	if err := WriteFloorKernel(kernel); err != nil {
		return Verdict{}, err
	}
	log.Info("probing whether KVM can run guests here (once per machine)")
	kvm, kvmErr := probeBoot(ctx, KVM, kernel)
	if ctx.Err() != nil {
		return Verdict{}, ctx.Err()
	}
	if kvmErr != nil {
		return Verdict{Accel: TCG, Reason: "a KVM probe boot failed: " + kvmErr.Error()}, nil
	}
	tcg, err := probeBoot(ctx, TCG, kernel)
	if err != nil {
		return Verdict{}, fmt.Errorf("TCG probe boot: %w", err)
	}
	if kvm > kvmMinTime && kvm > kvmSlowdown*tcg {
		return Verdict{Accel: TCG, Reason: fmt.Sprintf(
			"/dev/kvm answers but a KVM probe boot took %s against %s under TCG (a nested or paravirtual KVM that emulates instead of accelerating; real guests fail on it)",
			kvm.Round(time.Millisecond), tcg.Round(time.Millisecond))}, nil
	}
	return Verdict{Accel: KVM, Reason: fmt.Sprintf("probe boot in %s (TCG: %s)",
		kvm.Round(time.Millisecond), tcg.Round(time.Millisecond))}, nil
}

// probeBoot boots the floor kernel and returns the time to its line.
func probeBoot(ctx context.Context, accel Accel, kernel string) (time.Duration, error) {
	con := NewConsole(FloorReadyLine)
	// QEMU pauses rather than exits on a KVM internal error.
	kvmError := con.Watch("KVM internal error")
	start := time.Now()
	p, err := Start(Machine{Accel: accel, MemoryMiB: probeMemMiB, Kernel: kernel}, nil, con)
	if err != nil {
		return 0, err
	}
	defer p.Stop(2 * time.Second)
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	select {
	case <-con.Ready():
		return con.ReadyAt().Sub(start), nil
	case <-p.Done():
		return 0, fmt.Errorf("QEMU ended (%v): %s", p.Err(), lastLine(con.Tail()))
	case <-kvmError:
		return 0, errors.New("KVM internal error (QEMU cannot emulate an instruction of the probe kernel; Unikraft images stop the same way)")
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return 0, fmt.Errorf("no output after %s: %s", probeTimeout, lastLine(con.Tail()))
		}
		return 0, ctx.Err()
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
