// Command labelcheck reads product-label photos and reports listings that
// sell unsafe or mislabelled goods. See README.md and CONTRACT.md.
//
// Exit status: 0 when no case reached the --fail-on verdict, 1 when one did,
// 2 on a usage error or a failure of the tool itself.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v2"
)

// Exit codes of CONTRACT.md section 5.
const (
	exitOK      = 0
	exitFound   = 1
	exitFailure = 2
)

// errFound is returned when a case reached the --fail-on verdict.
var errFound = errors.New("a case reached the --fail-on verdict")

// usageError marks a mistake in the command line.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Usage errors become exit status 2 with the message on stderr; without
	// a handler urfave/cli prints the help to stdout, where only reports go.
	onUsageError := func(_ *cli.Context, err error, _ bool) error { return usageError{err} }
	app := &cli.App{
		Name:           "labelcheck",
		Usage:          "read product-label photos and check them against listings and category rules",
		Commands:       []*cli.Command{inspectCommand(), ocrCommand(), versionCommand()},
		ExitErrHandler: func(*cli.Context, error) {}, // main maps errors to exit codes
		OnUsageError:   onUsageError,
	}
	for _, c := range app.Commands {
		c.OnUsageError = onUsageError
	}
	err := app.RunContext(ctx, os.Args)
	os.Exit(exitCode(err))
}

func exitCode(err error) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errFound):
		return exitFound
	}
	fmt.Fprintln(os.Stderr, "labelcheck:", err)
	return exitFailure
}
