package cli

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/checks/codes"
)

// scenarioRun runs a sandbox scenario (its clocks, its wrong passwords
// first) through `check -o format`, with args instead of the scenario's
// own when args is not nil.
func scenarioRun(t *testing.T, name, format string, args []string) cliResult {
	t.Helper()
	sc := scenarioNamed(t, name)
	srv := startSandbox(t, sc.Options())
	if err := sc.SendWrongPasswords(context.Background(), srv.Client(), srv.keycloakURL()); err != nil {
		t.Fatal(err)
	}
	if args == nil {
		args = sc.Args
	}
	return runCLI(t, withEnv(srv.env(sc.Env), "NO_COLOR", "1"), append([]string{"check", "-o", format}, args...)...)
}

// scenarioJSON is scenarioRun's JSON report, and the fix of check id.
func scenarioJSON(t *testing.T, name, id string) (jsonReport, *jsonFix, map[string]any, string) {
	t.Helper()
	run := scenarioRun(t, name, "json", nil)
	var rep jsonReport
	if err := json.Unmarshal([]byte(run.stdout), &rep); err != nil {
		t.Fatalf("%v\n%s%s", err, run.stdout, run.stderr)
	}
	for _, c := range rep.Checks {
		if c.ID == id {
			return rep, c.Fix, c.Details, c.Message
		}
	}
	t.Fatalf("no check %s", id)
	return rep, nil, nil, ""
}

// problemBlock is the table's block of one check: from its head line
// ("FAIL  graphql  CODE") to the blank line after it.
func problemBlock(t *testing.T, table, head string) string {
	t.Helper()
	i := strings.Index(table, "\n"+head)
	if i < 0 {
		t.Fatalf("no block %q in:\n%s", head, table)
	}
	b := table[i+1:]
	if j := strings.Index(b, "\n\n"); j >= 0 {
		b = b[:j]
	}
	return b
}

func commandTexts(f *jsonFix) []string {
	var out []string
	if f != nil {
		for _, c := range f.Commands {
			out = append(out, c.Command)
		}
	}
	return out
}

// A code whose causes need different fixes shows the fix of the cause the
// check found: the Hasura mapper's commands for a role the mapper leaves
// out, enabling the user first for a permanent lockout; the other causes
// keep the code's own fix.
func TestFixFollowsTheCause(t *testing.T) {
	tests := []struct {
		scenario, check, code string
		fixCase               string // details.fix_case; "" for none
		firstCommand          string // the first command after the login and lookups
		want, notWant         []string
	}{
		{"hasura-mapper-missing-role", "claims", "ROLE_NOT_IN_TOKEN", codes.CaseHasuraMapper,
			"kcadm.sh get clients/$CID/protocol-mappers/models -r ",
			[]string{"x-hasura-allowed-roles", "User Realm Role mapper"}, []string{"fullScopeAllowed", "scope-mappings", "Full scope allowed"}},
		{"role-not-in-token", "roles", "ROLE_NOT_IN_TOKEN", "",
			"kcadm.sh update clients/$CID -r ",
			[]string{"fullScopeAllowed=true", "Full scope allowed"}, []string{"protocol-mappers"}},
		{"permanent-lockout", "credentials", "ACCOUNT_LOCKED", codes.CasePermanentLockout,
			"kcadm.sh update users/$USER_ID -r ",
			[]string{"Enable the user again", "enabled=true"}, []string{"delete attack-detection", "Clear the lockout"}},
		{"locked-account", "credentials", "ACCOUNT_LOCKED", "",
			"kcadm.sh get attack-detection/brute-force/users/$USER_ID -r ",
			[]string{"delete attack-detection", "Clear the lockout"}, []string{"Enable the user again"}},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			rep, fix, details, _ := scenarioJSON(t, tt.scenario, tt.check)
			assertDiagnosis(t, rep, tt.check, "fail", tt.code)
			if got, _ := details[codes.DetailFixCase].(string); got != tt.fixCase {
				t.Errorf("fix_case %q, want %q", got, tt.fixCase)
			}
			cmds := commandTexts(fix)
			var first string
			for _, c := range cmds {
				if !strings.HasPrefix(c, "kcadm.sh config credentials") && !strings.Contains(c, "=$(") {
					first = c
					break
				}
			}
			if !strings.HasPrefix(first, tt.firstCommand) {
				t.Errorf("first command %q, want %q...; all: %q", first, tt.firstCommand, cmds)
			}
			text := fix.text()
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("the fix lacks %q:\n%s", w, text)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(text, w) {
					t.Errorf("the fix has %q, which is not this cause's fix:\n%s", w, text)
				}
			}
			// The table shows the same steps and commands.
			table := scenarioRun(t, tt.scenario, "table", nil).stdout
			block := problemBlock(t, table, "FAIL  "+tt.check+"  "+tt.code)
			if !strings.Contains(block, tt.firstCommand) {
				t.Errorf("the table lacks %q:\n%s", tt.firstCommand, block)
			}
			for _, w := range tt.notWant {
				if strings.Contains(strings.Join(strings.Fields(block), " "), w) {
					t.Errorf("the table has %q:\n%s", w, block)
				}
			}
		})
	}
}

