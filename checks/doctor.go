package checks

import (
	"context"
	"io"
	"runtime"
	"time"

	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/keycloak"
	"github.com/authdoctor/authdoctor/report"
)

// Options are the run's collaborators, injected so tests control them.
type Options struct {
	Version    string
	Secrets    *redact.Set // receives every token as it arrives
	Transcript io.Writer   // -v output (already scrubbing), or nil
	Observer   Observer    // live progress, or nil
	Now        func() time.Time
	RetryWait  time.Duration // 0: the default backoff
	// Checks, when set, replaces the catalogue the run uses; tests use it
	// to plant a failing check (INTERNAL_ERROR) in a real CLI run.
	Checks func(catalogue []Check) []Check
}

// Diagnose runs every check against the configured servers and returns the report.
func Diagnose(ctx context.Context, cfg *Config, o Options) report.Report {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Secrets == nil {
		o.Secrets = redact.NewSet()
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()

	t := httpx.NewTransport(httpx.TransportOptions{
		RootCAs: cfg.RootCAs, Insecure: cfg.Insecure, Resolve: cfg.Resolve,
		UserAgent: "authdoctor/" + o.Version, Transcript: o.Transcript, Secrets: o.Secrets, RetryWait: o.RetryWait,
	})
	defer t.Close()
	facts := &Facts{Config: cfg, Transport: t, Keycloak: keycloak.NewClient(cfg.KeycloakURL, cfg.Realm, t, o.Secrets), Now: o.Now}
	catalogue := CatalogFor(cfg)
	if o.Checks != nil {
		catalogue = o.Checks(catalogue)
	}
	runner := &Runner{Checks: catalogue, Observer: o.Observer}

	start, wall := o.Now(), time.Now()
	results := runner.Run(ctx, facts)
	rep := report.Report{
		Tool:     report.Tool{Name: "authdoctor", Version: o.Version},
		Target:   report.Target{KeycloakURL: cfg.KeycloakURL, Realm: cfg.Realm, ClientID: cfg.Credentials.ClientID, Grant: cfg.Grant(), GraphQLURL: cfg.GraphQLURL},
		Checks:   results,
		Duration: time.Since(wall),
		Environment: report.Environment{
			Version: o.Version, OS: runtime.GOOS, Arch: runtime.GOARCH, GoVersion: runtime.Version(),
			Time: start.UTC(), Settings: cfg.Settings,
		},
	}
	rep.Summary = report.Count(results)
	if rep.Summary.Failed > 0 {
		rep.ExitCode = 1
	}
	// Messages quote servers, and a server may echo a password or a token:
	// every registered secret is scrubbed from every field here, before any
	// renderer can shorten, wrap, quote or escape the text around it.
	return rep.MapText(func(s string, _ bool) string { return o.Secrets.Scrub(s) })
}
