package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/authdoctor/authdoctor/checks"
	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/config"
	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/internal/sanitize"
	"github.com/authdoctor/authdoctor/report"
)

func (a *app) checkCommand() *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     checkUsage(),
		UsageText: "authdoctor check [flags]",
		Description: "Every flag can also be set by its environment variable, shown as [$VAR], or by a VAR=value line in ./.env " +
			"(or the --env-file): a flag wins over the environment, the environment over the .env file.",
		Flags: settingFlags(config.Settings()),
		Action: func(c *cli.Context) error {
			// The run's clock starts before any file is read: --timeout
			// bounds the whole run, reading the .env and --ca-file included.
			start := time.Now()
			if c.Args().Present() {
				return &usageError{msg: fmt.Sprintf("unexpected argument %q: check takes flags only", c.Args().First())}
			}
			cfg, err := a.loadConfig(c, start, config.Load)
			if err != nil {
				return err
			}
			if err := checkOutputs(cfg); err != nil {
				return err
			}
			if cfg.TenantsFile != "" {
				return a.checkTenants(c, start, cfg)
			}
			if err := checkSelection(cfg); err != nil {
				return err
			}
			ctx, cancel := context.WithDeadline(c.Context, start.Add(cfg.Timeout))
			defer cancel()
			code, err := a.check(ctx, cfg)
			if err != nil {
				return err
			}
			if code != exitOK {
				return &exitError{code: code}
			}
			return nil
		},
	}
}

// settingFlags builds the flags from (a part of) the one settings table.
// Each flag's category is its setting's group: the help lists the flags by
// group and reads their environment variable and default from the table
// (describeFlag). The environment is read by config, never by urfave/cli.
func settingFlags(settings []config.Setting) []cli.Flag {
	var flags []cli.Flag
	for _, s := range settings {
		var aliases []string
		if s.Alias != "" {
			aliases = []string{s.Alias}
		}
		category := string(s.Group)
		switch s.Kind {
		case config.KindList:
			flags = append(flags, &cli.StringSliceFlag{Name: s.Name, Aliases: aliases, Usage: s.Usage, Category: category, TakesFile: s.ValueName() == "FILE"})
		case config.KindBool:
			flags = append(flags, &cli.BoolFlag{Name: s.Name, Aliases: aliases, Usage: s.Usage, Category: category})
		default:
			flags = append(flags, &cli.StringFlag{Name: s.Name, Aliases: aliases, Usage: s.Usage, Category: category, TakesFile: s.ValueName() == "FILE"})
		}
	}
	return flags
}

// loadConfig resolves flags, environment, .env file and defaults, in that
// order, with load (config.Load for check, config.LoadAdmin for events).
// The files are read before start + --timeout, or refused.
func (a *app) loadConfig(c *cli.Context, start time.Time, load func(config.Sources, func(string) ([]byte, error)) (*checks.Config, error)) (*checks.Config, error) {
	// The flags are read once: urfave/cli's IsSet walks every flag's names
	// on each call, and resolving asks about every setting several times
	// (measured: 12% of a healthy run's CPU, before the first request).
	given := map[string][]string{}
	for _, s := range config.Settings() {
		if !c.IsSet(s.Name) {
			continue
		}
		switch s.Kind {
		case config.KindList:
			given[s.Name] = c.StringSlice(s.Name)
		case config.KindBool:
			given[s.Name] = []string{strconv.FormatBool(c.Bool(s.Name))}
		default:
			given[s.Name] = []string{c.String(s.Name)}
		}
	}
	flag := func(name string) ([]string, bool) {
		v, ok := given[name]
		return v, ok
	}
	// Until the .env is read, the flag, the environment or the default give
	// the deadline; the .env may set another one, for the --ca-file.
	src := config.Sources{Flag: flag, Env: a.env}
	timeout := config.Timeout(src)
	ctx, cancel := context.WithDeadline(c.Context, start.Add(timeout))
	dotenv, err := a.readDotEnv(ctx, timeout, c)
	cancel()
	if err != nil {
		return nil, err
	}
	src.DotEnv = dotenv
	timeout = config.Timeout(src)
	ctx, cancel = context.WithDeadline(c.Context, start.Add(timeout))
	defer cancel()
	return load(src, func(path string) ([]byte, error) { return a.readFile(ctx, timeout, path) })
}

