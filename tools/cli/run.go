package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	log "github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/ukkv/ukkv/tools/boot"
	"github.com/ukkv/ukkv/tools/dpdk"
	"github.com/ukkv/ukkv/tools/experiment"
	"github.com/ukkv/ukkv/tools/hostnet"
	"github.com/ukkv/ukkv/tools/variant"
)

// serverFlags are the KV server's options, passed into the guest.
type serverFlags struct {
	port, capacity, preload, valueSize, batch int
}

func (f *serverFlags) register(cmd *cobra.Command) {
	cmd.Flags().IntVar(&f.port, "port", 11211, "UDP port of the server in the guest")
	cmd.Flags().IntVar(&f.capacity, "capacity", 0, "key capacity of the server (0: its default)")
	cmd.Flags().IntVar(&f.preload, "preload", 0, "keys preloaded at start")
	cmd.Flags().IntVar(&f.valueSize, "value-size", 0, "value size of preloaded keys (0: the server's default)")
	cmd.Flags().IntVar(&f.batch, "batch", 0, "batch/burst size of batching variants (0: their default)")
}

// argsFor is the server's command line for row v: our options for one
// of our servers, none for another (memcached), which is refused any.
func (f *serverFlags) argsFor(cmd *cobra.Command, v *variant.Variant) ([]string, error) {
	if v.Preloads {
		return f.args(), nil
	}
	for _, name := range []string{"port", "capacity", "preload", "value-size", "batch"} {
		if cmd.Flags().Changed(name) {
			return nil, fmt.Errorf("--%s: %s takes none of the KV server's options", name, v.Name)
		}
	}
	return nil, nil
}

// args is the server's command line; options left at 0 are not passed.
func (f *serverFlags) args() []string {
	args := []string{"--port", strconv.Itoa(f.port)}
	for _, o := range []struct {
		name string
		v    int
	}{{"--capacity", f.capacity}, {"--preload", f.preload}, {"--value-size", f.valueSize}, {"--batch", f.batch}} {
		if o.v > 0 {
			args = append(args, o.name, strconv.Itoa(o.v))
		}
	}
	return args
}

func init() {
	var buildProfile string
	var (
		server   serverFlags
		memory   int
		subnet   string
		noSwitch bool
		timeout  time.Duration
	)
	cmd := &cobra.Command{
		Use:   "run VARIANT",
		Short: "Boot one variant under QEMU on a DPDK vhost-user port and stream its console",
		Long: `Boot one variant under QEMU, its NIC on a vhost-user port of dpdk-testpmd,
which forwards to a TAP device on the host. Prints "ready udp ADDR:PORT" on
stdout once the guest serves, then streams its console until Ctrl-C. With
--no-switch the vhost-user socket is left to another DPDK program, whose
socket path is printed.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			vs, err := selectInProfile(args, variant.Guests(), buildProfile)
			if err != nil {
				return err
			}
			serverArgs, err := server.argsFor(cmd, vs[0])
			if err != nil {
				return err
			}
			env, err := experiment.NewGuestEnv()
			if err != nil {
				return err
			}
			var backend boot.Backend
			if noSwitch {
				backend = announceSocket{External: boot.External{Wait: timeout}, out: cmd.OutOrStdout()}
			} else if _, err := dpdk.Binary(); err != nil {
				return err
			}
			img, err := boot.ImageFor(ctx, env.Repo, env.Cache, vs[0])
			if err != nil {
				return err
			}
			accel, err := env.Accel(ctx)
			if err != nil {
				return err
			}
			return run(ctx, cmd.OutOrStdout(), boot.Options{
				Image: img, Accel: accel.Accel, MemoryMiB: memory, Subnet: subnet, Backend: backend,
				Server: serverArgs, Console: os.Stderr, ReadyTimeout: timeout,
			})
		},
	}
	server.register(cmd)
	cmd.Flags().IntVarP(&memory, "memory", "m", 0, fmt.Sprintf("guest memory in MiB (0: %d, or more if the image needs it)", boot.DefaultMemoryMiB))
	cmd.Flags().StringVar(&subnet, "subnet", "", "the run's /24 (host .1, guest .2); default: a free one in 10.200-249.x.0")
	cmd.Flags().BoolVar(&noSwitch, "no-switch", false, "start no testpmd; another program owns the vhost-user socket")
	durationFlag(cmd.Flags(), &timeout, "timeout", boot.DefaultReadyTimeout, "how long to wait for the guest's ready line")
	addProfileFlag(cmd, &buildProfile)
	root.AddCommand(cmd)
}

// run boots, announces the guest and waits for Ctrl-C or a crash.
func run(ctx context.Context, out io.Writer, opts boot.Options) error {
	g, err := boot.Start(ctx, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s%s\n", variant.ReadyLine, g.Addr())
	fmt.Fprintf(out, "try: memcaslap --udp -s %s\n", g.Addr())
	log.Infof("%s ready %s after QEMU start (%s); Ctrl-C stops it", opts.Image.Name,
		g.BootTime().Round(time.Millisecond), g.Accel)
	if err := g.Wait(ctx); err != nil {
		return fmt.Errorf("%s: %w; everything it started is stopped and removed", opts.Image.Name, err)
	}
	if ctx.Err() != nil {
		return fmt.Errorf("interrupted: %s stopped, its processes, sockets, TAP and files removed (%w)", opts.Image.Name, ctx.Err())
	}
	return nil
}

// announceSocket prints the vhost-user socket path before waiting for
// its owner to create it: the owner needs it to start.
type announceSocket struct {
	boot.External
	out io.Writer
}

func (a announceSocket) Start(ctx context.Context, n *hostnet.Network) error {
	fmt.Fprintf(a.out, "vhost-user socket %s guest %s mac %s\n", n.Socket, n.GuestIP, n.MAC)
	return a.External.Start(ctx, n)
}
