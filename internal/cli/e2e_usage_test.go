package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/internal/iostreams"
)

// A mistyped command or flag: exit 2, one line with the nearest names, and
// the help hint; nothing on stdout.
func TestDidYouMean(t *testing.T) {
	tests := []struct {
		args []string
		want string // the first line of stderr
	}{
		{[]string{"chekc"}, `authdoctor: unknown command "chekc"; did you mean check?`},
		{[]string{"explian", "TLS_EXPIRED"}, `authdoctor: unknown command "explian"; did you mean explain?`},
		{[]string{"sandbx"}, `authdoctor: unknown command "sandbx"; did you mean sandbox?`},
		{[]string{"help", "chekc"}, `authdoctor: unknown command "chekc"; did you mean check?`},
		{[]string{"frobnicate"}, `authdoctor: unknown command "frobnicate"; the commands are check, serve, events, explain, sandbox, demo, version, completion, man and help`},
		{[]string{"TLS_EXPIRED"}, `authdoctor: unknown command "TLS_EXPIRED"; to read about code TLS_EXPIRED: authdoctor explain TLS_EXPIRED`},
		{[]string{"check", "--requre-role", "admin-user"}, `authdoctor: unknown flag --requre-role; did you mean --require-role?`},
		{[]string{"check", "--keycloak-ulr", "https://sso.example.com"}, `authdoctor: unknown flag --keycloak-ulr; did you mean --keycloak-url?`},
		{[]string{"check", "--require", "x"}, `authdoctor: unknown flag --require; did you mean --require-role or --require-field?`},
		{[]string{"check", "--frobnicate"}, `authdoctor: unknown flag --frobnicate`},
		{[]string{"check", "-x"}, `authdoctor: unknown flag -x`},
		{[]string{"events", "--sinse", "1h"}, `authdoctor: unknown flag --sinse; did you mean --since?`},
		{[]string{"sandbox", "--proflie", "19"}, `authdoctor: unknown flag --proflie; did you mean --profile?`},
		{[]string{"sandbox", "--tls=expird"}, `authdoctor: --tls "expird": the variants are valid, expired, wrong-host, untrusted and expiring; did you mean expired?`},
		{[]string{"--keycloak-url", "https://sso.example.com"}, `authdoctor: unknown flag --keycloak-url: it is a flag of check, serve and events, and goes after the command (authdoctor check --keycloak-url ...)`},
		{[]string{"explain", "TLS_EXPRIED"}, `authdoctor: unknown code "TLS_EXPRIED"; did you mean TLS_EXPIRED? ('authdoctor explain' lists every code)`},
		{[]string{"completion", "bsah"}, `authdoctor: unknown shell "bsah"; did you mean bash?`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			run := runCLI(t, nil, tt.args...)
			lines := strings.Split(strings.TrimSuffix(run.stderr, "\n"), "\n")
			if run.code != exitUsage || run.stdout != "" || len(lines) != 2 || !strings.HasPrefix(lines[1], "Run 'authdoctor ") {
				t.Fatalf("exit %d, stdout %q, stderr:\n%s", run.code, run.stdout, run.stderr)
			}
			if lines[0] != tt.want {
				t.Fatalf("got  %s\nwant %s", lines[0], tt.want)
			}
		})
	}
}

// At the top level, -v is not the version (urfave/cli's default): it is
// refused with where it belongs, and check -v is verbose.
func TestDashVIsVerboseOnly(t *testing.T) {
	top := runCLI(t, nil, "-v")
	if top.code != exitUsage || top.stdout != "" || !strings.Contains(top.stderr, "-v is --verbose, a flag of check") || strings.Contains(top.stderr, version) {
		t.Fatalf("authdoctor -v: exit %d\nstdout: %s\nstderr: %s", top.code, top.stdout, top.stderr)
	}
	srv := startSandbox(t, fixtures.Options{})
	run := runCLI(t, srv.env(anaEnv()), "check", "-v", "-o", "short")
	if run.code != exitOK || !strings.Contains(run.stderr, "/protocol/openid-connect/token") || strings.Contains(run.stdout+run.stderr, anaPassword) {
		t.Fatalf("check -v: exit %d, no transcript on stderr:\n%s", run.code, run.stderr)
	}
}

