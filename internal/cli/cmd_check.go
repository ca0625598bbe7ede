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

	"github.com/urfave/cli/v2"

	"github.com/authdoctor/authdoctor/checks"
	"github.com/authdoctor/authdoctor/internal/config"
	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/report"
)

func (a *app) checkCommand() *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "run the ordered checks: tls, realm, credentials, roles, graphql, refresh",
		UsageText: "authdoctor check [flags]   (every flag also reads its environment variable, or a .env file)",
		Flags:     settingFlags(),
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return &usageError{msg: fmt.Sprintf("unexpected argument %q: check takes flags only", c.Args().First())}
			}
			cfg, err := a.loadConfig(c)
			if err != nil {
				return err
			}
			code, err := a.check(c.Context, cfg)
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

// settingFlags builds the flags from the one settings table.
func settingFlags() []cli.Flag {
	var flags []cli.Flag
	for _, s := range config.Settings() {
		usage := s.Usage + " [$" + s.EnvVar + "]"
		if s.Default != "" && s.Kind != config.KindBool {
			usage += " (default: " + s.Default + ")"
		}
		var aliases []string
		if s.Alias != "" {
			aliases = []string{s.Alias}
		}
		switch s.Kind {
		case config.KindList:
			flags = append(flags, &cli.StringSliceFlag{Name: s.Name, Aliases: aliases, Usage: usage})
		case config.KindBool:
			flags = append(flags, &cli.BoolFlag{Name: s.Name, Aliases: aliases, Usage: usage})
		default:
			flags = append(flags, &cli.StringFlag{Name: s.Name, Aliases: aliases, Usage: usage})
		}
	}
	return flags
}

// loadConfig resolves flags, environment, .env file and defaults, in that order.
func (a *app) loadConfig(c *cli.Context) (*checks.Config, error) {
	kinds := map[string]config.Kind{}
	for _, s := range config.Settings() {
		kinds[s.Name] = s.Kind
	}
	flag := func(name string) ([]string, bool) {
		if !c.IsSet(name) {
			return nil, false
		}
		switch kinds[name] {
		case config.KindList:
			return c.StringSlice(name), true
		case config.KindBool:
			return []string{strconv.FormatBool(c.Bool(name))}, true
		}
		return []string{c.String(name)}, true
	}
	dotenv, err := a.readDotEnv(c)
	if err != nil {
		return nil, err
	}
	cfg, err := config.Load(config.Sources{Flag: flag, Env: a.env, DotEnv: dotenv}, a.readFile)
	if err != nil {
		return nil, err
	}
	if _, err := report.ParseFormat(cfg.Output); err != nil {
		return nil, &usageError{msg: "-o/--output: " + err.Error()}
	}
	for _, path := range cfg.Reports {
		if _, err := report.FormatForFile(path); err != nil {
			return nil, &usageError{msg: "--report " + path + ": " + err.Error()}
		}
	}
	return cfg, nil
}

// readDotEnv reads --env-file, or ./.env when present.
func (a *app) readDotEnv(c *cli.Context) (map[string]string, error) {
	path, explicit := c.String("env-file"), c.IsSet("env-file")
	if explicit && strings.TrimSpace(path) == "" {
		return nil, &usageError{msg: "--env-file is empty: give the path of a .env file"}
	}
	if !explicit {
		if path = a.env["AUTHDOCTOR_ENV_FILE"]; path != "" {
			explicit = true
		}
	}
	if !explicit {
		path = filepath.Join(a.workDir, ".env")
		if _, err := os.Stat(path); err != nil {
			return nil, nil
		}
	} else if !filepath.IsAbs(path) {
		path = filepath.Join(a.workDir, path)
	}
	content, err := os.ReadFile(path)
	if err != nil {
		return nil, &usageError{msg: fmt.Sprintf("env file: %v", err)}
	}
	return parseDotEnv(path, content)
}

func (a *app) readFile(path string) ([]byte, error) {
	if !filepath.IsAbs(path) {
		path = filepath.Join(a.workDir, path)
	}
	return os.ReadFile(path)
}

// check runs the diagnosis and writes the outputs. Everything written, to the
// streams or to report files, passes through one redaction pass.
func (a *app) check(ctx context.Context, cfg *checks.Config) (int, error) {
	files, err := a.openReports(cfg.Reports)
	if err != nil {
		return exitUsage, err
	}
	secrets := redact.NewSet()
	secrets.AddSecret(cfg.Credentials.Password, cfg.Credentials.ClientSecret)
	secrets.AddSecret(cfg.ExtraSecrets...)
	secrets.AddBasicAuth(cfg.Credentials.ClientID, cfg.Credentials.ClientSecret.Reveal())
	out := redact.NewWriter(a.streams.Out, secrets)
	errOut := redact.NewWriter(a.streams.ErrOut, secrets)
	defer func() { _ = out.Flush(); _ = errOut.Flush() }()

	opts := checks.Options{Version: version, Secrets: secrets, Now: a.now, RetryWait: a.retryWait}
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
		for _, c := range checks.Catalog() {
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
		closeReports(files, true)
		return in.exitCode(), in
	}
	return rep.ExitCode, a.writeOutputs(out, secrets, rep, cfg, files, color)
}

// reportFile is a --report file, opened before the run so that a path that
// cannot be written is bad input (exit 2) found before any request.
type reportFile struct {
	path   string
	format report.Format
	file   *os.File
}

// openReports creates every --report file; on failure it removes the ones it
// created and names the path that failed.
func (a *app) openReports(paths []string) ([]reportFile, error) {
	var files []reportFile
	for _, path := range paths {
		format, _ := report.FormatForFile(path)
		full := path
		if !filepath.IsAbs(full) {
			full = filepath.Join(a.workDir, full)
		}
		f, err := os.Create(full)
		if err != nil {
			closeReports(files, true)
			return nil, &usageError{msg: fmt.Sprintf("--report %s: cannot write it (%v)", path, errors.Unwrap(err))}
		}
		files = append(files, reportFile{path: full, format: format, file: f})
	}
	return files, nil
}

func closeReports(files []reportFile, remove bool) {
	for _, rf := range files {
		_ = rf.file.Close()
		if remove {
			_ = os.Remove(rf.path)
		}
	}
}

func (a *app) writeOutputs(out io.Writer, secrets *redact.Set, rep report.Report, cfg *checks.Config, files []reportFile, color bool) error {
	format, _ := report.ParseFormat(cfg.Output)
	if err := report.Render(out, format, rep, report.Options{Color: color && a.streams.OutTTY && format == report.FormatTable, Width: a.streams.OutWidth}); err != nil {
		return err
	}
	for _, rf := range files {
		var buf bytes.Buffer
		if err := report.Render(&buf, rf.format, rep, report.Options{}); err != nil {
			return err
		}
		scrub := redact.NewWriter(rf.file, secrets)
		_, werr := scrub.Write(buf.Bytes())
		ferr := scrub.Flush()
		cerr := rf.file.Close()
		for _, e := range []error{werr, ferr, cerr} {
			if e != nil {
				return fmt.Errorf("--report %s: %w", rf.path, e)
			}
		}
	}
	return nil
}
