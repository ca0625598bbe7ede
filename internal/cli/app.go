package cli

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
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
	exitFailed = 1 // a check failed, or a warning or skip under --fail-on/--strict
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
	// onMatrix, when set, sees the matrix of a check --tenants run (tests).
	onMatrix func(report.Matrix)
	// onListen, when set, is told serve's listening address (tests).
	onListen func(addr string)
	// replaceChecks, when set, replaces the check catalogue of a run: the
	// tests plant a check that panics (INTERNAL_ERROR).
	replaceChecks func([]checks.Check) []checks.Check
	// readConfigFile reads the .env and --ca-file files (readRegularFile);
	// the tests replace it with one that stalls.
	readConfigFile func(path string, limit int64) ([]byte, error)
	// finished is set once a check run has written all its outputs: a signal
	// arriving after that no longer stops anything.
	finished bool
	// buildInfo reads the binary's build information (debug.ReadBuildInfo
	// when nil); the tests give their own.
	buildInfo func() (*debug.BuildInfo, bool)
	// lateErr is bad input that urfave/cli does not return as an error
	// (`authdoctor help NOSUCHCOMMAND`).
	lateErr error
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
	cliApp := a.newCLIApp()
	err := cliApp.RunContext(ctx, args)
	if in, ok := interruption(ctx); ok && !isSandbox(args) && !a.finished {
		if !a.nested {
			fmt.Fprintf(a.streams.ErrOut, "authdoctor: %v: stopped before the end; no report written\n", in)
		}
		return in.exitCode()
	}
	if err == nil {
		err = a.lateErr
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

// newCLIApp is the command line: the commands, and urfave/cli's settings.
// The help, the man page and the completion scripts are all read from it.
func (a *app) newCLIApp() *cli.App {
	onUsageError := func(c *cli.Context, err error, _ bool) error {
		return &usageError{msg: flagMessage(c, err.Error())}
	}
	commands := []*cli.Command{a.checkCommand(), a.serveCommand(), a.eventsCommand(), a.explainCommand(), a.sandboxCommand(), a.demoCommand(),
		a.versionCommand(), a.completionCommand(), a.manCommand()}
	for _, c := range commands {
		c.OnUsageError = onUsageError
		c.CustomHelpTemplate = helpTemplate
	}
	return &cli.App{
		Name:  "authdoctor",
		Usage: "diagnose API authentication against Keycloak and the GraphQL API behind it",
		// -v means --verbose (check -v), never the version: urfave/cli's
		// version flag (with its -v) is replaced by --version alone.
		HideVersion: true,
		Version:     version,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "version", Usage: "print the version, the commit and the build date"},
		},
		Writer:                &helpWriter{Writer: a.streams.Out, width: a.helpWidth()},
		ErrWriter:             a.streams.ErrOut,
		Reader:                a.streams.In,
		CustomAppHelpTemplate: helpTemplate,
		EnableBashCompletion:  false,
		ExitErrHandler:        func(*cli.Context, error) {}, // exit codes are ours, below
		OnUsageError:          onUsageError,
		CommandNotFound: func(c *cli.Context, name string) { // authdoctor help NAME
			a.lateErr = &usageError{msg: unknownCommand(name, c.App.Commands)}
		},
		Commands: commands,
		Action: func(c *cli.Context) error {
			if c.Bool("version") {
				return writeVersion(a.streams.Out, a.readBuild(), "text")
			}
			if c.Args().Present() {
				return &usageError{msg: unknownCommand(c.Args().First(), c.App.Commands)}
			}
			return cli.ShowAppHelp(c)
		},
	}
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
		case "events", "explain", "sandbox", "demo", "version", "completion", "man":
			return "Run 'authdoctor " + arg + " --help' for its usage."
		}
	}
	return "Run 'authdoctor --help' for the commands."
}
