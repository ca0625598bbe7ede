package cli

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/authdoctor/authdoctor/fixtures"
)

// TestRealmNamingMistakes: a realm that is not found is explained by the
// naming mistake that made it, found by asking the server for the public
// info of the realms the usual mistakes point to. The fix names the exact
// value to set, at most a handful of guesses are asked, and no guessed
// realm receives a request with credentials (only GETs of public info).
func TestRealmNamingMistakes(t *testing.T) {
	tenant := fixtures.TenantID
	tests := []struct {
		name     string
		env      map[string]string // over Ana's environment; "" deletes
		wantCode string
		wantFix  string
	}{
		{"tenant id with its prefix", map[string]string{"TENANT_ID": "tenant-" + tenant}, "TENANT_PREFIX_DOUBLED", "Set TENANT_ID=" + tenant + "."},
		{"tenant id with its prefix, in capitals", map[string]string{"TENANT_ID": "Tenant-" + strings.ToUpper(tenant)}, "TENANT_PREFIX_DOUBLED", "Set TENANT_ID=" + tenant + "."},
		{"realm doubled in --realm", map[string]string{"TENANT_ID": "", "KEYCLOAK_REALM": "tenant-tenant-" + tenant}, "TENANT_PREFIX_DOUBLED", "Set --realm tenant-" + tenant + " (KEYCLOAK_REALM=tenant-" + tenant + ")."},
		{"realm name as tenant id", map[string]string{"TENANT_ID": fixtures.PartnersRealm}, "REALM_GIVEN_AS_TENANT_ID", "Set --realm partners (KEYCLOAK_REALM=partners)."},
		{"tenant id as realm", map[string]string{"TENANT_ID": "", "KEYCLOAK_REALM": tenant}, "TENANT_ID_GIVEN_AS_REALM", "Set --realm tenant-" + tenant + " (KEYCLOAK_REALM=tenant-" + tenant + "), or TENANT_ID=" + tenant + " without --realm."},
		{"tenant id in capitals", map[string]string{"TENANT_ID": strings.ToUpper(tenant)}, "REALM_NAME_CASE", "Set TENANT_ID=" + tenant + "."},
		{"realm in capitals", map[string]string{"TENANT_ID": "", "KEYCLOAK_REALM": "Tenant-" + tenant}, "REALM_NAME_CASE", "Set --realm tenant-" + tenant + " (KEYCLOAK_REALM=tenant-" + tenant + ")."},
		{"tenant id in capitals as realm", map[string]string{"TENANT_ID": "", "KEYCLOAK_REALM": strings.ToUpper(tenant)}, "TENANT_ID_GIVEN_AS_REALM", "Set --realm tenant-" + tenant},
		{"a realm that is simply missing", map[string]string{"TENANT_ID": tenant[:len(tenant)-1] + "9"}, "REALM_NOT_FOUND", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			realmGETs := map[string]int{}
			var credentialed []string
			srv := behindProxy(t, newSandbox(t, fixtures.Options{}), func(w http.ResponseWriter, r *http.Request) bool {
				mu.Lock()
				defer mu.Unlock()
				path := strings.TrimPrefix(r.URL.Path, "/realms/")
				realm, _, _ := strings.Cut(path, "/")
				if r.Method == http.MethodGet && !strings.Contains(path, "/") {
					realmGETs[realm]++
				}
				if r.Method == http.MethodPost || r.Header.Get("Authorization") != "" {
					credentialed = append(credentialed, realm)
				}
				return false
			})
			env := withEnv(anaEnv(), "KEYCLOAK_URL", srv.URL, "GRAPHQL_URL", srv.URL+"/v1/graphql")
			for k, v := range tt.env {
				if v == "" {
					delete(env, k)
				} else {
					env[k] = v
				}
			}
			rep, run := checkJSON(t, env)
			if run.code != exitFailed {
				t.Fatalf("exit %d, want %d", run.code, exitFailed)
			}
			assertDiagnosis(t, rep, "realm", "fail", tt.wantCode)
			_, _, msg, fix := rep.check(t, "realm")
			if tt.wantFix != "" && !strings.Contains(fix, tt.wantFix) {
				t.Fatalf("fix does not name the value to set (%q):\n%s\nmessage: %s", tt.wantFix, fix, msg)
			}
			mu.Lock()
			defer mu.Unlock()
			// The configured realm: info + the probes; every other is a guess.
			guesses := 0
			for realm, n := range realmGETs {
				if realm != "" && n > 0 {
					guesses++
				}
			}
			if guesses > 1+4 {
				t.Fatalf("%d realms asked, want the configured one and at most 4 guesses: %v", guesses, realmGETs)
			}
			for _, realm := range credentialed {
				if realm != env["KEYCLOAK_REALM"] && realm != "tenant-"+env["TENANT_ID"] {
					t.Fatalf("credentials went to the guessed realm %q", realm)
				}
			}
		})
	}
}

