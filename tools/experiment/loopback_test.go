package experiment

import (
	"strings"
	"testing"
	"time"

	"github.com/ukkv/ukkv/tools/kvserver"
)

func TestLoopbackOptionsCheck(t *testing.T) {
	good := LoopbackOptions{Duration: 2 * time.Second, Runs: 1, Concurrency: 4, Threads: 2, Capacity: 10}
	if err := good.Check(); err != nil {
		t.Fatalf("%+v refused: %v", good, err)
	}
	for _, bad := range []func(o *LoopbackOptions){
		func(o *LoopbackOptions) { o.Duration = 500 * time.Millisecond },
		func(o *LoopbackOptions) { o.Runs = 0 },
		func(o *LoopbackOptions) { o.Concurrency = 3 },
		func(o *LoopbackOptions) { o.Threads = 0 },
		func(o *LoopbackOptions) { o.Capacity = 0 },
	} {
		o := good
		bad(&o)
		if o.Check() == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}

func TestLoopbackTable(t *testing.T) {
	specs := []kvserver.Spec{
		kvserver.FrontEnd("linux-batch", "/somewhere/bin/kvstore-linux-batch", "--capacity", "8"),
		kvserver.Memcached("/usr/bin/memcached", "-m", "64"),
	}
	tps := map[string][]float64{"linux-batch": {300, 100, 200}, "memcached": {100, 100, 100}}
	tab := loopbackTable(specs, tps, LoopbackOptions{Duration: 3 * time.Second, Runs: 3, Concurrency: 4, Threads: 1})
	row := tab.Rows[0]
	want := []string{"linux-batch", "200", "100", "300", "2", "3"}
	for i, w := range want {
		if got := row[i].String(); got != w {
			t.Errorf("column %s: %q, want %q", tab.Columns[i].Name, got, w)
		}
	}
	notes := strings.Join(tab.Notes, "\n")
	for _, w := range []string{"--udp", "--time=3s", "kvstore-linux-batch --addr 127.0.0.1 --port PORT --capacity 8", "memcached -U PORT -p 0"} {
		if !strings.Contains(notes, w) {
			t.Errorf("notes lack %q:\n%s", w, notes)
		}
	}
	if strings.Contains(notes, "/somewhere") {
		t.Errorf("notes name a folder of this machine:\n%s", notes)
	}
}
