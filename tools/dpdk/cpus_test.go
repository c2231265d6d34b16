package dpdk

import (
	"slices"
	"testing"
)

func TestWithoutLeavesOutOneCPU(t *testing.T) {
	cases := []struct {
		cpus []int
		skip int
		want []int
	}{
		{[]int{0, 1}, 0, []int{1}},
		{[]int{0, 1, 2, 3}, 2, []int{0, 1, 3}},
		{[]int{0}, 0, nil},
		{[]int{2, 3}, 0, []int{2, 3}},
		{[]int{1, 5, 7}, 5, []int{1, 7}},
	}
	for _, c := range cases {
		if got := without(c.cpus, c.skip); !slices.Equal(got, c.want) {
			t.Errorf("without(%v, %d) = %v, want %v", c.cpus, c.skip, got, c.want)
		}
	}
}

func TestClientAndSwitchPollOnDifferentCPUsWhenThereAreTwo(t *testing.T) {
	cpus := CPUs()
	if len(cpus) < 2 {
		t.Skipf("one CPU (%v): the pollers share it", cpus)
	}
	client := ClientCPU()
	if lastBeside(client) == client || slices.Contains(Beside(client), client) {
		t.Errorf("client CPU %d, beside it %v, last beside %d", client, Beside(client), lastBeside(client))
	}
}

func TestLcoresMapsInOrder(t *testing.T) {
	if got := Lcores(3, 1); got != "0@3,1@1" {
		t.Errorf("Lcores(3, 1) = %q", got)
	}
}