// TestJobDuration: --job-duration says whether a job of that length keeps
// access, and when it would lose it.
func TestJobDuration(t *testing.T) {
	sb := startSandbox(t, fixtures.Options{})
	admin, _ := adminArgs(t, scenarioNamed(t, "wrong-password-event"))
	opsViewer, _ := adminArgs(t, scenarioNamed(t, "events-forbidden"))
	tests := []struct {
		name       string
		env        map[string]string
		args       []string
		wantStatus string
		wantCode   string
		inMsg      string
	}{
		{"within the refresh token", anaEnv(), []string{"--job-duration", "20m"}, "pass", "", "a job of 20 min keeps access: the refresh token alone lasts 30 min"},
		{"beyond it, no admin access", anaEnv(), []string{"--job-duration", "2h"}, "warn", "JOB_DURATION_UNVERIFIED", "a job of 2 h outlasts the refresh token (it lasts 30 min)"},
		{"beyond it, admin access, within SSO max", anaEnv(), append([]string{"--job-duration", "9h"}, admin...), "pass", "", "a job of 9 h keeps access by refreshing: the session has a maximum of 10 h"},
		{"beyond SSO max", anaEnv(), append([]string{"--job-duration", "10h30m"}, admin...), "fail", "JOB_OUTLIVES_SESSION", "a job of 10 h 30 min loses access 10 h into it"},
		// Keycloak answers an admin without view-realm 200 with the brief
		// realm representation, which has no session settings: not "no
		// maximum". (--only refresh: this admin lacks view-events too.)
		{"beyond SSO max, admin without view-realm", anaEnv(), append([]string{"--job-duration", "11h", "--only", "refresh"}, opsViewer...), "warn", "JOB_DURATION_UNVERIFIED", "which the admin API shows only with view-realm and view-clients, which the admin account lacks"},
		{"no refresh token", withEnv(anaEnv(), "CLIENT_ID", "kiosk-app"), []string{"--job-duration", "1h"}, "fail", "JOB_OUTLIVES_SESSION", "loses access 5 min into it: Keycloak issued no refresh token"},
		{"service account", scenarioNamed(t, "service-account").Env, []string{"--job-duration", "48h"}, "pass", "", "with the client secret it requests a new token whenever one expires"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, run := checkJSON(t, sb.env(tt.env), tt.args...)
			assertDiagnosis(t, rep, "refresh", tt.wantStatus, tt.wantCode)
			_, _, msg, _ := rep.check(t, "refresh")
			if !strings.Contains(msg, tt.inMsg) {
				t.Fatalf("message %q, want %q", msg, tt.inMsg)
			}
			if (tt.wantStatus == "fail") != (run.code == exitFailed) {
				t.Fatalf("exit %d for %s", run.code, tt.wantStatus)
			}
		})
	}
}

// TestJobDurationIsValidated: a job duration that is not a positive
// duration is bad input (exit 2) found before any request.
func TestJobDurationIsValidated(t *testing.T) {
	for _, v := range []string{"two hours", "0s", "-1h"} {
		run := runCLI(t, withEnv(anaEnv(), "KEYCLOAK_URL", "http://127.0.0.1:1", "JOB_DURATION", v), "check")
		if run.code != exitUsage || !strings.Contains(run.stderr, "JOB_DURATION") {
			t.Errorf("%q: exit %d, stderr %q", v, run.code, run.stderr)
		}
	}
}
