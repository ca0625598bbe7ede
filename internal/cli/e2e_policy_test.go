package cli

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/fixtures"
)

// policyReport is the part of the JSON report that says what fails the run
// and what the root causes are (issue 11).
type policyReport struct {
	Checks []struct {
		ID            string `json:"id"`
		Status        string `json:"status"`
		Code          string `json:"code"`
		Message       string `json:"message"`
		ConsequenceOf *struct {
			Check string `json:"check"`
			Code  string `json:"code"`
		} `json:"consequence_of"`
		FailsByPolicy bool `json:"fails_by_policy"`
	} `json:"checks"`
	Summary struct {
		RootCauses []struct {
			Check string `json:"check"`
			Code  string `json:"code"`
		} `json:"root_causes"`
		Consequences   int      `json:"consequences"`
		FailedByPolicy bool     `json:"failed_by_policy"`
		PolicyFailures []string `json:"policy_failures"`
	} `json:"summary"`
	ExitCode   int    `json:"exit_code"`
	ExitReason string `json:"exit_reason"`
	Policy     struct {
		FailOn        []string `json:"fail_on"`
		Only          []string `json:"only"`
		Skip          []string `json:"skip"`
		Prerequisites []string `json:"prerequisites"`
	} `json:"policy"`
}

func policyJSON(t *testing.T, env map[string]string, args ...string) (policyReport, cliResult) {
	t.Helper()
	_, run := checkJSON(t, env, args...)
	var rep policyReport
	if err := json.Unmarshal([]byte(run.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	return rep, run
}

func (r policyReport) ids() []string {
	var ids []string
	for _, c := range r.Checks {
		ids = append(ids, c.ID)
	}
	return ids
}

// TestSkippedIsNotPassedInCI: a GRAPHQL_URL forgotten in CI is a skip that
// says so; --strict, --fail-on skip or AUTHDOCTOR_FAIL_ON turn it into a
// failed run (exit 1), and every format says the policy failed the run.
// Without them, the run passes as before.
func TestSkippedIsNotPassedInCI(t *testing.T) {
	sb := startSandbox(t, fixtures.Options{})
	env := func(kv ...string) map[string]string {
		e := withEnv(anaEnv(), "KEYCLOAK_URL", sb.keycloakURL())
		return withEnv(e, kv...)
	}
	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		wantExit int
	}{
		{"default: a skip passes", env(), nil, exitOK},
		{"--strict", env(), []string{"--strict"}, exitFailed},
		{"--fail-on skip", env(), []string{"--fail-on", "skip"}, exitFailed},
		{"AUTHDOCTOR_FAIL_ON=warn,skip", env("AUTHDOCTOR_FAIL_ON", "warn,skip"), nil, exitFailed},
		{"AUTHDOCTOR_STRICT=true", env("AUTHDOCTOR_STRICT", "true"), nil, exitFailed},
		{"--fail-on warn: a skip still passes", env(), []string{"--fail-on", "warn"}, exitOK},
		{"--strict --skip graphql: nothing unverified", env(), []string{"--strict", "--skip", "graphql"}, exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, run := policyJSON(t, tt.env, tt.args...)
			if run.code != tt.wantExit {
				t.Fatalf("exit %d, want %d\n%s", run.code, tt.wantExit, run.stdout)
			}
			if slices.Contains(tt.args, "graphql") {
				if slices.Contains(rep.ids(), "graphql") {
					t.Fatalf("--skip graphql: graphql is in the report %v", rep.ids())
				}
				return
			}
			var graphql string
			for _, c := range rep.Checks {
				if c.ID == "graphql" {
					graphql = c.Status + " " + c.Message
					if c.FailsByPolicy != (tt.wantExit == exitFailed) {
						t.Errorf("fails_by_policy %v", c.FailsByPolicy)
					}
				}
			}
			if !strings.HasPrefix(graphql, "skip GRAPHQL_URL not set") {
				t.Fatalf("graphql: %q, want a skip naming GRAPHQL_URL", graphql)
			}
			if tt.wantExit == exitOK {
				if rep.Summary.FailedByPolicy || rep.ExitReason != "" {
					t.Fatalf("a passing run: failed_by_policy %v, exit_reason %q", rep.Summary.FailedByPolicy, rep.ExitReason)
				}
				return
			}
			// The reason names the setting the user gave: --strict (or
			// AUTHDOCTOR_STRICT), else --fail-on.
			wantReason := "--fail-on skip: graphql skipped (GRAPHQL_URL not set)"
			if strings.Contains(strings.ToLower(tt.name), "strict") {
				wantReason = "--strict: graphql skipped (GRAPHQL_URL not set)"
			}
			if !rep.Summary.FailedByPolicy || !slices.Equal(rep.Summary.PolicyFailures, []string{"graphql"}) ||
				rep.ExitReason != wantReason || !slices.Contains(rep.Policy.FailOn, "skip") {
				t.Fatalf("summary %+v, exit_reason %q, policy %+v", rep.Summary, rep.ExitReason, rep.Policy)
			}
		})
	}

	// The other formats, under --strict.
	for _, f := range []struct{ format, want string }{
		{"table", "--strict: graphql skipped (GRAPHQL_URL not set)"},
		{"short", "SKIP graphql (fails the run: --strict): GRAPHQL_URL not set"},
		{"short", "FAIL by policy: --strict: graphql skipped (GRAPHQL_URL not set)"},
		{"markdown", "**authdoctor: failed by policy (--strict)**"},
		{"junit", `type="SKIPPED"`},
	} {
		run := runCLI(t, env(), "check", "--strict", "-o", f.format)
		if run.code != exitFailed || !strings.Contains(run.stdout, f.want) {
			t.Errorf("-o %s: exit %d, want 1 and %q in:\n%s", f.format, run.code, f.want, run.stdout)
		}
	}
}

