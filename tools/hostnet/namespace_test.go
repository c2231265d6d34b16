package hostnet

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/ukkv/ukkv/tools/internal/testenv"
	"github.com/ukkv/ukkv/tools/process"
)

// assertGone fails for each device or namespace that still exists.
func assertGone(t *testing.T, links []string, namespaces []string) {
	t.Helper()
	for _, l := range links {
		if LinkExists(l) {
			t.Errorf("device %s still exists", l)
		}
	}
	for _, n := range namespaces {
		if namespaceExists(n) {
			t.Errorf("namespace %s still exists", n)
		}
	}
}

// newNamespace makes a namespace that goes at the end of the test.
func newNamespace(t *testing.T, ctx context.Context) *Namespace {
	t.Helper()
	ns, err := NewNamespace(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ns.Remove() })
	return ns
}

func TestNamespaceReachesTheHostOverItsVethPair(t *testing.T) {
	testenv.NeedNetAdmin(t)
	testenv.NeedCommands(t, map[string]string{"busybox": "busybox-static"})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ns := newNamespace(t, ctx)
	for _, name := range []string{ns.Name, ns.HostLink, ns.Link} {
		if pid, ok := process.Owner(name); !ok || pid != os.Getpid() || len(name) > 15 {
			t.Errorf("%q is not an owned name that fits a device", name)
		}
	}
	if !LinkExists(ns.HostLink) || LinkExists(ns.Link) {
		t.Errorf("the pair's ends are not where they belong: host %s, namespace %s", ns.HostLink, ns.Link)
	}
	out, err := ns.Command(ctx, "busybox", "ping", "-c", "1", "-W", "5", ns.HostIP.String()).CombinedOutput()
	if err != nil {
		t.Fatalf("ping of the host %s from the namespace: %v\n%s", ns.HostIP, err, out)
	}
	if err := ns.Remove(); err != nil {
		t.Fatal(err)
	}
	assertGone(t, []string{ns.HostLink}, []string{ns.Name})
	if err := ns.Remove(); err != nil {
		t.Errorf("a second Remove: %v", err)
	}
}

func TestFullChecksumsSwitchesTheOffloadOff(t *testing.T) {
	testenv.NeedNetAdmin(t)
	testenv.NeedCommands(t, map[string]string{"ethtool": "ethtool"})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ns := newNamespace(t, ctx)
	if err := ns.FullChecksums(ctx); err != nil {
		t.Fatal(err)
	}
	out, err := exec.CommandContext(ctx, "ethtool", "-k", ns.HostLink).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "tx-checksumming: off") {
		t.Errorf("ethtool -k %s: %v\n%s", ns.HostLink, err, out)
	}
}

func TestNamespaceOnASubnetInUseIsRefused(t *testing.T) {
	testenv.NeedNetAdmin(t)
	if _, err := NewNamespace(context.Background(), "127.0.0.0/24"); err == nil {
		t.Error("a namespace on 127.0.0.0/24 was made")
	}
}
