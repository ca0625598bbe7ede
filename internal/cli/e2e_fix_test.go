package cli

import (
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/fixtures"
)

// TestFilledFixEveryFormat: a fix's commands are printed in every format,
// filled in with this run's Keycloak URL, realm, client, user and role,
// the kcadm.sh login first, and an internal id looked up before it is used.
func TestFilledFixEveryFormat(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	tests := []struct {
		scenario string
		want     func(kc, realm, client string) []string
	}{
		{"unknown-client", func(kc, realm, client string) []string {
			return []string{
				"kcadm.sh config credentials --server " + kc + " --realm master --user <admin>",
				"kcadm.sh get clients -r " + realm + " -q clientId=" + client + " --fields id,clientId,enabled,publicClient",
			}
		}},
		{"missing-admin-role", func(kc, realm, client string) []string {
			return []string{
				"kcadm.sh config credentials --server " + kc + " --realm master --user <admin>",
				"kcadm.sh get-roles -r " + realm + " --uusername bob --effective",
				"kcadm.sh add-roles -r " + realm + " --uusername bob --rolename admin-user",
			}
		}},
		{"disabled-user", func(kc, realm, client string) []string {
			return []string{
				"USER_ID=$(kcadm.sh get users -r " + realm + " -q username=carl -q exact=true --fields id --format csv --noquotes)",
				"kcadm.sh update users/$USER_ID -r " + realm + " -s enabled=true",
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			sc := scenarioNamed(t, tt.scenario)
			env := srv.env(sc.Env)
			rep, _ := checkJSON(t, env, sc.Args...)
			// No command keeps a placeholder the run knows (the steps are
			// the registry's words and may).
			assertDiagnosis(t, rep, sc.WantCheck, sc.WantStatus, sc.WantCode)
			want := tt.want(rep.Target.KeycloakURL, rep.Target.Realm, rep.Target.ClientID)
			for _, format := range []string{"table", "short", "json", "junit", "markdown"} {
				run := runCLI(t, env, append([]string{"check", "-o", format}, sc.Args...)...)
				out := run.stdout
				if format == "json" {
					// JSON escapes nothing here but would quote a "; the
					// commands are compared as decoded text above too.
					out = strings.ReplaceAll(out, `\"`, `"`)
				}
				for _, w := range want {
					if !strings.Contains(out, w) {
						t.Errorf("%s: %s output lacks %q:\n%s", tt.scenario, format, w, run.stdout)
					}
				}
			}
			// In JSON the commands are a list, in order, each with its tool.
			var cmds []string
			for _, c := range rep.Checks {
				if c.Fix != nil && c.Code == sc.WantCode {
					for _, cmd := range c.Fix.Commands {
						cmds = append(cmds, cmd.Command)
						if cmd.Tool != "kcadm.sh" {
							t.Errorf("tool %q for %q", cmd.Tool, cmd.Command)
						}
					}
				}
			}
			if len(cmds) == 0 || !strings.HasPrefix(cmds[0], "kcadm.sh config credentials") {
				t.Errorf("%s: the kcadm.sh login is not the first command: %q", tt.scenario, cmds)
			}
		})
	}
}

// TestExplainShowsTheTemplate: explain (no run) shows the commands with
// their placeholders, the login first.
func TestExplainShowsTheTemplate(t *testing.T) {
	run := runCLI(t, map[string]string{}, "explain", "ACCOUNT_DISABLED")
	for _, want := range []string{
		"kcadm.sh config credentials --server $KEYCLOAK_URL --realm master --user <admin>",
		"USER_ID=$(kcadm.sh get users -r tenant-<id> -q username=<user> -q exact=true --fields id --format csv --noquotes)",
		"kcadm.sh update users/$USER_ID -r tenant-<id> -s enabled=true",
	} {
		if !strings.Contains(run.stdout, want) {
			t.Errorf("explain lacks %q:\n%s", want, run.stdout)
		}
	}
}
