package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/ukkv/ukkv/tools/experiment"
)

func init() {
	var o experiment.LoopbackOptions
	cmd := &cobra.Command{
		Use:   "loopback",
		Short: "Measure requests/s of linux-single, linux-batch, go and memcached on loopback under memcaslap --udp",
		Long: `Loopback runs Debian's memcaslap over UDP against bin/kvstore-linux-single,
bin/kvstore-linux-batch, bin/kvstore-go and Debian's memcached -U, with the same client settings,
each server fresh for every run and the servers taken in turn, and writes the
median, minimum and maximum requests/s to results/loopback/. A run with any error
reply, drop or timeout, or whose server counted other requests than memcaslap
sent, fails the whole measurement.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Check(); err != nil {
				return err
			}
			env, err := experiment.NewEnv()
			if err != nil {
				return err
			}
			r, err := experiment.Loopback(cmd.Context(), env, o)
			if err != nil {
				return err
			}
			return writeResults(cmd, env.Repo, r)
		},
	}
	f := cmd.Flags()
	durationFlag(f, &o.Duration, "duration", 10*time.Second, "length of each run, whole seconds")
	f.IntVar(&o.Runs, "runs", 3, "runs per server")
	f.IntVar(&o.Concurrency, "concurrency", 16, "memcaslap concurrency (simulated clients)")
	f.IntVar(&o.Threads, "threads", 1, "memcaslap threads; concurrency must be a multiple")
	f.IntVar(&o.Capacity, "capacity", 1<<20, "items each server can hold: every memcaslap set stores a new key")
	root.AddCommand(cmd)
}
