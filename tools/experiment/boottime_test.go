package experiment

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ukkv/ukkv/tools/boot"
)

// Every round boots each image at each memory size once, in the same
// order, so that a busy spell of the machine weighs on every series.
func TestBootRoundsInterleave(t *testing.T) {
	floor, raw := &boot.Image{Name: boot.FloorName}, &boot.Image{Name: "raw"}
	var order []string
	once := func(img *boot.Image, memMiB int) (time.Duration, error) {
		order = append(order, fmt.Sprintf("%s@%d", img.Name, memMiB))
		return time.Duration(len(order)) * time.Millisecond, nil
	}
	series, err := bootRounds([]*boot.Image{floor, raw}, []int{8, 1024}, 2, once)
	if err != nil {
		t.Fatal(err)
	}
	round := []string{boot.FloorName + "@8", boot.FloorName + "@1024", "raw@8", "raw@1024"}
	if want := strings.Join(append(round, round...), " "); strings.Join(order, " ") != want {
		t.Errorf("boot order %v, want %s", order, want)
	}
	if len(series) != 4 {
		t.Fatalf("%d series, want 4", len(series))
	}
	for i, s := range series {
		// boot i of round r is the (4r + i + 1)th
		want := []time.Duration{time.Duration(i+1) * time.Millisecond, time.Duration(i+5) * time.Millisecond}
		if s.memMiB != []int{8, 1024}[i%2] || len(s.times) != 2 || s.times[0] != want[0] || s.times[1] != want[1] {
			t.Errorf("series %d: %s -m %d times %v, want -m %d times %v", i, s.img.Name, s.memMiB, s.times, []int{8, 1024}[i%2], want)
		}
	}
}

// The default memory is named, not left as 0.
func TestBootRoundsDefaultMemory(t *testing.T) {
	img := &boot.Image{Name: "linux", MemoryMiB: 512}
	series, err := bootRounds([]*boot.Image{img}, []int{0}, 1, func(*boot.Image, int) (time.Duration, error) { return time.Second, nil })
	if err != nil || series[0].memMiB != 512 {
		t.Errorf("series %+v, %v: want -m 512", series, err)
	}
}

func TestBootRoundsStopsAtFailure(t *testing.T) {
	boom := errors.New("no ready line")
	n := 0
	_, err := bootRounds([]*boot.Image{{Name: "a"}, {Name: "b"}}, []int{8}, 3, func(*boot.Image, int) (time.Duration, error) {
		n++
		return 0, boom
	})
	if !errors.Is(err, boom) || n != 1 {
		t.Errorf("err %v after %d boots, want %v after 1", err, n, boom)
	}
}

// Each row's guest share is taken against the floor at its own memory
// size, and a row booted at two sizes gets a note with their ratio.
func TestBootTableSharePerMemory(t *testing.T) {
	floor, raw := &boot.Image{Name: boot.FloorName}, &boot.Image{Name: "raw"}
	ms := func(v ...int) []time.Duration {
		var d []time.Duration
		for _, x := range v {
			d = append(d, time.Duration(x)*time.Millisecond)
		}
		return d
	}
	floors := []bootTimes{{img: floor, memMiB: 8, times: ms(1000, 1100, 900)}, {img: floor, memMiB: 1024, times: ms(1200, 1300, 1250)}}
	rows := []bootTimes{{img: raw, memMiB: 8, times: ms(1100, 1200, 1000)}, {img: raw, memMiB: 1024, times: ms(1400, 1500, 1450)}}
	if got := guestShareMs(floors, rows[0]); got != 100 {
		t.Errorf("share at 8 MiB %v, want 100", got)
	}
	if got := guestShareMs(floors, rows[1]); got != 200 {
		t.Errorf("share at 1024 MiB %v, want 200", got)
	}
	table := bootTable(floors, rows)
	if notes := strings.Join(table.Notes, "\n"); !strings.Contains(notes, "raw: guest share at 1024 MiB / at 8 MiB = 2.00") {
		t.Errorf("no ratio note in\n%s", notes)
	}
	if len(table.Rows) != 4 {
		t.Errorf("%d table rows, want 2 floors and 2 rows", len(table.Rows))
	}
	if notes := memoryGrowthNotes(floors[:1], rows[:1]); notes != nil {
		t.Errorf("one memory size: notes %v, want none", notes)
	}
}