// A consequence points at its cause's fix: GRAPHQL_TOKEN_REJECTED caused by
// clock skew shows no command about keys, issuer or audience, in any
// format people read; JSON keeps the structured fix beside consequence_of.
func TestConsequenceFixPointsAtTheCause(t *testing.T) {
	const name = "graphql-clock-behind"
	irrelevant := []string{"jwks", "kid", "audience", "  Run: "}
	table := scenarioRun(t, name, "table", nil).stdout
	block := problemBlock(t, table, "FAIL  graphql  GRAPHQL_TOKEN_REJECTED")
	if !strings.Contains(block, "See CLOCK_SKEW in clock.") || !strings.Contains(block, "  Fix: ") {
		t.Errorf("table block:\n%s", block)
	}
	for _, w := range irrelevant {
		if strings.Contains(strings.ToLower(block), strings.ToLower(w)) {
			t.Errorf("the consequence's block has %q:\n%s", w, block)
		}
	}
	// The cause keeps its commands.
	if cause := problemBlock(t, table, "FAIL  clock  CLOCK_SKEW"); !strings.Contains(cause, "Fix: 1.") {
		t.Errorf("cause block:\n%s", cause)
	}

	short := scenarioRun(t, name, "short", nil).stdout
	_, after, _ := strings.Cut(short, "FAIL graphql GRAPHQL_TOKEN_REJECTED")
	after, _, _ = strings.Cut(after, "\nFAIL ")
	if !strings.Contains(after, "\n  Fix: see CLOCK_SKEW in clock\n") || strings.Contains(after, "Run:") {
		t.Errorf("short:\n%s", short)
	}

	md := scenarioRun(t, name, "markdown", nil).stdout
	_, section, _ := strings.Cut(md, "### FAIL graphql: GRAPHQL_TOKEN_REJECTED")
	section, _, _ = strings.Cut(section, "\n### ")
	if !strings.Contains(section, "See CLOCK_SKEW in clock.") || strings.Contains(section, "**Commands:**") || strings.Contains(section, "kcadm.sh") {
		t.Errorf("markdown section:\n%s", section)
	}

	junit := scenarioRun(t, name, "junit", nil).stdout
	_, tc, _ := strings.Cut(junit, `type="GRAPHQL_TOKEN_REJECTED"`)
	tc, _, _ = strings.Cut(tc, "</testcase>")
	if !strings.Contains(tc, "See CLOCK_SKEW in clock.") || strings.Contains(tc, "Run:") {
		t.Errorf("junit case:\n%s", tc)
	}

	_, fix, _, _ := scenarioJSON(t, name, "graphql")
	if fix == nil || len(fix.Steps) == 0 {
		t.Errorf("JSON lost the structured fix: %+v", fix)
	}
}

