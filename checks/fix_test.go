package checks

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/keycloak"
	"github.com/authdoctor/authdoctor/report"
)

// fixConfig is a run whose every secret is a canary.
func fixConfig(grant string) *Config {
	cfg := &Config{
		KeycloakURL: "https://sso.example.com:8443/auth/", Realm: "tenant-acme", TenantID: "acme",
		GraphQLURL: "https://api.example.com/v1/graphql", HasuraRole: "admin-user",
		RequireRoles: []string{"orders-admin", "orders-web:viewer"},
		Credentials: keycloak.Credentials{ClientID: "Admin-Portal", ClientSecret: redact.Secret("CANARY-client-secret"),
			Username: "alice", Password: redact.Secret("CANARY-password")},
		Admin: keycloak.AdminCredentials{Username: "root", Password: redact.Secret("CANARY-admin-password"),
			ClientSecret: redact.Secret("CANARY-admin-secret"), Token: redact.Secret("CANARY-admin-token")},
		ExtraSecrets: []redact.Secret{"CANARY-extra"},
	}
	if grant == "client_credentials" {
		cfg.Credentials.Username, cfg.Credentials.Password = "", ""
	}
	return cfg
}

// every code's result, as a run would report it.
func resultsOfEveryCode() []report.CheckResult {
	var out []report.CheckResult
	for _, c := range codes.All() {
		out = append(out, report.CheckResult{ID: string(c.Check), Code: c.ID, Fix: c.Fix, Status: report.Status(c.Severity),
			Details: map[string]any{"realm_roles": []string{"user"}}})
	}
	return out
}

// TestFilledFixesHoldNoSecret: whatever a template says, no secret of the
// run can reach a filled command, step or console path: there is no
// variable a secret could come from.
func TestFilledFixesHoldNoSecret(t *testing.T) {
	for _, grant := range []string{"password", "client_credentials"} {
		results := resultsOfEveryCode()
		FillFixes(results, fixConfig(grant))
		for _, r := range results {
			texts := []string{r.Fix, r.Console}
			for _, c := range r.Commands {
				texts = append(texts, c.Text, c.Tool)
			}
			for _, s := range texts {
				if strings.Contains(s, "CANARY") {
					t.Errorf("%s (%s): a secret reached the fix: %q", r.Code, grant, s)
				}
			}
		}
	}
}

// TestFilledCommands: every code's commands are filled in with the run's
// values, the kcadm.sh login comes first and once, internal ids are looked
// up before use, and only what the run cannot know stays a placeholder.
func TestFilledCommands(t *testing.T) {
	results := resultsOfEveryCode()
	FillFixes(results, fixConfig("password"))
	known := []string{codes.PhKeycloakURL, codes.PhGraphQLURL, codes.PhGraphQLBase, codes.PhRealm, codes.PhTenantID,
		codes.PhClient, codes.PhUser, codes.PhAdmin, codes.PhRole, codes.PhHasuraRole, codes.PhURL, codes.PhHost, codes.PhPort,
		codes.PhClientUUID, codes.PhUserID}
	for _, r := range results {
		code, _ := codes.Lookup(r.Code)
		if code.Command == "" {
			if len(r.Commands) != 0 {
				t.Errorf("%s: commands %v for a code without any", r.Code, r.Commands)
			}
			continue
		}
		if len(r.Commands) == 0 {
			t.Errorf("%s: no commands filled in", r.Code)
			continue
		}
		logins := 0
		for i, c := range r.Commands {
			for _, ph := range known {
				if strings.Contains(c.Text, ph) {
					t.Errorf("%s: command %q still has %s", r.Code, c.Text, ph)
				}
			}
			if strings.Contains(c.Text, "kcadm.sh config credentials") {
				logins++
				if i != 0 {
					t.Errorf("%s: the kcadm.sh login is command %d, want the first", r.Code, i+1)
				}
			}
			if c.Tool == "" || strings.Contains(c.Tool, "=") {
				t.Errorf("%s: tool %q of %q", r.Code, c.Tool, c.Text)
			}
		}
		if usesKcadmAny(r.Commands) && logins != 1 {
			t.Errorf("%s: %d kcadm.sh logins, want 1: %v", r.Code, logins, r.Commands)
		}
		text := commandsText(r.Commands)
		for _, v := range []string{"$CID", "$USER_ID", "$TOKEN"} {
			set := strings.TrimPrefix(v, "$") + "=$("
			if strings.Contains(text, v) && !strings.Contains(text, set) {
				t.Errorf("%s: uses %s with no lookup setting it:\n%s", r.Code, v, text)
			}
		}
		if strings.Contains(text, "kcadm.sh") && !strings.Contains(text, "--server https://sso.example.com:8443/auth --realm master --user root") {
			t.Errorf("%s: login not filled in:\n%s", r.Code, text)
		}
	}
}

func usesKcadmAny(cmds []report.Command) bool {
	for _, c := range cmds {
		if c.Tool == "kcadm.sh" {
			return true
		}
	}
	return false
}

func commandsText(cmds []report.Command) string {
	var lines []string
	for _, c := range cmds {
		lines = append(lines, c.Text)
	}
	return strings.Join(lines, "\n")
}

