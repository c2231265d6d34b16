package boot

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ukkv/ukkv/tools/internal/testenv"
	"github.com/ukkv/ukkv/tools/kvproto"
	"github.com/ukkv/ukkv/tools/kvproto/kvtest"
	"github.com/ukkv/ukkv/tools/memcaslap"
	"github.com/ukkv/ukkv/tools/variant"
)

// serves checks the guest's server through the TAP: sets and gets,
// garbage that must not break it, and a good request after.
func serves(t *testing.T, g *Guest) {
	t.Helper()
	c, err := kvproto.Dial(g.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := 0; i < 20; i++ {
		key, val := fmt.Sprintf("key-%d", i), bytes.Repeat([]byte{byte('a' + i)}, 10+i*50)
		if err := c.Set(key, val, uint32(i)); err != nil {
			t.Fatalf("set %s through %s: %v", key, g.Net.Tap, err)
		}
		items, err := c.Get(key)
		if err != nil {
			t.Fatalf("get %s: %v", key, err)
		}
		if it, ok := items[key]; !ok || !bytes.Equal(it.Value, val) || it.Flags != uint32(i) {
			t.Fatalf("get %s: %+v, want %d bytes with flags %d", key, items[key], len(val), i)
		}
	}
	if items, err := c.Get("absent"); err != nil || len(items) != 0 {
		t.Fatalf("get of a missing key: %v %v", items, err)
	}
	for _, junk := range [][]byte{{}, {1}, {0, 1, 0, 0}, []byte("\x00\x01\x00\x00\x00\x01\x00\x00bogus command\r\n"),
		bytes.Repeat([]byte{0xff}, 1400), []byte("\x00\x02\x00\x00\x00\x01\x00\x00set k 0 0 99999\r\nshort\r\n")} {
		if err := c.SendRaw(junk); err != nil {
			t.Fatal(err)
		}
	}
	items, err := c.Get("key-3")
	if err != nil || len(items) != 1 {
		t.Fatalf("get after garbage datagrams: %v %v", items, err)
	}
}

// TestLinuxGuestServesThroughTap boots every Linux-guest row: our
// socket front ends, the DPDK one and memcached.
func TestLinuxGuestServesThroughTap(t *testing.T) {
	eachServesThenLeavesNothing(t, variant.LinuxGuest)
}

// suiteGuests are the guests that run the client suite of every server
// (kvproto/kvtest) through the TAP: the servers not checked on the host
// as the same program, the Unikraft front ends with their own receive
// and send paths among them.
var suiteGuests = []string{"go-linux", "raw-uknetdev", "lwip-socket", "batched"}

func TestGuestsPassClientSuite(t *testing.T) {
	needHost(t)
	for _, name := range suiteGuests {
		t.Run(name, func(t *testing.T) {
			g := bootImage(t, context.Background(), imageOf(t, name))
			c, err := kvproto.Dial(g.Addr())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			kvtest.Ours(t, g.Addr(), c)
		})
	}
}

// rawSmallestMiB is the memory raw-uknetdev serves in: its table sizes
// itself to what is left beside the packet buffers.
const rawSmallestMiB = 4

// With rawSmallestMiB, raw-uknetdev boots and passes the client suite,
// with a table of fewer items but every feature.
func TestRawServesInSmallestMemory(t *testing.T) {
	needHost(t)
	g, err := Start(context.Background(), Options{Image: imageOf(t, "raw-uknetdev"), Accel: testenv.Accel(t), MemoryMiB: rawSmallestMiB})
	if err != nil {
		t.Fatalf("raw-uknetdev with %d MiB: %v", rawSmallestMiB, err)
	}
	t.Cleanup(func() { _ = g.Stop() })
	c, err := kvproto.Dial(g.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	kvtest.Ours(t, g.Addr(), c)
}

// TestTwoRunsAtOnce boots two guests side by side: their names and
// addresses differ and each serves its own data.
func TestTwoRunsAtOnce(t *testing.T) {
	needHost(t)
	img := imageOf(t, "linux-single")
	accel := testenv.Accel(t)
	guests := make([]*Guest, 2)
	errs := make(chan error, 2)
	for i := range guests {
		go func() {
			g, err := Start(context.Background(), Options{Image: img, Accel: accel, Server: []string{"--port", "11211"}})
			guests[i] = g
			errs <- err
		}()
	}
	for range guests {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	for _, g := range guests {
		t.Cleanup(func() { _ = g.Stop() })
	}
	a, b := guests[0].Net, guests[1].Net
	if a.Tap == b.Tap || a.Prefix == b.Prefix || a.Dir == b.Dir || a.GuestIP.Equal(b.GuestIP) {
		t.Fatalf("two runs collide: %+v %+v", a, b)
	}
	for i, g := range guests {
		c, err := kvproto.Dial(g.Addr())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.Set("who", []byte{byte('0' + i)}, 0); err != nil {
			t.Fatalf("set on guest %d: %v", i, err)
		}
	}
	for i, g := range guests {
		c, err := kvproto.Dial(g.Addr())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		items, err := c.Get("who")
		if err != nil || string(items["who"].Value) != string(rune('0'+i)) {
			t.Errorf("guest %d holds %q (%v), want its own value", i, items["who"].Value, err)
		}
	}
}

// eachServesThenLeavesNothing runs servesThenLeavesNothing on every
// variant of a kind, Unikraft ones in every build profile.
func eachServesThenLeavesNothing(t *testing.T, kind variant.Kind) {
	needHost(t)
	for _, v := range variant.EveryProfile(variant.OfKind(kind)) {
		t.Run(v.Name, func(t *testing.T) { servesThenLeavesNothing(t, imageOf(t, v.Name)) })
	}
}

// servesThenLeavesNothing boots img, checks that it serves, stops it and
// checks that none of its processes or files is left.
func servesThenLeavesNothing(t *testing.T, img *Image) {
	t.Helper()
	g := bootImage(t, context.Background(), img)
	serves(t, g)
	left := leftoversOf(g)
	if err := g.Stop(); err != nil {
		t.Fatal(err)
	}
	left.assertGone(t)
}

func TestUnikraftVariantsServeThroughTap(t *testing.T) {
	eachServesThenLeavesNothing(t, variant.Unikraft)
}

// The binaries app-elfloader runs pass the whole client suite, as they
// do as Linux programs: binary compatibility changes no reply. memcaslap
// then loads them through the vhost-user port: no error, drop or timeout.
func TestElfloaderVariantsPassTheClientSuite(t *testing.T) {
	needHost(t)
	testenv.NeedCommands(t, map[string]string{"memcaslap": "libmemcached-tools"})
	for _, v := range variant.EveryProfile(variant.OfKind(variant.Unikraft)) {
		if !v.Elfloader() {
			continue
		}
		t.Run(v.Name, func(t *testing.T) {
			g := bootImage(t, context.Background(), imageOf(t, v.Name))
			c, err := kvproto.Dial(g.Addr())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			kvtest.Ours(t, g.Addr(), c)
			loadsWithoutLoss(t, g, 4)
		})
	}
}

// loadsWithoutLoss runs memcaslap against the guest for 3 s with
// concurrency clients: no error reply, drop or timeout.
func loadsWithoutLoss(t *testing.T, g *Guest, concurrency int) {
	t.Helper()
	sum, out, err := memcaslap.Run(context.Background(), "memcaslap",
		memcaslap.Options{Server: g.Addr(), Duration: 3 * time.Second, Threads: 1, Concurrency: concurrency, Window: 1024})
	if err == nil {
		err = sum.Check(100)
	}
	if err != nil {
		t.Fatalf("memcaslap: %v\n%s", err, out)
	}
	t.Logf("memcaslap: %d requests in 3 s", sum.Ops)
}

// The front ends that hold replies (batched) or serve from the stack's
// own threads answer every request of many clients at once: a held
// reply that never left would show as a timeout. The table holds every
// key the clients set (16 clients of 1024 keys each).
func TestLwIPFrontEndsAnswerEveryRequestUnderLoad(t *testing.T) {
	needHost(t)
	testenv.NeedCommands(t, map[string]string{"memcaslap": "libmemcached-tools"})
	for _, name := range []string{"lwip-socket", "batched"} {
		t.Run(name, func(t *testing.T) {
			g, err := Start(context.Background(), Options{Image: imageOf(t, name), Accel: testenv.Accel(t),
				Server: []string{"--port", "11211", "--capacity", "32768"}})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = g.Stop() })
			loadsWithoutLoss(t, g, 16)
		})
	}
}

// crashes boots linux-single, kills one of its processes and expects a
// clear error naming it and a clean host.
func TestCrashMidRunIsReportedAndCleanedUp(t *testing.T) {
	needHost(t)
	for _, victim := range []string{"QEMU", "testpmd"} {
		t.Run(victim, func(t *testing.T) {
			g := bootImage(t, context.Background(), imageOf(t, "linux-single"))
			left := leftoversOf(g)
			pid := left.pids[0]
			if victim == "testpmd" {
				pid = left.pids[1]
			}
			if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			err := g.Wait(ctx)
			if err == nil || !strings.Contains(err.Error(), victim+" ended") {
				t.Fatalf("Wait after killing %s: %v", victim, err)
			}
			left.assertGone(t)
		})
	}
}

func TestCancelTearsDown(t *testing.T) {
	needHost(t)
	ctx, cancel := context.WithCancel(context.Background())
	g := bootImage(t, ctx, imageOf(t, "linux-single"))
	left := leftoversOf(g)
	cancel()
	select {
	case <-g.stopped:
	case <-time.After(30 * time.Second):
		t.Fatal("no teardown 30s after cancel")
	}
	if err := g.Wait(ctx); err != nil {
		t.Errorf("Wait after cancel reports %v, want nothing", err)
	}
	left.assertGone(t)
}

func TestReadyTimeoutNamesConsole(t *testing.T) {
	needHost(t)
	img, err := FloorImage(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	img.ReadyLine = "a line the floor kernel never prints"
	_, err = Start(context.Background(), Options{Image: img, Accel: testenv.Accel(t), MemoryMiB: 32, ReadyTimeout: 10 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "within 10s") || !strings.Contains(err.Error(), "ukkv floor ready") {
		t.Fatalf("want a timeout quoting the console, got %v", err)
	}
}
