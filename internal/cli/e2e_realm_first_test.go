package cli

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/authdoctor/authdoctor/fixtures"
)

// TestRealmFailureLeadsTheReport: the token request goes out side by side
// with the realm check. When the realm is missing or the base path is
// wrong, the token endpoint's 404 is a consequence of that: the report
// leads with realm's code, and credentials is skipped naming it (with the
// token endpoint's answer in its details), never a second diagnosis. The
// password reaches the server at most once, and a 404 there is not an
// evaluation. A disabled realm is found by the token endpoint alone.
func TestRealmFailureLeadsTheReport(t *testing.T) {
	scenario := func(name string) map[string]string { return scenarioNamed(t, name).Env }
	// Admin access to the main tenant: a token endpoint's 404 leaves no
	// event, so credentials must not log in to look for one.
	admin, _ := adminArgs(t, scenarioNamed(t, "wrong-password-event"))
	tests := []struct {
		name          string
		opts          fixtures.Options
		env           map[string]string
		args          []string
		urlSuffix     string
		wantRealm     string // realm's status and code
		wantRealmCode string
		wantCreds     string // credentials' status and code
		wantCredsCode string
		consequence   string // the token endpoint's code kept in credentials' details; "" for none
	}{
		{name: "unknown realm", env: scenario("unknown-tenant"),
			wantRealm: "fail", wantRealmCode: "REALM_NOT_FOUND", wantCreds: "skip", consequence: "REALM_NOT_FOUND"},
		{name: "/auth on a server without it", env: anaEnv(), urlSuffix: "/auth",
			wantRealm: "fail", wantRealmCode: "BASE_PATH_MISMATCH", wantCreds: "skip", consequence: "GRANT_REJECTED"},
		{name: "no /auth on a server with it", opts: fixtures.Options{RelativePath: "/auth"}, env: anaEnv(),
			wantRealm: "fail", wantRealmCode: "BASE_PATH_MISMATCH", wantCreds: "skip", consequence: "GRANT_REJECTED"},
		{name: "unknown realm, with admin access", env: scenario("unknown-tenant"), args: admin,
			wantRealm: "fail", wantRealmCode: "REALM_NOT_FOUND", wantCreds: "skip", consequence: "REALM_NOT_FOUND"},
		{name: "disabled realm", env: scenario("archived-tenant"),
			wantRealm: "pass", wantCreds: "fail", wantCredsCode: "REALM_DISABLED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var passwordSends, adminCalls atomic.Int32
			srv := behindProxy(t, newSandbox(t, tt.opts), func(w http.ResponseWriter, r *http.Request) bool {
				if strings.Contains(r.URL.Path, "/admin/") {
					adminCalls.Add(1)
				}
				if strings.HasSuffix(r.URL.Path, "/token") && r.Method == http.MethodPost {
					_ = r.ParseForm()
					if r.PostForm.Get("password") != "" {
						passwordSends.Add(1)
					}
				}
				return false
			})
			env := withEnv(tt.env, "KEYCLOAK_URL", srv.URL+tt.urlSuffix, "GRAPHQL_URL", srv.URL+"/v1/graphql")
			rep, run := checkJSON(t, env, tt.args...)
			if run.code != exitFailed {
				t.Fatalf("exit %d, want %d", run.code, exitFailed)
			}
			assertDiagnosis(t, rep, "realm", tt.wantRealm, tt.wantRealmCode)
			assertDiagnosis(t, rep, "credentials", tt.wantCreds, tt.wantCredsCode)
			if n := passwordSends.Load(); n > 1 {
				t.Fatalf("a password reached the server %d times", n)
			}
			if n := adminCalls.Load(); n > 0 && tt.consequence != "" {
				t.Fatalf("%d admin API calls for a run whose realm failed", n)
			}
			if tt.consequence == "" {
				return
			}
			if passwordSends.Load() != 1 {
				t.Fatalf("the token request should have gone out alongside the realm check (sent %d times)", passwordSends.Load())
			}
			_, _, msg, _ := rep.check(t, "credentials")
			if want := "skipped because realm failed (" + tt.wantRealmCode + ")"; !strings.HasPrefix(msg, want) {
				t.Fatalf("credentials must name realm's failure as its cause: %q, want prefix %q", msg, want)
			}
			for _, c := range rep.Checks {
				switch c.ID {
				case "credentials":
					cons, _ := c.Details["consequence"].(map[string]any)
					if cons["code"] != tt.consequence || cons["status"] != "fail" {
						t.Fatalf("credentials details should keep the token endpoint's answer as the consequence: %v", c.Details)
					}
				case "realm", "tls":
				default:
					if c.Status != "skip" || c.Code != "" {
						t.Fatalf("%s: %s %s, want skip with no code of its own", c.ID, c.Status, c.Code)
					}
				}
				if c.Status == "fail" && c.ID != "realm" {
					t.Fatalf("a second diagnosis: %s failed with %s", c.ID, c.Code)
				}
			}
		})
	}
}
