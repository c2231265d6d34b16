package build

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// minKraft is the first kraft that reads Kraftfile spec v0.6, the spec
// the rendered Kraftfiles use.
var minKraft = [3]int{0, 7, 0}

// kraftInstall says where to get kraft.
const kraftInstall = "install kraft as README.md says (kraftkit's install script, packages or release binaries)"

// kraftVersionLine matches the first line of `kraft version`, such as
// "kraft 0.9.2 (b7229cd8) go1.22.1 2024-...", release or not.
var kraftVersionLine = regexp.MustCompile(`^kraft v?(\d+)\.(\d+)(?:\.(\d+))?\S*(?: \(([^)]*)\))?`)

// parseKraftVersion reads `kraft version` output into its version
// numbers and a short text for the manifest ("0.9.2 (b7229cd8)").
func parseKraftVersion(out string) (v [3]int, text string, err error) {
	line, _, _ := strings.Cut(strings.TrimSpace(out), "\n")
	m := kraftVersionLine.FindStringSubmatch(line)
	if m == nil {
		return v, "", fmt.Errorf("cannot read a version from `kraft version`: %q", line)
	}
	for i := range v {
		v[i], _ = strconv.Atoi(m[i+1]) // a missing patch number is 0
	}
	text = strings.TrimPrefix(strings.Fields(m[0])[1], "v")
	if m[4] != "" {
		text += " (" + m[4] + ")"
	}
	return v, text, nil
}

// checkKraftVersion refuses a kraft older than minKraft.
func checkKraftVersion(v [3]int, text string) error {
	if slices.Compare(v[:], minKraft[:]) < 0 {
		return fmt.Errorf("kraft %s is too old: the Kraftfiles are spec v0.6, which kraft %d.%d.%d and later read; %s",
			text, minKraft[0], minKraft[1], minKraft[2], kraftInstall)
	}
	return nil
}

// kraftVersion asks the kraft on PATH for its version and checks it.
func kraftVersion() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "kraft", "version")
	cmd.Env = append(os.Environ(), kraftEnv...)
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("running `kraft version`: %w", err)
	}
	v, text, err := parseKraftVersion(string(out))
	if err != nil {
		return "", err
	}
	return text, checkKraftVersion(v, text)
}