// JOB_OUTLIVES_SESSION: the session maximum the message and the hint name
// is the one the command sets.
func TestJobOutlivesSessionNamesTheValueItSets(t *testing.T) {
	_, fix, _, msg := scenarioJSON(t, "job-outlives-session", "refresh")
	var seconds string
	for _, c := range commandTexts(fix) {
		if m := regexp.MustCompile(`ssoSessionMaxLifespan=(\d+)`).FindStringSubmatch(c); m != nil {
			seconds = m[1]
		}
	}
	if seconds != "46800" {
		t.Fatalf("the command sets %q, want 46800 (13 h for a 12 h job): %q", seconds, commandTexts(fix))
	}
	if !strings.Contains(msg, "to 13 h") || strings.Contains(msg, "at least 12 h") {
		t.Errorf("message: %s", msg)
	}
	if hint := fix.Steps[0]; !strings.Contains(hint, "46800 s (13 h: the job's 12 h rounded up") {
		t.Errorf("hint: %s", hint)
	}
}

// The report names the flag the user typed: --strict, or --fail-on.
func TestPolicyNamesTheFlagGiven(t *testing.T) {
	for _, tt := range []struct {
		args          []string
		want, notWant string
	}{
		{[]string{"--strict"}, "--strict", "--fail-on"},
		{[]string{"--fail-on", "skip"}, "--fail-on skip", "--strict"},
	} {
		for _, format := range []string{"table", "short", "markdown", "junit"} {
			run := scenarioRun(t, "ci-graphql-url-forgotten", format, tt.args)
			if run.code != exitFailed || !strings.Contains(run.stdout, tt.want) || strings.Contains(run.stdout, tt.notWant) {
				t.Errorf("%v -o %s: exit %d, want %q and no %q:\n%s", tt.args, format, run.code, tt.want, tt.notWant, run.stdout)
			}
		}
	}
}

// TOKEN_LIFETIME_INVALID says plainly what Keycloak issued.
func TestTokenLifetimeInvalidWording(t *testing.T) {
	_, _, _, msg := scenarioJSON(t, "token-expired-on-arrival", "credentials")
	want := "Keycloak issued an access token with expires_in 0 (password grant): it is expired on arrival"
	if !strings.HasPrefix(msg, want) {
		t.Errorf("message %q, want it to start with %q", msg, want)
	}
}

// A check skipped under a failed check names the root cause's code only;
// the code its own request met (REALM_NOT_FOUND for a doubled prefix)
// stays in the details.
func TestUnderSkipNamesTheRootCause(t *testing.T) {
	rep, _, details, msg := scenarioJSON(t, "tenant-prefix-doubled", "credentials")
	assertDiagnosis(t, rep, "realm", "fail", "TENANT_PREFIX_DOUBLED")
	if !strings.Contains(msg, "(TENANT_PREFIX_DOUBLED)") || strings.Contains(msg, "REALM_NOT_FOUND") {
		t.Errorf("credentials message: %s", msg)
	}
	if cons, _ := details["consequence"].(map[string]any); cons["code"] != "REALM_NOT_FOUND" || cons["message"] == "" {
		t.Errorf("details.consequence: %v", details["consequence"])
	}
	table := scenarioRun(t, "tenant-prefix-doubled", "table", nil).stdout
	if strings.Contains(table, "REALM_NOT_FOUND") {
		t.Errorf("the table names REALM_NOT_FOUND, which its verdict does not list:\n%s", table)
	}
}

// TLS_EXPIRED's last step is about this machine's clock, not CLOCK_SKEW
// (a server's clock failing a token).
func TestTLSExpiredClockStep(t *testing.T) {
	run := runCLI(t, nil, "explain", "TLS_EXPIRED")
	out := strings.Join(strings.Fields(run.stdout), " ")
	if !strings.Contains(out, "check this machine's clock: compare `date -u` with a trusted source") || strings.Contains(out, "CLOCK_SKEW") {
		t.Errorf("explain TLS_EXPIRED:\n%s", run.stdout)
	}
}
