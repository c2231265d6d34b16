package dpdk

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// hugepagesFree says whether free hugepages of at least needMiB are
// there and mounted, so that testpmd can use them instead of --no-huge.
func hugepagesFree(needMiB int) bool {
	free, sizeKiB := readMeminfo("HugePages_Free"), readMeminfo("Hugepagesize")
	return free*sizeKiB >= needMiB*1024 && hugetlbfsMounted()
}

// readMeminfo returns one number of /proc/meminfo, 0 when absent.
func readMeminfo(key string) int {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		if len(fields) >= 2 && fields[0] == key+":" {
			n, _ := strconv.Atoi(fields[1])
			return n
		}
	}
	return 0
}

func hugetlbfsMounted() bool {
	return len(hugetlbfsMounts()) > 0
}

// hugetlbfsMounts lists the mount points of hugetlbfs.
func hugetlbfsMounts() []string {
	data, err := os.ReadFile("/proc/mounts")
	if err != nil {
		return nil
	}
	var dirs []string
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && f[2] == "hugetlbfs" {
			dirs = append(dirs, f[1])
		}
	}
	return dirs
}
