package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/internal/realkc"
)

// Passwords and secrets of the realm files (fixtures/realms) these tests use.
const (
	reportingSecret   = "sandbox-reporting-secret-9Kp4"
	lightweightSecret = "sandbox-lightweight-secret-4Jm8"
	piaPassword       = "pia-sandbox-Pass-16"
	lockedOpsPassword = "ops-admin-sandbox-Pass-15"
)

// realKeycloak is the test binary's real Keycloak (internal/realkc), with
// the realm files of fixtures/realms imported.
func realKeycloak(t *testing.T) *realkc.Server {
	t.Helper()
	docs, err := fixtures.RealmExports()
	if err != nil {
		t.Fatal(err)
	}
	return realkc.Shared(t, docs...)
}

// postTo sends a form to a Keycloak (real or sandbox) and returns the
// status and body.
func postTo(t *testing.T, base, path string, form url.Values) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// getFrom is an authenticated GET of a Keycloak admin path.
func getFrom(t *testing.T, base, path, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// accessToken is a password grant's access token.
func accessToken(t *testing.T, base, realm, client, secret, user, password string) string {
	t.Helper()
	form := url.Values{"grant_type": {"password"}, "client_id": {client}, "username": {user}, "password": {password}}
	if secret != "" {
		form.Set("client_secret", secret)
	}
	status, body := postTo(t, base, "/realms/"+realm+"/protocol/openid-connect/token", form)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if status != http.StatusOK || json.Unmarshal([]byte(body), &tok) != nil || tok.AccessToken == "" {
		t.Fatalf("login %s via %s at %s: %d %s", user, client, base, status, body)
	}
	return tok.AccessToken
}

// `authdoctor events` against real Keycloak 26.7.3: a wrong password and an
// unknown user, which the token endpoint answers with the same bytes, are
// two rows with their own error, code and explanation, in JSON and in the
// table.
func TestRealKeycloakEventsCommand(t *testing.T) {
	real := realKeycloak(t)
	main := "tenant-" + fixtures.TenantID
	// reporting-app: a client no scenario logs users in through, so the
	// rows are this test's.
	for _, f := range []url.Values{
		{"grant_type": {"password"}, "client_id": {"reporting-app"}, "client_secret": {reportingSecret}, "username": {"ana"}, "password": {"ana-sandbox-Pass-0"}},
		{"grant_type": {"password"}, "client_id": {"reporting-app"}, "client_secret": {reportingSecret}, "username": {"zoe-nobody"}, "password": {anaPassword}},
	} {
		status, body := postTo(t, real.BaseURL, "/realms/"+main+"/protocol/openid-connect/token", f)
		if status != http.StatusBadRequest || body != `{"error":"invalid_grant","error_description":"Invalid user credentials"}` {
			t.Fatalf("login %s: %d %s", f.Get("username"), status, body)
		}
	}
	admin, adminPassword := adminArgs(t, scenarioNamed(t, "wrong-password-event"))
	env := map[string]string{"KEYCLOAK_URL": real.BaseURL, "TENANT_ID": fixtures.TenantID}
	args := append([]string{"events", "--client", "reporting-app", "--since", "10m"}, admin...)

	run := runCLI(t, env, append(args, "-o", "json")...)
	var doc eventsJSONDoc
	if run.code != exitOK || json.Unmarshal([]byte(run.stdout), &doc) != nil {
		t.Fatalf("events: exit %d\n%s\n%s", run.code, run.stdout, run.stderr)
	}
	var rows []string
	for _, e := range doc.Events {
		if e.User != "ana" && e.User != "zoe-nobody" {
			continue
		}
		if e.Explanation == "" || !strings.HasSuffix(e.Time, "Z") || e.IP == "" {
			t.Errorf("row %+v: no explanation, UTC time or IP", e)
		}
		rows = append(rows, fmt.Sprintf("%s %s %s %s %s", e.Type, e.Client, e.User, e.Error, e.Code))
	}
	want := []string{ // newest first
		"LOGIN_ERROR reporting-app zoe-nobody user_not_found USER_NOT_FOUND",
		"LOGIN_ERROR reporting-app ana invalid_user_credentials INVALID_USER_CREDENTIALS",
	}
	if !slices.Equal(rows, want) {
		t.Fatalf("events of real Keycloak %s:\n%s\nwant\n%s\n%s", real.Version, strings.Join(rows, "\n"), strings.Join(want, "\n"), run.stdout)
	}
	if doc.Realm != main || !slices.Equal(doc.Types, []string{"LOGIN_ERROR"}) {
		t.Errorf("document realm %q types %v", doc.Realm, doc.Types)
	}

	table := runCLI(t, env, args...)
	for _, s := range []string{"TIME", "EXPLANATION", "zoe-nobody", "user_not_found", "USER_NOT_FOUND: ", "invalid_user_credentials", "INVALID_USER_CREDENTIALS: "} {
		if !strings.Contains(table.stdout, s) {
			t.Errorf("table lacks %q:\n%s", s, table.stdout)
		}
	}
	for _, r := range []cliResult{run, table} {
		if strings.Contains(r.stdout+r.stderr, adminPassword) {
			t.Error("the admin password appears in the output")
		}
	}
}

// Token introspection as real Keycloak 26.7.3 answers it and as the sandbox
// (profile 26.7) does: refusals byte for byte, inactive tokens byte for
// byte, and for an active token the same claims (names, roles, audience).
func TestRealKeycloakIntrospectionMatchesSandbox(t *testing.T) {
	real := realKeycloak(t)
	if sandboxProfile(real.Version) != "26.7" {
		t.Skipf("the introspection audience check is measured on 26.7.x, not %s", real.Version)
	}
	sb := startSandbox(t, fixtures.Options{Profile: "26.7"})
	main := "tenant-" + fixtures.TenantID
	path := "/realms/" + main + "/protocol/openid-connect/token/introspect"
	type answer struct {
		status int
		body   string
	}
	cases := []struct {
		name string
		form func(base string) url.Values
	}{
		{"lightweight token, own audience", func(base string) url.Values {
			return url.Values{"token": {accessToken(t, base, main, "lightweight-service", lightweightSecret, "ana", anaPassword)}, "client_id": {"lightweight-service"}, "client_secret": {lightweightSecret}}
		}},
		{"lightweight token, user without the role", func(base string) url.Values {
			return url.Values{"token": {accessToken(t, base, main, "lightweight-service", lightweightSecret, "bob", "bob-sandbox-Pass-2")}, "client_id": {"lightweight-service"}, "client_secret": {lightweightSecret}}
		}},
		{"own token, not in its audience", func(base string) url.Values {
			return url.Values{"token": {accessToken(t, base, main, "reporting-app", reportingSecret, "ana", anaPassword)}, "client_id": {"reporting-app"}, "client_secret": {reportingSecret}}
		}},
		{"public client", func(base string) url.Values {
			return url.Values{"token": {accessToken(t, base, main, "lightweight-cli", "", "ana", anaPassword)}, "client_id": {"lightweight-cli"}}
		}},
		{"wrong secret", func(base string) url.Values {
			return url.Values{"token": {"x"}, "client_id": {"lightweight-service"}, "client_secret": {"wrong"}}
		}},
		{"no client", func(string) url.Values { return url.Values{"token": {"x"}} }},
		{"not a token", func(string) url.Values {
			return url.Values{"token": {"not-a-token"}, "client_id": {"lightweight-service"}, "client_secret": {lightweightSecret}}
		}},
		{"no token", func(string) url.Values {
			return url.Values{"client_id": {"lightweight-service"}, "client_secret": {lightweightSecret}}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []answer
			for _, base := range []string{real.BaseURL, sb.URL} {
				status, body := postTo(t, base, path, c.form(base))
				got = append(got, answer{status, body})
			}
			rl, sd := got[0], got[1]
			if rl.status != sd.status {
				t.Fatalf("status: real %d %s, sandbox %d %s", rl.status, rl.body, sd.status, sd.body)
			}
			var rc, sc map[string]any
			_ = json.Unmarshal([]byte(rl.body), &rc)
			_ = json.Unmarshal([]byte(sd.body), &sc)
			if rc["active"] != true {
				if rl.body != sd.body {
					t.Fatalf("real %s\nsandbox %s", rl.body, sd.body)
				}
				return
			}
			t.Logf("real: %s", rl.body)
			for _, k := range []string{"active", "client_id", "username", "token_type", "typ", "azp", "preferred_username"} {
				if rc[k] != sc[k] {
					t.Errorf("%s: real %v, sandbox %v", k, rc[k], sc[k])
				}
			}
			for _, k := range []string{"aud", "realm_access", "resource_access"} {
				if r, s := canonical(rc[k]), canonical(sc[k]); r != s {
					t.Errorf("%s: real %s, sandbox %s", k, r, s)
				}
			}
			if r, s := keysOf(rc), keysOf(sc); r != s {
				t.Errorf("claims: real %s\nsandbox %s", r, s)
			}
		})
	}
}

// canonical is a JSON value with its lists sorted, for comparing role sets.
func canonical(v any) string {
	var norm func(any) any
	norm = func(v any) any {
		switch x := v.(type) {
		case []any:
			out := make([]string, 0, len(x))
			for _, e := range x {
				b, _ := json.Marshal(norm(e))
				out = append(out, string(b))
			}
			sort.Strings(out)
			return out
		case map[string]any:
			m := map[string]any{}
			for k, e := range x {
				m[k] = norm(e)
			}
			return m
		}
		return v
	}
	b, _ := json.Marshal(norm(v))
	return string(b)
}

func keysOf(m map[string]any) string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, " ")
}

