package boot

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/ukkv/ukkv/tools/hostnet"
	"github.com/ukkv/ukkv/tools/variant"
)

// TestEveryGuestRowHasACommandLine walks the registry: each guest row's
// kernel command line gives the guest its address and runs the row's
// program with the row's own arguments before the run's.
func TestEveryGuestRowHasACommandLine(t *testing.T) {
	n := &hostnet.Network{HostIP: net.IPv4(10, 9, 8, 1).To4(), GuestIP: net.IPv4(10, 9, 8, 2).To4()}
	server := []string{"--port", "11311"}
	for _, v := range variant.Guests() {
		t.Run(v.Name, func(t *testing.T) {
			program, argv := v.Program, strings.Join(v.Argv("10.9.8.2", server), " ")
			if v.Elfloader() {
				program, argv = elfloaderProgram, elfloaderProgram+" "+argv
			}
			line := commandLine(v, program)(n, server)
			want := []string{" -- " + argv}
			switch v.Kind {
			case variant.Unikraft:
				want = append(want, "netdev.ip=10.9.8.2/24:10.9.8.1 ")
			case variant.LinuxGuest:
				want = append(want, "ukkv.ip=10.9.8.2/24 ", "ukkv.run="+v.Program+" ")
			default:
				t.Fatalf("kind %s is no guest", v.Kind)
			}
			if v.DPDK {
				want = append(want, " ukkv.uio=1 ", " ukkv.hugepages=")
			}
			if v.ReadyUDP > 0 {
				want = append(want, " ukkv.readyudp=")
			}
			for _, w := range want {
				if !strings.Contains(line, w) {
					t.Errorf("command line %q lacks %q", line, w)
				}
			}
			if !strings.HasSuffix(line, " --port 11311") {
				t.Errorf("command line %q does not end with the run's server arguments", line)
			}
		})
	}
}

// TestDPDKAndMemcachedCommandLines pins the two rows whose programs need
// more than our server's options: EAL's and the guest's address for the
// DPDK server, a ready line from init for memcached.
func TestDPDKAndMemcachedCommandLines(t *testing.T) {
	n := &hostnet.Network{HostIP: net.IPv4(10, 9, 8, 1).To4(), GuestIP: net.IPv4(10, 9, 8, 2).To4()}
	for _, tc := range []struct {
		name   string
		server []string
		want   string
	}{
		{"linux-dpdk", []string{"--port", "11211"}, "console=ttyS0 panic=-1 quiet init_on_alloc=0 ukkv.ip=10.9.8.2/24 ukkv.run=kvstore-linux-dpdk" +
			" ukkv.uio=1 ukkv.hugepages=96 -- --lcores 0@0 -n 1 -- --ip 10.9.8.2 --port 11211"},
		{"memcached", []string{"-t", "1"}, "console=ttyS0 panic=-1 quiet init_on_alloc=0 ukkv.ip=10.9.8.2/24 ukkv.run=memcached" +
			" ukkv.readyudp=11211 -- -U 11211 -p 0 -l 0.0.0.0 -u root -t 1"},
	} {
		v, err := variant.Lookup(tc.name)
		if err != nil {
			t.Fatal(err)
		}
		if got := commandLine(v, v.Program)(n, tc.server); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}

// An elfloader row names the program to load, and Go's gets its
// environment through Unikraft's env.vars and its blocking socket first.
func TestElfloaderCommandLine(t *testing.T) {
	n := &hostnet.Network{HostIP: net.IPv4(10, 9, 8, 1).To4(), GuestIP: net.IPv4(10, 9, 8, 2).To4()}
	v, err := variant.Lookup("go-elfloader")
	if err != nil {
		t.Fatal(err)
	}
	want := "netdev.ip=10.9.8.2/24:10.9.8.1 env.vars=[ GODEBUG=asyncpreemptoff=1 ] -- /server --io blocking --port 11211"
	if got := commandLine(v, elfloaderProgram)(n, []string{"--port", "11211"}); got != want {
		t.Errorf("go-elfloader:\n got %s\nwant %s", got, want)
	}
}

func TestHostRowsHaveNoImage(t *testing.T) {
	for _, v := range variant.OfKind(variant.Host) {
		_, err := ImageFor(context.Background(), t.TempDir(), t.TempDir(), v)
		if err == nil || !strings.Contains(err.Error(), "runs on the host") {
			t.Errorf("%s: %v, want a refusal naming the host", v.Name, err)
		}
	}
}
