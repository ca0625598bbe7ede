package checks

import (
	"context"
	"io"
	"runtime"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
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
	// Shared, when set, is the connections of a run over many tenants
	// (httpx.NewSharedTransport): this run forks it, with its own secrets
	// and transcript, instead of building its own.
	Shared *httpx.Transport
}

// TransportOptions are the HTTP settings of a run of cfg.
func TransportOptions(cfg *Config, o Options) httpx.TransportOptions {
	return httpx.TransportOptions{
		RootCAs: cfg.RootCAs, Insecure: cfg.Insecure, Resolve: cfg.Resolve,
		UserAgent: "authdoctor/" + o.Version, Transcript: o.Transcript, Secrets: o.Secrets, RetryWait: o.RetryWait,
	}
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

	var t *httpx.Transport
	if o.Shared != nil {
		t = o.Shared.Fork(o.Secrets, o.Transcript)
	} else {
		t = httpx.NewTransport(TransportOptions(cfg, o))
		defer t.Close()
	}
	facts := &Facts{Config: cfg, Transport: t, Keycloak: keycloak.NewClient(cfg.KeycloakURL, cfg.Realm, t, o.Secrets), Now: o.Now}
	plan := PlanFor(cfg)
	catalogue := plan.Checks
	if o.Checks != nil {
		catalogue = o.Checks(catalogue)
	}
	runner := &Runner{Checks: catalogue, Observer: o.Observer, Omitted: plan.Omitted}

	start, wall := o.Now(), time.Now()
	results := runner.Run(ctx, facts)
	// Each fix's commands and console path are filled in with this run's
	// realm, client, user, roles and hosts (never a secret).
	FillFixes(results, cfg)
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
	rep.Policy = report.Policy{FailOn: cfg.FailOn, Strict: cfg.Strict, Only: idStrings(cfg.Only), Skip: idStrings(cfg.Skip), Prerequisites: idStrings(plan.Prerequisites)}
	// Messages quote servers, and a server may echo a password or a token:
	// every registered secret is scrubbed from every field here, before any
	// renderer can shorten, wrap, quote or escape the text around it. The
	// exit reason is written from the scrubbed text.
	rep = rep.MapText(func(s string, _ bool) string { return o.Secrets.Scrub(s) })
	rep.Decide()
	return rep
}

func idStrings(ids []codes.CheckID) []string {
	var out []string
	for _, id := range ids {
		out = append(out, string(id))
	}
	return out
}