// checkOutputs refuses an output format or a report file name that check
// cannot write.
func checkOutputs(cfg *checks.Config) error {
	if _, err := report.ParseFormat(cfg.Output); err != nil {
		return &usageError{msg: "-o/--output: " + err.Error()}
	}
	for _, path := range cfg.Reports {
		if _, err := report.FormatForFile(path); err != nil {
			return &usageError{msg: "--report " + path + ": " + err.Error()}
		}
	}
	return nil
}

// checkSelection refuses an --only or --skip that names no check, with the
// list of checks and a guess at the one meant, and a selection that leaves
// nothing to run.
func checkSelection(cfg *checks.Config) error {
	err := checks.ValidateSelection(cfg, func(flag string, id codes.CheckID) error {
		ids := checks.IDs(checks.Catalog())
		names := make([]string, len(ids))
		for i, id := range ids {
			names[i] = string(id)
		}
		return &usageError{msg: fmt.Sprintf("%s %s: no such check; the checks are %s%s",
			flag, sanitize.Line(string(id)), strings.Join(names, ", "), didYouMean(suggest(string(id), names)))}
	})
	var ue *usageError
	if err != nil && !errors.As(err, &ue) {
		err = &usageError{msg: err.Error()}
	}
	return err
}

// readDotEnv reads --env-file, or ./.env when present. Only a regular file
// of at most 1 MiB is read; anything else is bad input naming the setting
// and the path.
func (a *app) readDotEnv(ctx context.Context, timeout time.Duration, c *cli.Context) (map[string]string, error) {
	path, explicit := c.String("env-file"), c.IsSet("env-file")
	if explicit && strings.TrimSpace(path) == "" {
		return nil, &usageError{msg: "--env-file is empty: give the path of a .env file"}
	}
	label := "--env-file"
	if !explicit {
		if path = a.env["AUTHDOCTOR_ENV_FILE"]; path != "" {
			explicit, label = true, "AUTHDOCTOR_ENV_FILE (environment)"
		}
	}
	if !explicit {
		label = "--env-file (default ./.env)"
		path = filepath.Join(a.workDir, ".env")
		if _, err := os.Stat(path); err != nil {
			return nil, nil
		}
	} else if !filepath.IsAbs(path) {
		path = filepath.Join(a.workDir, path)
	}
	content, err := a.readWithin(ctx, timeout, path, maxDotEnvSize)
	if err != nil {
		if _, ok := interruption(ctx); ok {
			return nil, err
		}
		return nil, &usageError{msg: fmt.Sprintf("%s %s: %v", label, path, fileProblem(err))}
	}
	return parseDotEnv(path, content)
}

// readFile reads the --ca-file.
func (a *app) readFile(ctx context.Context, timeout time.Duration, path string) ([]byte, error) {
	if !filepath.IsAbs(path) {
		path = filepath.Join(a.workDir, path)
	}
	return a.readWithin(ctx, timeout, path, maxCAFileSize)
}

