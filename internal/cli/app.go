package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/authdoctor/authdoctor/checks"
	"github.com/authdoctor/authdoctor/internal/config"
	"github.com/authdoctor/authdoctor/internal/iostreams"
	"github.com/authdoctor/authdoctor/internal/sanitize"
	"github.com/authdoctor/authdoctor/report"
)

// version is the authdoctor release; reports carry it.
const version = "0.1.0"

// Exit codes: part of the CI contract.
const (
	exitOK     = 0 // no check failed (warnings allowed)
	exitFailed = 1 // at least one check failed
	exitUsage  = 2 // bad input: nothing was sent to any server
)

// app holds the process's collaborators: streams, environment, working
// directory and clock are injected so every command runs in tests exactly as
// it does for a person.
type app struct {
	streams iostreams.Streams
	env     map[string]string
	workDir string // where ./.env is looked for
	now     func() time.Time
	// retryWait shortens retry backoff in tests; 0 is the default.
	retryWait time.Duration
	// nested marks the check runs of `demo`: the outer run speaks for them
	// when a signal stops everything.
	nested bool
	// onReport, when set, sees every report a check run produces: the tests
	// record which codes they reach.
	onReport func(report.Report)
	// replaceChecks, when set, replaces the check catalogue of a run: the
	// tests plant a check that panics (INTERNAL_ERROR).
	replaceChecks func([]checks.Check) []checks.Check
	// readConfigFile reads the .env and --ca-file files (readRegularFile);
	// the tests replace it with one that stalls.
	readConfigFile func(path string, limit int64) ([]byte, error)
	// finished is set once a check run has written all its outputs: a signal
	// arriving after that no longer stops anything.
	finished bool
}

func newApp(s iostreams.Streams, env map[string]string, workDir string) *app {
	return &app{streams: s, env: env, workDir: workDir, now: time.Now, readConfigFile: readRegularFile}
}

func Environ(kv []string) map[string]string {
	env := make(map[string]string, len(kv))
	for _, e := range kv {
		if k, v, ok := strings.Cut(e, "="); ok {
			env[k] = v
		}
	}
	return env
}

// usageError is bad input: printed, then exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// exitError carries a command's exit code (1: a check failed).
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// Main runs the command line args (args[0] is the program's name) with the
// given streams, environment and working directory (where ./.env is looked
// for), and returns the exit code. ctx carries the interruption by a
// signal; see Interruptible.
func Main(ctx context.Context, args []string, streams iostreams.Streams, env map[string]string, workDir string) int {
	return newApp(streams, env, workDir).execute(ctx, args)
}

// execute runs the command line and returns the exit code; it never calls
// os.Exit and never panics on bad input.
func (a *app) execute(ctx context.Context, args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(a.streams.ErrOut, "authdoctor: internal error: %s\nPlease report it with the command you ran.\n", sanitize.Line(fmt.Sprint(r)))
			code = exitFailed
		}
	}()
	onUsageError := func(_ *cli.Context, err error, _ bool) error {
		return &usageError{msg: flagMessage(err.Error())}
	}
	commands := []*cli.Command{a.checkCommand(), a.eventsCommand(), a.explainCommand(), a.sandboxCommand(), a.demoCommand()}
	for _, c := range commands {
		c.OnUsageError = onUsageError
	}
	cliApp := &cli.App{
		Name:    "authdoctor",
		Usage:   "diagnose API authentication against Keycloak and the GraphQL API behind it",
		Version: version,
		Writer:  a.streams.Out, ErrWriter: a.streams.ErrOut,
		Reader:               a.streams.In,
		EnableBashCompletion: false,
		ExitErrHandler:       func(*cli.Context, error) {}, // exit codes are ours, below
		OnUsageError:         onUsageError,
		Commands:             commands,
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return &usageError{msg: fmt.Sprintf("unknown command %q; the commands are check, events, explain, sandbox and demo", c.Args().First())}
			}
			return cli.ShowAppHelp(c)
		},
	}
	err := cliApp.RunContext(ctx, args)
	if in, ok := interruption(ctx); ok && !isSandbox(args) && !a.finished {
		if !a.nested {
			fmt.Fprintf(a.streams.ErrOut, "authdoctor: %v: stopped before the end; no report written\n", in)
		}
		return in.exitCode()
	}
	var ue *usageError
	var ce *config.Error
	var ee *exitError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue), errors.As(err, &ce):
		fmt.Fprintf(a.streams.ErrOut, "authdoctor: %s\n%s\n", sanitize.Block(err.Error()), helpHint(args))
		return exitUsage
	default:
		fmt.Fprintf(a.streams.ErrOut, "authdoctor: %s\n", sanitize.Block(err.Error()))
		return exitFailed
	}
}

// flagMessage rewords the flag package's "flag provided but not defined:
// -bogus" with the flag as the user typed it.
func flagMessage(msg string) string {
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		if len(name) > 1 {
			name = "-" + name
		}
		return "unknown flag -" + name
	}
	return msg
}

// isSandbox reports whether the command is `sandbox`, which serves until
// interrupted: there Ctrl-C is the normal way out, exit 0.
func isSandbox(args []string) bool {
	for _, arg := range args[1:] {
		if !strings.HasPrefix(arg, "-") {
			return arg == "sandbox"
		}
	}
	return false
}

// helpHint names the help to read next: the command's, when a known
// command was given.
func helpHint(args []string) string {
	for _, arg := range args[1:] {
		switch arg {
		case "check":
			return "Run 'authdoctor check --help' for the flags and their environment variables."
		case "events", "explain", "sandbox", "demo":
			return "Run 'authdoctor " + arg + " --help' for its usage."
		}
	}
	return "Run 'authdoctor --help' for the commands."
}