// TestFilledCommandExamples pins a few codes' filled commands.
func TestFilledCommandExamples(t *testing.T) {
	tests := []struct {
		code, grant, message string
		want                 []string
	}{
		{"CLIENT_DISABLED", "password", "", []string{
			"kcadm.sh config credentials --server https://sso.example.com:8443/auth --realm master --user root",
			"kcadm.sh get clients -r tenant-acme -q clientId=Admin-Portal --fields id,enabled",
			"CID=$(kcadm.sh get clients -r tenant-acme -q clientId=Admin-Portal --fields id --format csv --noquotes)",
			"kcadm.sh update clients/$CID -r tenant-acme -s enabled=true",
		}},
		{"MISSING_ROLE", "client_credentials", "", []string{
			"kcadm.sh config credentials --server https://sso.example.com:8443/auth --realm master --user root",
			"kcadm.sh get-roles -r tenant-acme --uusername service-account-admin-portal --effective",
			"kcadm.sh add-roles -r tenant-acme --uusername service-account-admin-portal --rolename orders-admin",
			"kcadm.sh add-roles -r tenant-acme --uusername service-account-admin-portal --cclientid orders-web --rolename viewer",
		}},
		{"TLS_EXPIRED", "password", "GraphQL host api.example.com:443: x509: certificate has expired", []string{
			"openssl s_client -connect api.example.com:443 -servername api.example.com </dev/null 2>/dev/null | openssl x509 -noout -dates",
		}},
		{"TLS_EXPIRED", "password", "sso.example.com:8443: x509: certificate has expired", []string{
			"openssl s_client -connect sso.example.com:8443 -servername sso.example.com </dev/null 2>/dev/null | openssl x509 -noout -dates",
		}},
		{"UNREACHABLE", "password", "GraphQL host api.example.com:443: connection refused", []string{
			"curl -sv -o /dev/null -H 'Accept: application/json' https://api.example.com/v1/graphql",
		}},
		{"UNREACHABLE", "password", "connection refused by sso.example.com:8443", []string{
			"curl -sv -o /dev/null -H 'Accept: application/json' https://sso.example.com:8443/auth/realms/tenant-acme",
		}},
		{"NOT_GRAPHQL", "client_credentials", "", []string{
			`TOKEN=$(curl -s -d grant_type=client_credentials -d client_id=Admin-Portal --data-urlencode 'client_secret=<client-secret>' https://sso.example.com:8443/auth/realms/tenant-acme/protocol/openid-connect/token | jq -r .access_token)`,
			`curl -si -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"query":"query { __typename }"}' https://api.example.com/v1/graphql`,
		}},
	}
	for _, tt := range tests {
		code, _ := codes.Lookup(tt.code)
		r := []report.CheckResult{{ID: string(code.Check), Code: tt.code, Fix: code.Fix, Message: tt.message}}
		FillFixes(r, fixConfig(tt.grant))
		if got := commandsText(r[0].Commands); got != strings.Join(tt.want, "\n") {
			t.Errorf("%s (%s):\n%s\nwant\n%s", tt.code, tt.grant, got, strings.Join(tt.want, "\n"))
		}
	}
}

// TestFillLineQuotes: a value with shell characters is quoted for where
// its placeholder stands, and the shell reads it back unchanged.
func TestFillLineQuotes(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	for _, value := range []string{"plain", "two words", "it's", "$(id)", "`id`", "a;b", `back\slash`} {
		v := fixVars{realm: value}
		for _, tmpl := range []string{`printf %s tenant-<id>`, `printf %s 'tenant-<id>'`, `printf %s "tenant-<id>"`} {
			line := fillLine(tmpl, v, "")
			if strings.Contains(line, codes.PhRealm) {
				continue // kept as a placeholder: allowed for a value that cannot stand there
			}
			out, err := exec.Command(sh, "-c", line).Output()
			if err != nil || string(out) != value {
				t.Errorf("%q with %q: %s printed %q (%v)", tmpl, value, line, out, err)
			}
		}
	}
	// Inside single-quoted JSON a " cannot stand: the placeholder stays.
	if got := fillLine(`-b '[{"name":"<role>"}]'`, fixVars{}, `a"b`); got != `-b '[{"name":"<role>"}]'` {
		t.Errorf("JSON context: %s", got)
	}
}

// TestFixStepsFilledAsText: console paths and steps name the run's client
// and user.
func TestFixStepsFilledAsText(t *testing.T) {
	code := codes.ClientDisabled
	r := []report.CheckResult{{ID: string(code.Check), Code: code.ID, Fix: code.Fix}}
	FillFixes(r, fixConfig("password"))
	if !strings.Contains(r[0].Console, "Clients > Admin-Portal > Enabled") {
		t.Errorf("console %q", r[0].Console)
	}
}

// TestNoFixPointsBelow: every format prints a fix's commands, but not all
// of them "below" its steps (JSON lists them beside): a step names the
// command it means instead.
func TestNoFixPointsBelow(t *testing.T) {
	for _, c := range codes.All() {
		if strings.Contains(strings.ToLower(c.Fix), "below") {
			t.Errorf("%s: a fix step points \"below\": %s", c.ID, c.Fix)
		}
	}
}