// Keycloak 26.7.3's permanent lockout, and the sandbox's: after the
// realm's failure factor (2) of wrong passwords the user is disabled
// (enabled false, disabledReason permanentLockout), the brute-force status
// says disabled with failedLoginNotBefore Long.MAX_VALUE, and the right
// password gets "Invalid user credentials" with the event error
// user_disabled.
func TestRealKeycloakPermanentLockoutMatchesSandbox(t *testing.T) {
	real := realKeycloak(t)
	if sandboxProfile(real.Version) != "26.7" {
		t.Skipf("measured on 26.7.x, not %s", real.Version)
	}
	sb := startSandbox(t, fixtures.Options{Profile: "26.7"})
	locked := "tenant-" + fixtures.LockedTenantID
	const piaID = "d2a7f3e9-6c1b-4a58-8e04-3b9c5f1d7a62" // realms/tenant-locked.json
	tokenPath := "/realms/" + locked + "/protocol/openid-connect/token"
	type outcome struct{ answer, status, user, event string }
	var got []outcome
	for _, base := range []string{real.BaseURL, sb.URL} {
		for range 2 {
			// More than quickLoginCheck (1 s) apart: no temporary lockout
			// on top of the permanent one.
			postTo(t, base, tokenPath, url.Values{"grant_type": {"password"}, "client_id": {"admin-portal"}, "username": {"pia"}, "password": {"pia-sandbox-Pass-0"}})
			time.Sleep(1100 * time.Millisecond)
		}
		admin := accessToken(t, base, locked, "admin-cli", "", "ops-admin", lockedOpsPassword)
		var status string
		for deadline := time.Now().Add(30 * time.Second); ; {
			// Keycloak counts failures off the request path.
			_, status = getFrom(t, base, "/admin/realms/"+locked+"/attack-detection/brute-force/users/"+piaID, admin)
			if strings.Contains(status, `"disabled":true`) || time.Now().After(deadline) {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		code, body := postTo(t, base, tokenPath, url.Values{"grant_type": {"password"}, "client_id": {"admin-portal"}, "username": {"pia"}, "password": {piaPassword}})
		_, users := getFrom(t, base, "/admin/realms/"+locked+"/users?exact=true&username=pia", admin)
		var u []struct {
			Enabled    bool                `json:"enabled"`
			Attributes map[string][]string `json:"attributes"`
		}
		_ = json.Unmarshal([]byte(users), &u)
		_, events := getFrom(t, base, "/admin/realms/"+locked+"/events?type=LOGIN_ERROR&client=admin-portal&max=1", admin)
		var ev []struct {
			Error string `json:"error"`
		}
		_ = json.Unmarshal([]byte(events), &ev)
		var st struct {
			Disabled             bool   `json:"disabled"`
			NumFailures          int    `json:"numFailures"`
			FailedLoginNotBefore uint64 `json:"failedLoginNotBefore"`
		}
		_ = json.Unmarshal([]byte(status), &st)
		o := outcome{answer: fmt.Sprintf("%d %s", code, body), status: fmt.Sprintf("disabled %v, %d failures, notBefore %d", st.Disabled, st.NumFailures, st.FailedLoginNotBefore)}
		if len(u) == 1 {
			o.user = fmt.Sprintf("enabled %v, disabledReason %v", u[0].Enabled, u[0].Attributes["disabledReason"])
		}
		if len(ev) == 1 {
			o.event = ev[0].Error
		}
		got = append(got, o)
	}
	want := outcome{
		answer: `400 {"error":"invalid_grant","error_description":"Invalid user credentials"}`,
		status: "disabled true, 2 failures, notBefore 9223372036854775807",
		user:   "enabled false, disabledReason [permanentLockout]",
		event:  "user_disabled",
	}
	if got[0] != want {
		t.Errorf("real Keycloak %s: %+v\nwant %+v", real.Version, got[0], want)
	}
	if got[1] != got[0] {
		t.Errorf("sandbox %+v\nreal    %+v", got[1], got[0])
	}
}
