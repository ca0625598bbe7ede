package cli

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/authdoctor/authdoctor/checks"
	"github.com/authdoctor/authdoctor/internal/config"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/keycloak"
	"github.com/authdoctor/authdoctor/report"
)

// eventsCommand lists a realm's stored events through the admin API, each
// with the code that explains its error: the server's own account of who
// failed to log in, and why.
func (a *app) eventsCommand() *cli.Command {
	flags := append(settingFlags(config.AdminSettings()),
		&cli.StringSliceFlag{Name: "type", Usage: "event type, e.g. LOGIN_ERROR, CLIENT_LOGIN_ERROR, REFRESH_TOKEN_ERROR (repeatable; default LOGIN_ERROR)"},
		&cli.StringFlag{Name: "client", Usage: "only events of this client (its client id)"},
		&cli.StringFlag{Name: "user", Usage: "only events naming this username (also those of a user that does not exist)"},
		&cli.DurationFlag{Name: "since", Value: time.Hour, Usage: "only events of the last DURATION, by the server's clock"},
		&cli.IntFlag{Name: "max", Value: 50, Usage: "at most this many events"},
		&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "table", Usage: "table, json or markdown"},
	)
	return &cli.Command{
		Name:      "events",
		Usage:     "list a realm's recent events (LOGIN_ERROR by default) with what each error means; needs admin access",
		UsageText: "authdoctor events --tenant-id ID --admin-username U --admin-password P [--type T] [--client C] [--user U] [--since 1h] [--max 50] [-o table|json|markdown]",
		Flags:     flags,
		Action: func(c *cli.Context) error {
			start := time.Now()
			if c.Args().Present() {
				return &usageError{msg: fmt.Sprintf("unexpected argument %q: events takes flags only", c.Args().First())}
			}
			q, format, err := eventsQuery(c)
			if err != nil {
				return err
			}
			cfg, err := a.loadConfig(c, start, config.LoadAdmin)
			if err != nil {
				return err
			}
			ctx, cancel := context.WithDeadline(c.Context, start.Add(cfg.Timeout))
			defer cancel()
			return a.listEvents(ctx, cfg, q, c.String("user"), c.Duration("since"), format)
		},
	}
}

// eventsQuery reads the command's own flags.
func eventsQuery(c *cli.Context) (keycloak.EventQuery, report.Format, error) {
	q := keycloak.EventQuery{Types: c.StringSlice("type"), Client: strings.TrimSpace(c.String("client")), Max: c.Int("max")}
	if len(q.Types) == 0 {
		q.Types = []string{keycloak.EventLoginError}
	}
	for i, t := range q.Types {
		t = strings.ToUpper(strings.TrimSpace(t))
		if t == "" || strings.Trim(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") != "" {
			return q, "", &usageError{msg: fmt.Sprintf("--type %q: want an event type such as LOGIN_ERROR (letters and _)", c.StringSlice("type")[i])}
		}
		q.Types[i] = t
	}
	if q.Max < 1 || q.Max > 1000 {
		return q, "", &usageError{msg: fmt.Sprintf("--max %d: want 1 to 1000", q.Max)}
	}
	if d := c.Duration("since"); d <= 0 {
		return q, "", &usageError{msg: "--since: want a positive duration such as 10m or 24h"}
	}
	format, err := report.ParseFormat(c.String("output"))
	if err != nil || (format != report.FormatTable && format != report.FormatJSON && format != report.FormatMarkdown) {
		return q, "", &usageError{msg: fmt.Sprintf("-o/--output %q: events are written as table, json or markdown", c.String("output"))}
	}
	return q, format, nil
}

// listEvents logs in to the admin API, reads the events and writes them.
// The since bound is taken on the server's clock (the Date of its answer),
// so a skewed clock here does not hide or add events.
func (a *app) listEvents(ctx context.Context, cfg *checks.Config, q keycloak.EventQuery, user string, since time.Duration, format report.Format) error {
	secrets := redact.NewSet()
	secrets.AddSecret(cfg.Admin.Password, cfg.Admin.ClientSecret, cfg.Admin.Token)
	secrets.AddSecret(cfg.ExtraSecrets...)
	secrets.AddBasicAuth(cfg.Admin.ClientID, cfg.Admin.ClientSecret.Reveal())
	out := redact.NewWriter(a.streams.Out, secrets)
	defer func() { _ = out.Flush() }()

	if u, err := url.Parse(cfg.KeycloakURL); err == nil && u.Scheme == "http" && !httpx.IsLoopback(u.Hostname()) && !cfg.AllowPlainHTTP {
		return fmt.Errorf("PLAIN_HTTP_BLOCKED: admin login not sent: %s is plain http:// to %s, which is not this machine; use https, or --allow-plain-http", cfg.KeycloakURL, u.Hostname())
	}
	t := httpx.NewTransport(httpx.TransportOptions{RootCAs: cfg.RootCAs, Insecure: cfg.Insecure, Resolve: cfg.Resolve,
		UserAgent: "authdoctor/" + version, Secrets: secrets, RetryWait: a.retryWait})
	defer t.Close()
	kc := keycloak.NewClient(cfg.KeycloakURL, cfg.Realm, t, secrets)
	admin, p := kc.LoginAdmin(ctx, cfg.Admin)
	if p != nil {
		return fmt.Errorf("ADMIN_LOGIN_FAILED: the admin login was refused (%s): %s", p.Code, p.Message)
	}
	// The server's clock: the Date of its answer, else (Keycloak 26.7.3
	// sends none) as measured at the admin login.
	serverNow := admin.ServerNow(a.now())
	if conf, ae := admin.EventsConfig(ctx); ae == nil {
		if !conf.Enabled {
			fmt.Fprintf(a.streams.ErrOut, "authdoctor: realm %s does not store user events (Save events is off); 'authdoctor explain EVENTS_DISABLED' says how to turn it on\n", cfg.Realm)
		}
		if !conf.ServerTime.IsZero() {
			serverNow = conf.ServerTime
		}
	}
	q.Since = serverNow.Add(-since)
	events, ae := admin.Events(ctx, q)
	if ae != nil {
		code := "UNEXPECTED_RESPONSE"
		if ae.Forbidden {
			code = "EVENTS_FORBIDDEN"
		}
		return fmt.Errorf("%s: %s ('authdoctor explain %s' says what to do)", code, ae.Problem.Message, code)
	}
	list := report.EventList{Realm: cfg.Realm, Since: q.Since, Types: q.Types}
	for _, e := range events {
		if user != "" && !strings.EqualFold(e.Username(), user) {
			continue
		}
		row := report.EventRow{Event: checks.ReportEvents([]keycloak.Event{e})[0]}
		if code := checks.EventCode(e.Error); code != nil {
			row.Code, row.Explanation = code.ID, code.Title
		}
		list.Rows = append(list.Rows, row)
	}
	return report.RenderEvents(out, format, list, time.Local)
}
