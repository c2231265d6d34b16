package tbcount

// Profile is instructions executed, by their guest address.
type Profile map[uint64]float64

// Total is the sum of the profile's instructions.
func (p Profile) Total() float64 {
	var sum float64
	for _, n := range p {
		sum += n
	}
	return sum
}

// significantIdle keeps the idle instructions that ran at least this
// share of the most run one: the loop itself, not a timer that fired
// once.
const significantIdle = 0.1

// SplitIdle separates the idle loop from the work in load, the counts of
// a loaded run, given idle, the counts of the same guest left alone. A
// guest that polls (or halts and wakes) runs its idle loop whenever it
// finds nothing to do, for as long as that lasts, so load holds some
// number of idle iterations beside the work. Some instruction of the
// loop runs only when there is nothing to do (the empty poll's branch),
// so that number is the largest multiple k of the idle counts that fits
// under load: the least ratio load/idle over the loop's instructions.
// work is load less k times idle, idleLoad the rest.
func SplitIdle(load, idle Counts) (work, idleLoad Profile, k float64) {
	k = idleIterations(load, idle)
	work, idleLoad = Profile{}, Profile{}
	for a, n := range load {
		in := min(float64(n), k*float64(idle[a]))
		if in > 0 {
			idleLoad[a] = in
		}
		if w := float64(n) - in; w > 0 {
			work[a] = w
		}
	}
	return work, idleLoad, k
}

// idleIterations is the least ratio load/idle over the instructions of
// the idle loop; 0 when the guest did nothing while idle.
func idleIterations(load, idle Counts) float64 {
	var most uint64
	for _, n := range idle {
		most = max(most, n)
	}
	k := -1.0
	for a, n := range idle {
		if float64(n) < significantIdle*float64(most) {
			continue
		}
		if r := float64(load[a]) / float64(n); k < 0 || r < k {
			k = r
		}
	}
	return max(k, 0)
}
