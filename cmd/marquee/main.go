// Command marquee runs the Marquee film-review site and its operator
// commands: serve (the default), migrate and seed. Run "marquee -h" for the
// full usage.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		if err != errUsage {
			fmt.Fprintln(os.Stderr, "marquee:", err)
		}
		os.Exit(exitCode(err))
	}
}
