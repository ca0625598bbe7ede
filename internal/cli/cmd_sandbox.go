package cli

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/report"
)

// sandboxProfiles are the Keycloak versions the sandbox emulates.
var sandboxProfiles = []string{"26.7", "26.0", "24", "19"}

func (a *app) sandboxCommand() *cli.Command {
	tlsMode := &tlsFlag{}
	return &cli.Command{
		Name:  "sandbox",
		Usage: "serve the built-in Keycloak + GraphQL emulator, with healthy and broken accounts to try",
		Flags: []cli.Flag{
			&cli.GenericFlag{Name: "tls", Value: tlsMode, Usage: "serve over HTTPS with a CA made for the run (the guide prints its file for --ca-file); " +
				"`VARIANT` breaks the certificate: expired, wrong-host, untrusted or expiring (default valid)"},
			&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8080", Usage: "address to listen on"},
			&cli.StringFlag{Name: "profile", Value: "26.7", Usage: "Keycloak version to emulate: 26.7, 26.0, 24 or 19"},
			&cli.StringFlag{Name: "relative-path", Usage: "serve Keycloak under this path, like legacy servers' /auth"},
			&cli.StringFlag{Name: "hostname", Usage: "frontend URL put in tokens' iss, like Keycloak's --hostname (e.g. https://sso.example.com)"},
			&cli.StringFlag{Name: "hasura-issuer", Usage: "issuer the GraphQL emulator requires in tokens (JWTNotInIssuer otherwise)"},
			&cli.StringFlag{Name: "hasura-claims-namespace", Usage: "claims_namespace of the GraphQL emulator: the token key it reads the Hasura claims from (default https://hasura.io/jwt/claims)"},
			&cli.StringFlag{Name: "hasura-claims-namespace-path", Usage: "claims_namespace_path of the GraphQL emulator, e.g. $.hasura or $ (instead of --hasura-claims-namespace)"},
			&cli.DurationFlag{Name: "keycloak-clock", Usage: "put the emulated Keycloak's clock this far off this machine's, e.g. --keycloak-clock=-10m (token iat and exp, its Date)"},
			&cli.DurationFlag{Name: "graphql-clock", Usage: "put the GraphQL emulator's clock this far off this machine's, e.g. --graphql-clock=-30s (its token checks, its Date)"},
		},
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				arg := c.Args().First()
				if tlsMode.variant != "" && slices.Contains(tlsVariantNames(), arg) {
					return &usageError{msg: fmt.Sprintf("unexpected argument %q: write --tls=%s", arg, arg)}
				}
				return &usageError{msg: fmt.Sprintf("unexpected argument %q: sandbox takes flags only", arg)}
			}
			opts := fixtures.Options{Profile: c.String("profile"), RelativePath: c.String("relative-path"),
				Hostname: c.String("hostname"), HasuraIssuer: c.String("hasura-issuer"),
				HasuraClaimsNamespace: c.String("hasura-claims-namespace"), HasuraClaimsNamespacePath: c.String("hasura-claims-namespace-path"),
				ClockSkew: c.Duration("keycloak-clock"), HasuraClockSkew: c.Duration("graphql-clock") - c.Duration("keycloak-clock")}
			if tlsMode.variant != "" {
				return a.serveSandboxTLS(c.Context, c.String("addr"), opts, tlsMode.variant)
			}
			srv, err := fixtures.Start(c.Context, c.String("addr"), opts)
			if err != nil {
				return &usageError{msg: "sandbox: " + err.Error()}
			}
			defer srv.Close()
			if err := fixtures.WriteGuide(a.streams.Out, srv); err != nil {
				return err
			}
			fmt.Fprintln(a.streams.Out, "\nServing until interrupted (Ctrl-C).")
			<-c.Context.Done()
			return nil
		},
	}
}

// demoScenarios are the runs of `authdoctor demo`: one healthy account, then
// two broken ones whose fixes are worth seeing.
func demoScenarios() []string {
	return []string{"healthy-admin", "public-client-credentials", "missing-admin-role"}
}

func (a *app) demoCommand() *cli.Command {
	return &cli.Command{
		Name:  "demo",
		Usage: "start the sandbox in-process and run check against a healthy and two broken accounts",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "table", Usage: "output format of each report"},
		},
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return &usageError{msg: fmt.Sprintf("unexpected argument %q: demo takes flags only", c.Args().First())}
			}
			if _, err := report.ParseFormat(c.String("output")); err != nil {
				return &usageError{msg: "-o/--output: " + err.Error()}
			}
			srv, err := fixtures.Start(c.Context, "127.0.0.1:0", fixtures.Options{})
			if err != nil {
				return err
			}
			defer srv.Close()
			byName := map[string]fixtures.Scenario{}
			for _, s := range fixtures.Scenarios() {
				byName[s.Name] = s
			}
			var unexpected []string
			names := demoScenarios()
			for i, name := range names {
				sc := byName[name]
				fmt.Fprintf(a.streams.Out, "%s\n== %d/%d  %s: %s\n", sepIf(i), i+1, len(names), sc.Name, sc.Summary)
				fmt.Fprintf(a.streams.Out, "$ %s authdoctor check %s\n\n", envLine(sc.Env), strings.Join(sc.Args, " "))
				code, got := a.runScenario(c.Context, srv, sc, c.String("output"))
				if c.Context.Err() != nil {
					return nil // interrupted: the caller says so
				}
				if !got {
					unexpected = append(unexpected, fmt.Sprintf("%s (exit %d)", sc.Name, code))
				}
			}
			if len(unexpected) > 0 {
				return fmt.Errorf("demo: these scenarios did not end as expected: %s", strings.Join(unexpected, ", "))
			}
			fmt.Fprintln(a.streams.Out, "\nTry it yourself: 'authdoctor sandbox' serves the same emulator with more broken accounts.")
			return nil
		},
	}
}

// runScenario runs `authdoctor check` through the real CLI path with the
// scenario's environment, and reports whether the exit code matches.
func (a *app) runScenario(ctx context.Context, srv *fixtures.Server, sc fixtures.Scenario, output string) (int, bool) {
	env := map[string]string{"KEYCLOAK_URL": srv.URL, "GRAPHQL_URL": srv.GraphQLURL}
	// The variables that shape how a report is shown go with each run, so
	// a demo report is laid out as `check` lays it out in the same
	// terminal or pipe (COLUMNS=80 authdoctor demo | less).
	for _, k := range []string{"COLUMNS", "TERM", "NO_COLOR"} {
		if v, ok := a.env[k]; ok {
			env[k] = v
		}
	}
	for k, v := range sc.Env {
		env[k] = v
	}
	sub := &app{streams: a.streams, env: env, workDir: a.workDir, now: a.now, retryWait: a.retryWait, nested: true, onReport: a.onReport, readConfigFile: a.readConfigFile}
	args := append([]string{"authdoctor", "check", "-o", output}, sc.Args...)
	code := sub.execute(ctx, args)
	want := exitOK
	if sc.FailsRun() {
		want = exitFailed
	}
	return code, code == want
}

func sepIf(i int) string {
	if i == 0 {
		return ""
	}
	return "\n"
}

// envLine shows the scenario's variables as a person would export them;
// sandbox passwords are shown as variables, like real ones.
func envLine(env map[string]string) string {
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		v := env[k]
		if k == "PASSWORD" || k == "CLIENT_SECRET" {
			v = "…"
		}
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, " ")
}
