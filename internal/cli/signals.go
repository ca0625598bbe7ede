package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// interrupted is the cause of the run's context when a signal stopped it
// (Ctrl-C, or SIGTERM from a CI runner cancelling the job).
type interrupted struct{ sig os.Signal }

func (e interrupted) Error() string { return fmt.Sprintf("interrupted (%v)", e.sig) }

// exitCode follows the shell's convention, 128 + the signal's number (130
// for Ctrl-C), so a CI runner and a script both see that nothing was
// diagnosed rather than a failed check.
func (e interrupted) exitCode() int {
	if s, ok := e.sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 130
}

// Interruptible returns a context cancelled, with an interrupted cause, by
// the first SIGINT or SIGTERM; a second one ends the process at once.
func Interruptible(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case s := <-sigs:
			signal.Stop(sigs)
			cancel(interrupted{sig: s})
		case <-ctx.Done():
		}
	}()
	return ctx, func() { signal.Stop(sigs); cancel(nil) }
}

// interruption returns the interrupted cause of ctx, if a signal stopped it.
func interruption(ctx context.Context) (interrupted, bool) {
	var in interrupted
	ok := errors.As(context.Cause(ctx), &in)
	return in, ok
}
