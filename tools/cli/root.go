// Package cli holds the ukkv subcommands, one file each.
package cli

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"

	log "github.com/sirupsen/logrus"
	"github.com/spf13/cobra"
)

var verbose bool

var root = &cobra.Command{
	Use:   "ukkv",
	Short: "Build, boot and benchmark unikernel variants of a UDP key-value server",
	Long: `ukkv measures how much each level of specialisation buys: the same
memcached-UDP key-value server as Unikraft unikernels (raw uknetdev, lwIP
sockets, batched lwIP sockets) and on Linux (guest and host), driven through
DPDK vhost-user.`,
	SilenceUsage:  true,
	SilenceErrors: true,
	PersistentPreRun: func(cmd *cobra.Command, _ []string) {
		if verbose {
			log.SetLevel(log.DebugLevel)
		}
		sweepBeforeRuns(cmd)
	},
}

func init() {
	root.PersistentFlags().BoolVarP(&verbose, "verbose", "v", false, "debug logging")
}

// Execute runs the command line and returns the process exit code. The
// context it hands to subcommands is cancelled on SIGINT and SIGTERM so
// that every started process gets torn down.
func Execute() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log.SetFormatter(&log.TextFormatter{DisableTimestamp: true})
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	log.Error(err)
	if errors.Is(ctx.Err(), context.Canceled) {
		return 130
	}
	return 1
}
