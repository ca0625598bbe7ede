package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/authdoctor/authdoctor/checks"
	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/internal/tenants"
	"github.com/authdoctor/authdoctor/report"
)

// maxTenantsFileSize bounds the --tenants file: 100,000 lines of CSV.
const maxTenantsFileSize = 16 << 20

// secretSet is the secrets of one run of cfg: its password and client
// secret (also as the Basic credential), the --secret values and the admin
// credentials. Tokens join it as they arrive.
func secretSet(cfg *checks.Config) *redact.Set {
	secrets := redact.NewSet()
	secrets.AddSecret(cfg.Credentials.Password, cfg.Credentials.ClientSecret)
	secrets.AddSecret(cfg.ExtraSecrets...)
	secrets.AddBasicAuth(cfg.Credentials.ClientID, cfg.Credentials.ClientSecret.Reveal())
	secrets.AddSecret(cfg.Admin.Password, cfg.Admin.ClientSecret, cfg.Admin.Token)
	secrets.AddBasicAuth(cfg.Admin.ClientID, cfg.Admin.ClientSecret.Reveal())
	return secrets
}

// checkTenants is `check --tenants FILE`: the file is read and every
// tenant's configuration made before any request (a bad line, or a
// variable it names that is not set, is exit 2 naming the line); then the
// tenants run, --parallel at once, and one matrix report is written in the
// chosen format. --timeout bounds each tenant's run; the whole run ends
// after as many timeouts as there are rounds of --parallel tenants. The
// exit code is as for one run: 1 when any tenant failed.
func (a *app) checkTenants(c *cli.Context, start time.Time, cfg *checks.Config) error {
	list, cfgs, err := a.loadTenants(c, start, cfg)
	if err != nil {
		return err
	}
	rounds := (len(list) + cfg.Parallel - 1) / cfg.Parallel
	ctx, cancel := context.WithDeadline(c.Context, start.Add(time.Duration(rounds+1)*cfg.Timeout))
	defer cancel()

	files, err := a.openReports(cfg.Reports)
	if err != nil {
		return err
	}
	defer discardReports(files)
	all := tenantSecrets(cfg, cfgs)
	out := redact.NewWriter(a.streams.Out, all)
	errOut := redact.NewWriter(a.streams.ErrOut, all)
	defer func() { _ = out.Flush(); _ = errOut.Flush() }()

	opts := a.tenantOptions(cfg, errOut)
	dumb := a.env["TERM"] == "dumb"
	color := !cfg.NoColor && !dumb
	var live *report.MatrixLive
	if a.streams.ErrTTY && !cfg.Verbose && !dumb {
		// One summary line on a terminal, not under -v, whose transcript
		// shares stderr.
		live = report.NewMatrixLive(errOut, len(list), color)
		defer live.Stop()
		opts.Started = func(int) { live.Start() }
		opts.Done = func(_ int, r report.Report) { live.Done(r) }
	}
	m := tenants.Run(ctx, cfg, list, cfgs, opts)
	if live != nil {
		live.Stop() // the line is erased before the matrix is written
	}
	if a.onMatrix != nil {
		a.onMatrix(m)
	}
	return a.finishTenants(ctx, out, all, m, cfg, files, color)
}

// tenantSecrets is what the output of a run over these tenants is scrubbed
// of: every tenant's static secrets (each tenant's report is scrubbed of
// its tokens by its own run).
func tenantSecrets(cfg *checks.Config, cfgs []*checks.Config) *redact.Set {
	all := secretSet(cfg)
	for _, tc := range cfgs {
		all.AddSecret(tc.Credentials.Password, tc.Credentials.ClientSecret)
		all.AddBasicAuth(tc.Credentials.ClientID, tc.Credentials.ClientSecret.Reveal())
	}
	return all
}

func (a *app) tenantOptions(cfg *checks.Config, transcript io.Writer) tenants.Options {
	opts := tenants.Options{
		Parallel: cfg.Parallel,
		Diagnose: checks.Options{Version: version, Now: a.now, RetryWait: a.retryWait, Checks: a.replaceChecks},
		Secrets:  secretSet,
	}
	if cfg.Verbose {
		opts.Diagnose.Transcript = transcript
	}
	return opts
}

// loadTenants reads and parses the --tenants file and makes each tenant's
// configuration, before any request.
func (a *app) loadTenants(c *cli.Context, start time.Time, cfg *checks.Config) ([]tenants.Tenant, []*checks.Config, error) {
	path := cfg.TenantsFile
	if !filepath.IsAbs(path) {
		path = filepath.Join(a.workDir, path)
	}
	readCtx, cancelRead := context.WithDeadline(c.Context, start.Add(cfg.Timeout))
	content, err := a.readWithin(readCtx, cfg.Timeout, path, maxTenantsFileSize)
	cancelRead()
	if err != nil {
		if _, ok := interruption(c.Context); ok {
			return nil, nil, err
		}
		return nil, nil, &usageError{msg: fmt.Sprintf("--tenants %s: %v", cfg.TenantsFile, fileProblem(err))}
	}
	list, err := tenants.Parse(cfg.TenantsFile, content)
	if err != nil {
		return nil, nil, err
	}
	dotCtx, cancelDot := context.WithDeadline(c.Context, start.Add(cfg.Timeout))
	dotenv, err := a.readDotEnv(dotCtx, cfg.Timeout, c)
	cancelDot()
	if err != nil {
		return nil, nil, err
	}
	lookup := func(name string) (string, bool) {
		if v, ok := a.env[name]; ok && v != "" {
			return v, true
		}
		v, ok := dotenv[name]
		return v, ok
	}
	cfgs, err := tenants.Configs(cfg.TenantsFile, cfg, list, lookup)
	if err != nil {
		return nil, nil, err
	}
	return list, cfgs, nil
}

// finishTenants writes the matrix to stdout and the --report files (as
// writeOutputs does for one run) and returns the exit code as an error.
func (a *app) finishTenants(ctx context.Context, out io.Writer, secrets *redact.Set, m report.Matrix, cfg *checks.Config, files []*reportFile, color bool) error {
	if in, ok := interruption(ctx); ok {
		return in
	}
	render := func(w io.Writer, f report.Format, o report.Options) error { return report.RenderMatrix(w, f, m, o) }
	if err := a.writeRendered(ctx, out, secrets, cfg, files, color, render); err != nil {
		return err
	}
	if m.ExitCode != exitOK {
		return &exitError{code: m.ExitCode}
	}
	return nil
}
