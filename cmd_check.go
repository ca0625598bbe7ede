package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/joho/godotenv"
	"github.com/urfave/cli/v2"

	"github.com/authdoctor/authdoctor/checks"
	"github.com/authdoctor/authdoctor/report"
	"github.com/authdoctor/authdoctor/report/redact"
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
	for _, s := range checks.Settings() {
		usage := s.Usage + " [$" + s.EnvVar + "]"
		if s.Default != "" && s.Kind != checks.KindBool {
			usage += " (default: " + s.Default + ")"
		}
		var aliases []string
		if s.Alias != "" {
			aliases = []string{s.Alias}
		}
		switch s.Kind {
		case checks.KindList:
			flags = append(flags, &cli.StringSliceFlag{Name: s.Name, Aliases: aliases, Usage: usage})
		case checks.KindBool:
			flags = append(flags, &cli.BoolFlag{Name: s.Name, Aliases: aliases, Usage: usage})
		default:
			flags = append(flags, &cli.StringFlag{Name: s.Name, Aliases: aliases, Usage: usage})
		}
	}
	return flags
}

// loadConfig resolves flags, environment, .env file and defaults, in that order.
func (a *app) loadConfig(c *cli.Context) (*checks.Config, error) {
	kinds := map[string]checks.Kind{}
	for _, s := range checks.Settings() {
		kinds[s.Name] = s.Kind
	}
	flag := func(name string) ([]string, bool) {
		if !c.IsSet(name) {
			return nil, false
		}
		switch kinds[name] {
		case checks.KindList:
			return c.StringSlice(name), true
		case checks.KindBool:
			return []string{strconv.FormatBool(c.Bool(name))}, true
		}
		return []string{c.String(name)}, true
	}
	dotenv, err := a.readDotEnv(c)
	if err != nil {
		return nil, err
	}
	cfg, err := checks.Load(checks.Sources{Flag: flag, Env: a.env, DotEnv: dotenv}, a.readFile)
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
	vars, err := godotenv.Read(path)
	if err != nil {
		return nil, &usageError{msg: fmt.Sprintf("env file %s: %v", path, err)}
	}
	return vars, nil
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
	color := !cfg.NoColor
	var live *report.Live
	if a.streams.ErrTTY && !cfg.Verbose {
		// Live lines only on a terminal, and not under -v, whose transcript
		// shares stderr.
		var ids []string
		for _, c := range checks.Catalog() {
			ids = append(ids, c.ID)
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
	return rep.ExitCode, a.writeOutputs(out, secrets, rep, cfg, color)
}

func (a *app) writeOutputs(out io.Writer, secrets *redact.Set, rep report.Report, cfg *checks.Config, color bool) error {
	format, _ := report.ParseFormat(cfg.Output)
	if err := report.Render(out, format, rep, report.Options{Color: color && a.streams.OutTTY && format == report.FormatTable, Width: a.streams.OutWidth}); err != nil {
		return err
	}
	for _, path := range cfg.Reports {
		f, _ := report.FormatForFile(path)
		var buf bytes.Buffer
		if err := report.Render(&buf, f, rep, report.Options{}); err != nil {
			return err
		}
		if !filepath.IsAbs(path) {
			path = filepath.Join(a.workDir, path)
		}
		w, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("--report: %w", err)
		}
		scrub := redact.NewWriter(w, secrets)
		_, werr := scrub.Write(buf.Bytes())
		ferr := scrub.Flush()
		cerr := w.Close()
		for _, e := range []error{werr, ferr, cerr} {
			if e != nil {
				return fmt.Errorf("--report %s: %w", path, e)
			}
		}
	}
	return nil
}
