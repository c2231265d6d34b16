package bench

import (
	"slices"
	"testing"
)

func TestOthersInLeavesOutTheLoadGeneratorsCPU(t *testing.T) {
	cases := []struct {
		first, last, skip int
		want              []int
	}{
		{0, 1, 0, []int{1}},
		{0, 3, 2, []int{0, 1, 3}},
		{0, 0, 0, nil},
		{2, 3, 0, []int{2, 3}},
	}
	for _, c := range cases {
		if got := othersIn(c.first, c.last, c.skip); !slices.Equal(got, c.want) {
			t.Errorf("othersIn(%d, %d, %d) = %v, want %v", c.first, c.last, c.skip, got, c.want)
		}
	}
}
