package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// interrupted is the cause of the run's context when a signal stopped it
// (one of stopSignals).
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

// stopSignals end a run: Ctrl-C, SIGTERM (a CI runner cancelling the job),
// SIGHUP (the terminal or the ssh session closed) and SIGQUIT (Ctrl-\, a
// quit: without Go's dump of every goroutine, whose stacks may hold secrets).
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

// graceAfterSignal bounds how long the process takes to stop once
// signalled: a run stops well within it; whatever would hold it longer (a
// write to a terminal that does not read) does not keep it alive.
var graceAfterSignal = 5 * time.Second

// exit ends the process; the tests replace it.
var exit = os.Exit

// Interruptible returns a context cancelled, with an interrupted cause, by
// the first of stopSignals. A second one, or the first left unanswered
// for graceAfterSignal, ends the process at once, with 128 + the signal's
// number, after removing the temporary report files. The returned function
// stops listening; main calls it when the run is over.
func Interruptible(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, stopSignals...)
	stopped := make(chan struct{})
	go func() {
		var first interrupted
		select {
		case s := <-sigs:
			first = interrupted{sig: s}
			cancel(first)
		case <-stopped:
			return
		}
		grace := time.NewTimer(graceAfterSignal)
		defer grace.Stop()
		code := first.exitCode()
		select {
		case s := <-sigs:
			code = interrupted{sig: s}.exitCode()
		case <-grace.C:
		case <-stopped:
			return
		}
		pendingTemps.removeAll()
		exit(code)
	}()
	var once sync.Once
	return ctx, func() {
		once.Do(func() {
			signal.Stop(sigs)
			close(stopped)
			cancel(nil)
		})
	}
}

// interruption returns the interrupted cause of ctx, if a signal stopped it.
func interruption(ctx context.Context) (interrupted, bool) {
	var in interrupted
	ok := errors.As(context.Cause(ctx), &in)
	return in, ok
}
