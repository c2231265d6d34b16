package tbcount

import (
	"strings"
	"testing"
)

func TestParseCountsEachInstructionOfEachBlock(t *testing.T) {
	// two blocks sharing their last instruction, at 0x1008
	c, err := Parse(strings.NewReader("1000 12 0 3 8\n1008 5 0 2\nend\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := Counts{0x1000: 12, 0x1003: 12, 0x1008: 17, 0x100a: 5}
	if len(c) != len(want) {
		t.Fatalf("got %v, want %v", c, want)
	}
	for a, n := range want {
		if c[a] != n {
			t.Errorf("%#x ran %d times, want %d", a, c[a], n)
		}
	}
	if c.Insns() != 3*12+2*5 {
		t.Errorf("Insns %d, want %d", c.Insns(), 3*12+2*5)
	}
}

func TestParseRefusesCutAndGarbledSnapshots(t *testing.T) {
	for _, in := range []string{"1000 5 0\n", "1000 5\nend\n", "zz 5 0\nend\n", "1000 5 q\nend\n", ""} {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("Parse(%q) took it", in)
		}
	}
}

func TestSinceKeepsWhatRanBetween(t *testing.T) {
	d := Counts{0x10: 10, 0x20: 4}.Since(Counts{0x10: 7, 0x20: 4})
	if len(d) != 1 || d[0x10] != 3 {
		t.Errorf("got %v, want only 0x10: 3", d)
	}
}