// `version`, `--version` and `version -o json` say the release, the module
// version, the commit and the build date from the build information.
func TestVersionFromBuildInfo(t *testing.T) {
	stamped := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/authdoctor/authdoctor", Version: "v0.1.0"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "5c581f7c0ffee"}, {Key: "vcs.time", Value: "2026-11-20T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	installed := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/authdoctor/authdoctor", Version: "v0.2.0"}}
	tests := []struct {
		name string
		info *debug.BuildInfo
		args []string
		want []string
	}{
		{"from a checkout", stamped, []string{"version"}, []string{"authdoctor " + version, "github.com/authdoctor/authdoctor v0.1.0", "5c581f7c0ffee (with uncommitted changes)", "2026-11-20T10:00:00Z", "go1.26.8"}},
		{"--version", stamped, []string{"--version"}, []string{"authdoctor " + version, "5c581f7c0ffee", "2026-11-20T10:00:00Z"}},
		{"go install @version", installed, []string{"version"}, []string{"github.com/authdoctor/authdoctor v0.2.0", "commit      unknown", "build date  unknown"}},
		{"no build information", nil, []string{"version"}, []string{"authdoctor " + version, "module      unknown"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := runWithBuildInfo(t, tt.info, tt.args...)
			if run.code != exitOK || run.stderr != "" {
				t.Fatalf("exit %d: %s", run.code, run.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(run.stdout, w) {
					t.Errorf("lacks %q:\n%s", w, run.stdout)
				}
			}
		})
	}
	run := runWithBuildInfo(t, stamped, "version", "-o", "json")
	var got buildInfo
	if err := json.Unmarshal([]byte(run.stdout), &got); err != nil || run.code != exitOK {
		t.Fatalf("exit %d, %v:\n%s", run.code, err, run.stdout)
	}
	want := buildInfo{Version: version, Module: "github.com/authdoctor/authdoctor", ModuleVersion: "v0.1.0", Commit: "5c581f7c0ffee", BuildDate: "2026-11-20T10:00:00Z", Modified: true, GoVersion: "go1.26.8", Platform: got.Platform}
	if got != want || !strings.Contains(got.Platform, "/") {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
	for _, args := range [][]string{{"version", "-o", "yaml"}, {"version", "extra"}} {
		if bad := runCLI(t, nil, args...); bad.code != exitUsage || bad.stdout != "" {
			t.Errorf("%v: exit %d", args, bad.code)
		}
	}
}

func runWithBuildInfo(t *testing.T, info *debug.BuildInfo, args ...string) cliResult {
	t.Helper()
	return runCLIWith(t, func(a *app) {
		a.buildInfo = func() (*debug.BuildInfo, bool) { return info, info != nil }
	}, nil, args...)
}

// Several missing settings: one message naming all of them and where each
// comes from, exit 2, nothing sent.
func TestMissingSettingsAllAtOnce(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	tests := []struct {
		name  string
		env   map[string]string
		args  []string
		want  []string
		lines int // of the message, help hint included
	}{
		{"check with nothing", nil, []string{"check"}, []string{"3 settings are missing or incomplete", "./.env", "--keycloak-url", "KEYCLOAK_URL", "--tenant-id", "TENANT_ID", "--client-id", "CLIENT_ID"}, 5},
		{"check with only the URL", map[string]string{"KEYCLOAK_URL": srv.URL}, []string{"check"}, []string{"2 settings", "TENANT_ID", "CLIENT_ID"}, 4},
		{"check, a password without its user and no client", map[string]string{"KEYCLOAK_URL": srv.URL, "TENANT_ID": fixtures.TenantID, "PASSWORD": anaPassword}, []string{"check"}, []string{"2 settings", "CLIENT_ID", "no username"}, 4},
		{"events with nothing", nil, []string{"events"}, []string{"3 settings", "KEYCLOAK_URL", "TENANT_ID", "--admin-username"}, 5},
		{"check with one missing", map[string]string{"KEYCLOAK_URL": srv.URL, "TENANT_ID": fixtures.TenantID}, []string{"check"}, []string{"no client id"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(srv.sb.Requests())
			run := runCLI(t, tt.env, tt.args...)
			if run.code != exitUsage || run.stdout != "" {
				t.Fatalf("exit %d\n%s%s", run.code, run.stdout, run.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(run.stderr, w) {
					t.Errorf("lacks %q:\n%s", w, run.stderr)
				}
			}
			if n := strings.Count(run.stderr, "\n"); n != tt.lines {
				t.Errorf("%d lines, want %d:\n%s", n, tt.lines, run.stderr)
			}
			if strings.Contains(run.stderr, anaPassword) || len(srv.sb.Requests()) != before {
				t.Fatalf("a secret in the message, or a request sent:\n%s", run.stderr)
			}
		})
	}
}

// An empty or blank PASSWORD next to a USERNAME is a configuration finding
// (exit 2, named as such), never the client-credentials grant; a USERNAME
// from the environment without any PASSWORD variable is still ignored.
func TestEmptyPasswordIsAConfigurationFinding(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	for _, tt := range []struct {
		name, password string
	}{{"empty", ""}, {"blank", "   "}} {
		t.Run(tt.name, func(t *testing.T) {
			env := srv.env(anaEnv())
			env["PASSWORD"] = tt.password
			before := len(srv.sb.Requests())
			run := runCLI(t, env, "check")
			if run.code != exitUsage || !strings.Contains(run.stderr, "PASSWORD (environment) is empty (or only white space) while USERNAME (environment) is set") {
				t.Fatalf("exit %d\n%s%s", run.code, run.stdout, run.stderr)
			}
			if strings.Contains(run.stdout+run.stderr, "SERVICE_ACCOUNT") || len(srv.sb.Requests()) != before {
				t.Fatalf("fell back to the client-credentials grant:\n%s%s", run.stdout, run.stderr)
			}
		})
	}
	// The operating system's USERNAME, no PASSWORD variable at all: the
	// client-credentials grant of a service account, which works.
	svc := scenarioNamed(t, "service-account")
	env := srv.env(svc.Env)
	env["USERNAME"] = "jdoe"
	delete(env, "PASSWORD")
	rep, run := checkJSON(t, env, svc.Args...)
	if run.code != exitOK || rep.Target.Grant != "client_credentials" {
		t.Fatalf("exit %d, grant %s\n%s", run.code, rep.Target.Grant, run.stderr)
	}
}

// runCLIWith is runCLI with the app adjusted first.
func runCLIWith(t *testing.T, configure func(*app), env map[string]string, args ...string) cliResult {
	t.Helper()
	var out, errOut bytes.Buffer
	a := newApp(iostreams.Streams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, env, t.TempDir())
	a.retryWait = time.Millisecond
	a.onReport = recordCodes
	configure(a)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code := a.execute(ctx, append([]string{"authdoctor"}, args...))
	return cliResult{code: code, stdout: out.String(), stderr: errOut.String()}
}
