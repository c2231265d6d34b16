package dpdk

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ukkv/ukkv/tools/process"
)

// runtimeDir holds a folder for each --file-prefix, which DPDK makes even
// with --no-shconf and never removes.
const runtimeDir = "/var/run/dpdk"

// RemoveRunFiles removes what a DPDK process of this prefix leaves
// behind once it ended: its runtime folder and, if it was killed, its
// hugepage files.
func RemoveRunFiles(prefix string) error {
	var errs []string
	for _, dir := range hugetlbfsMounts() {
		files, _ := filepath.Glob(filepath.Join(dir, prefix+"map_*"))
		for _, f := range files {
			if err := os.Remove(f); err != nil {
				errs = append(errs, err.Error())
			}
		}
	}
	if err := os.RemoveAll(filepath.Join(runtimeDir, prefix)); err != nil {
		errs = append(errs, err.Error())
	}
	if len(errs) > 0 {
		return fmt.Errorf("remove DPDK files of %s: %s", prefix, strings.Join(errs, "; "))
	}
	return nil
}

// Sweep removes the runtime folders and hugepage files of prefixes whose
// owner process is gone (see process.OwnedName): what runs killed with
// no teardown left. It returns what it removed.
func Sweep() ([]string, error) {
	var removed []string
	var errs []error
	for _, dir := range append([]string{runtimeDir}, hugetlbfsMounts()...) {
		paths, err := process.RemoveOrphans(dir)
		removed = append(removed, paths...)
		errs = append(errs, err)
	}
	return removed, errors.Join(errs...)
}