// check runs the diagnosis and writes the outputs. Everything written, to the
// streams or to report files, passes through one redaction pass.
func (a *app) check(ctx context.Context, cfg *checks.Config) (int, error) {
	files, err := a.openReports(cfg.Reports)
	if err != nil {
		return exitUsage, err
	}
	// Whatever is not renamed into place, on any path out, is removed.
	defer discardReports(files)
	secrets := secretSet(cfg)
	out := redact.NewWriter(a.streams.Out, secrets)
	errOut := redact.NewWriter(a.streams.ErrOut, secrets)
	defer func() { _ = out.Flush(); _ = errOut.Flush() }()

	opts := checks.Options{Version: version, Secrets: secrets, Now: a.now, RetryWait: a.retryWait, Checks: a.replaceChecks}
	if cfg.Verbose {
		opts.Transcript = errOut
	}
	// TERM=dumb terminals (editors' shells, some CI consoles) show escape
	// codes as text: no colour and no live lines there.
	dumb := a.env["TERM"] == "dumb"
	color := !cfg.NoColor && !dumb
	var live *report.Live
	if a.streams.ErrTTY && !cfg.Verbose && !dumb {
		// Live lines only on a terminal, and not under -v, whose transcript
		// shares stderr.
		var ids []string
		for _, c := range checks.PlanFor(cfg).Checks {
			ids = append(ids, string(c.ID))
		}
		live = report.NewLive(errOut, ids, color)
		opts.Observer = func(e checks.Event) {
			if e.Started {
				live.Start(e.Index)
			} else {
				live.Done(e.Index, e.Result.Status, e.Result.Code, e.Result.Duration)
			}
		}
	}
	rep := checks.Diagnose(ctx, cfg, opts)
	if live != nil {
		live.Stop()
	}
	if a.onReport != nil {
		a.onReport(rep)
	}
	if in, ok := interruption(ctx); ok {
		// What the checks saw after the signal is the cancellation, not the
		// server: a report of it would blame the server.
		return in.exitCode(), in
	}
	return rep.ExitCode, a.writeOutputs(ctx, out, secrets, rep, cfg, files, color)
}

// writeOutputs writes the report to stdout, then every --report file to its
// temporary file, and renames them into place only when all are complete and
// no signal came: before that, the previous files stay as they were.
func (a *app) writeOutputs(ctx context.Context, out io.Writer, secrets *redact.Set, rep report.Report, cfg *checks.Config, files []*reportFile, color bool) error {
	return a.writeRendered(ctx, out, secrets, cfg, files, color, func(w io.Writer, f report.Format, o report.Options) error {
		return report.Render(w, f, rep, o)
	})
}

// writeRendered is writeOutputs for any document: one run's report or the
// tenants matrix, rendered by render in each format asked for.
func (a *app) writeRendered(ctx context.Context, out io.Writer, secrets *redact.Set, cfg *checks.Config, files []*reportFile, color bool, render func(io.Writer, report.Format, report.Options) error) error {
	format, _ := report.ParseFormat(cfg.Output)
	if err := render(out, format, report.Options{Color: color && a.streams.OutTTY && format == report.FormatTable, Width: a.tableWidth()}); err != nil {
		return err
	}
	for _, rf := range files {
		var buf bytes.Buffer
		if err := render(&buf, rf.format, report.Options{}); err != nil {
			return err
		}
		scrub := redact.NewWriter(rf.tmp, secrets)
		_, werr := scrub.Write(buf.Bytes())
		ferr := scrub.Flush()
		for _, e := range []error{werr, ferr} {
			if e != nil {
				return fmt.Errorf("--report %s: %w", rf.path, e)
			}
		}
	}
	if in, ok := interruption(ctx); ok {
		return in
	}
	for _, rf := range files {
		if err := rf.commit(); err != nil {
			return fmt.Errorf("--report %s: %w", rf.path, err)
		}
	}
	a.finished = true
	return nil
}

// checkUsage is the check command's one-line summary. Its list of checks
// comes from the catalogue, so a check added there shows in --help and the
// man page at once (a hand-written list went stale).
func checkUsage() string { return "run the ordered checks: " + checkIDs() }

// checkIDs lists the catalogue's check ids in report order.
func checkIDs() string {
	ids := make([]string, 0, len(checks.Catalog()))
	for _, c := range checks.Catalog() {
		ids = append(ids, string(c.ID))
	}
	return strings.Join(ids, ", ")
}