// TestOnlyAndSkip: --only runs the chosen check and what it rests on, all
// reported; --skip leaves a check out and its dependents name it; a
// demanding CI user's --strict fails a run whose checks could not all run.
func TestOnlyAndSkip(t *testing.T) {
	sb := startSandbox(t, fixtures.Options{})
	env := func() map[string]string { return sb.env(anaEnv()) }

	rep, run := policyJSON(t, env(), "--only", "graphql")
	if run.code != exitOK {
		t.Fatalf("--only graphql: exit %d\n%s", run.code, run.stdout)
	}
	for _, id := range []string{"tls", "realm", "credentials", "graphql"} {
		if !slices.Contains(rep.ids(), id) {
			t.Errorf("--only graphql: %s not run (report %v)", id, rep.ids())
		}
	}
	for _, id := range []string{"roles", "refresh"} {
		if slices.Contains(rep.ids(), id) {
			t.Errorf("--only graphql ran %s, which graphql does not need", id)
		}
	}
	if !slices.Equal(rep.Policy.Only, []string{"graphql"}) || !slices.Contains(rep.Policy.Prerequisites, "credentials") || slices.Contains(rep.Policy.Prerequisites, "graphql") {
		t.Errorf("policy %+v", rep.Policy)
	}

	for _, strict := range []bool{false, true} {
		args := []string{"--skip", "credentials"}
		want := exitOK
		if strict {
			args, want = append(args, "--strict"), exitFailed
		}
		rep, run = policyJSON(t, env(), args...)
		if run.code != want {
			t.Fatalf("%v: exit %d, want %d\n%s", args, run.code, want, run.stdout)
		}
		for _, c := range rep.Checks {
			switch c.ID {
			case "credentials":
				t.Errorf("--skip credentials: credentials is in the report")
			case "roles", "graphql", "refresh":
				if c.Status != "skip" || c.Message != "skipped because --skip credentials" || c.ConsequenceOf != nil {
					t.Errorf("%s: %s %q %+v", c.ID, c.Status, c.Message, c.ConsequenceOf)
				}
			}
		}
	}
}

// TestUnknownCheckIsBadInput: an --only or --skip that names no check is
// exit 2, with the checks and a guess; nothing is sent.
func TestUnknownCheckIsBadInput(t *testing.T) {
	env := withEnv(anaEnv(), "KEYCLOAK_URL", "https://sso.invalid")
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"--only", "grapql"}, []string{"--only grapql: no such check", "tls, realm, credentials", "did you mean graphql?"}},
		{[]string{"--skip", "tls,rols"}, []string{"--skip rols: no such check", "did you mean roles?"}},
		{[]string{"--only", "roles", "--skip", "roles"}, []string{"cannot be both"}},
		{[]string{"--fail-on", "fail"}, []string{"want warn or skip"}},
		{[]string{"--only", "events"}, []string{"admin access"}},
	}
	for _, tt := range tests {
		run := runCLI(t, env, append([]string{"check"}, tt.args...)...)
		if run.code != exitUsage {
			t.Errorf("%v: exit %d, want 2\n%s", tt.args, run.code, run.stderr)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(run.stderr, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", tt.args, w, run.stderr)
			}
		}
	}
}

// TestReportLeadsWithTheRootCause: a missing realm fails realm, and every
// other check is its consequence; JSON names the root cause and marks
// the consequences, the short output's first line and the table's exit
// summary name the thing to fix.
func TestReportLeadsWithTheRootCause(t *testing.T) {
	sb := startSandbox(t, fixtures.Options{})
	env := sb.env(scenarioNamed(t, "unknown-tenant").Env)
	rep, run := policyJSON(t, env)
	if run.code != exitFailed {
		t.Fatalf("exit %d", run.code)
	}
	if len(rep.Summary.RootCauses) != 1 || rep.Summary.RootCauses[0].Check != "realm" || rep.Summary.RootCauses[0].Code != "REALM_NOT_FOUND" {
		t.Fatalf("root causes %+v", rep.Summary.RootCauses)
	}
	consequences := 0
	for _, c := range rep.Checks {
		if c.ConsequenceOf != nil {
			consequences++
			if c.ConsequenceOf.Check != "realm" || c.ConsequenceOf.Code != "REALM_NOT_FOUND" {
				t.Errorf("%s: consequence of %+v", c.ID, *c.ConsequenceOf)
			}
		}
		if c.ID == "credentials" && c.ConsequenceOf == nil {
			t.Errorf("credentials (run Under realm) is not marked as realm's consequence")
		}
	}
	if consequences == 0 || rep.Summary.Consequences != consequences {
		t.Fatalf("summary.consequences %d, marked %d", rep.Summary.Consequences, consequences)
	}
	if !strings.HasPrefix(rep.ExitReason, "1 cause: REALM_NOT_FOUND (realm); ") {
		t.Fatalf("exit_reason %q", rep.ExitReason)
	}
	short := runCLI(t, env, "check", "-o", "short")
	if !strings.HasPrefix(short.stdout, "FAIL realm REALM_NOT_FOUND") {
		t.Errorf("short output does not lead with the cause:\n%s", short.stdout)
	}
	table := runCLI(t, env, "check", "--no-color")
	if !strings.Contains(table.stdout, "exit code 1\n1 cause: REALM_NOT_FOUND (realm); ") {
		t.Errorf("table's exit summary does not name the cause:\n%s", table.stdout)
	}
}
