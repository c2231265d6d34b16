package hostnet

import (
	"errors"
	"os"

	"github.com/ukkv/ukkv/tools/process"
)

// Sweep removes what runs left behind whose owner process is gone
// (killed with no teardown): network devices, namespaces and folders in
// the temp folder (run folders and any other, see
// process.OwnedTempDir). It returns what it removed. State of live
// owners, and anything not named by process.OwnedName, stays.
func Sweep() ([]string, error) {
	var removed []string
	var errs []error
	// devices first: a veth pair's host end would otherwise outlive its
	// namespace for a while
	links, err := process.Orphans(linksDir)
	errs = append(errs, err)
	for _, name := range links {
		if err := RemoveLink(name); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, "network device "+name)
	}
	namespaces, err := process.Orphans(netnsDir)
	errs = append(errs, err)
	for _, name := range namespaces {
		if err := removeNamespace(name); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, "network namespace "+name)
	}
	dirs, err := process.RemoveOrphans(os.TempDir())
	return append(removed, dirs...), errors.Join(append(errs, err)...)
}
