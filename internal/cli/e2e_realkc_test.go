package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/internal/realkc"
)

// TestScenariosAgainstRealKeycloak runs every scenario of fixtures.Scenarios()
// through the CLI twice, against the sandbox and against a real Keycloak
// (internal/realkc: AUTHDOCTOR_REAL_KEYCLOAK, AUTHDOCTOR_KEYCLOAK_VERSIONS),
// both loaded with the realm files of fixtures/realms. Each version is
// compared with the sandbox profile that emulates it. Both runs must end
// with the same status and code in every check, and where the scenario's
// Profiles include that profile, with the scenario's check, status, code
// and the registry's fix. The real server is the truth: a difference is a
// sandbox bug.
//
// The GraphQL side is the fixtures' Hasura emulator in both runs; against
// real Keycloak it trusts that server's keys (fixtures.Options
// HasuraKeycloakURL), so the roles, graphql and refresh checks see genuine
// tokens.
func TestScenariosAgainstRealKeycloak(t *testing.T) {
	docs, err := fixtures.RealmExports()
	if err != nil {
		t.Fatal(err)
	}
	servers := realkc.All(t, docs...)
	signedOut, err := signedOutUsers(docs)
	if err != nil {
		t.Fatal(err)
	}
	for _, real := range servers {
		t.Run(real.Version, func(t *testing.T) {
			profile := sandboxProfile(real.Version)
			if profile == "" {
				t.Skipf("no sandbox profile emulates Keycloak %s (profiles 26.7, 26.0, 24, 19)", real.Version)
			}
			runScenariosAgainst(t, real, profile, signedOut)
		})
	}
}

func runScenariosAgainst(t *testing.T, real *realkc.Server, profile string, signedOut map[string]map[string]bool) {
	sandbox := startSandbox(t, fixtures.Options{Profile: profile})
	hasura := startHasuraFor(t, real.BaseURL, profile)
	admin := startAdministrator(t, real, signedOut)
	scenarios := fixtures.Scenarios()
	var ran, same, sandboxOnly int
	for _, sc := range scenarios {
		ok := t.Run(sc.Name, func(t *testing.T) {
			if sc.SandboxOnly != "" {
				t.Skip("sandbox only: " + sc.SandboxOnly)
			}
			ran++
			sandbox, hasura := sandbox, hasura
			if o := sc.Options(); o.HasuraClaimsNamespace != "" || o.HasuraClaimsNamespacePath != "" {
				// A Hasura reading another claims namespace, on both sides.
				sandbox = startSandbox(t, sc.WithHasuraClaims(fixtures.Options{Profile: profile}))
				hasura = httptest.NewServer(newSandbox(t, sc.WithHasuraClaims(fixtures.Options{Profile: profile, HasuraKeycloakURL: real.BaseURL})).GraphQLHandler())
				t.Cleanup(hasura.Close)
			}
			keycloakURL := real.BaseURL
			if signedOut[sc.Realm()][strings.ToLower(sc.Env["USERNAME"])] {
				keycloakURL = admin.URL
			}
			realEnv := map[string]string{"KEYCLOAK_URL": keycloakURL, "GRAPHQL_URL": hasura.URL + "/v1/graphql"}
			for k, v := range sc.Env {
				realEnv[k] = v
			}
			// A scenario's wrong passwords go to each server right before its run.
			if err := sc.SendWrongPasswords(context.Background(), sandbox.Client(), sandbox.keycloakURL()); err != nil {
				t.Fatal(err)
			}
			sbRep, sbRun := checkJSON(t, sandbox.env(sc.Env), sc.Args...)
			if err := sc.SendWrongPasswords(context.Background(), http.DefaultClient, real.BaseURL); err != nil {
				t.Fatal(err)
			}
			realRep, realRun := checkJSON(t, realEnv, sc.Args...)
			if diffs := outcomeDiffs(sbRep, realRep); len(diffs) > 0 || sbRun.code != realRun.code {
				t.Fatalf("Keycloak %s and sandbox profile %s differ (exit %d vs %d):\n  %s\nreal: %+v",
					real.Version, profile, realRun.code, sbRun.code, strings.Join(diffs, "\n  "), realRep.Checks)
			}
			if sc.Profiles == nil || slices.Contains(sc.Profiles, profile) {
				assertScenario(t, realRep, realRun, sc)
			}
		})
		switch {
		case sc.SandboxOnly != "":
			sandboxOnly++
		case ok:
			same++
		}
	}
	realkc.Summary("real Keycloak %s: %d of %d scenarios run against it, %d with the same check, status and code as sandbox profile %s (%d sandbox only)",
		real.Version, ran, len(scenarios), same, profile, sandboxOnly)
}

// assertScenario checks a run against the scenario's expectation, as
// TestSandboxScenarios does.
func assertScenario(t *testing.T, rep jsonReport, run cliResult, sc fixtures.Scenario) {
	t.Helper()
	if sc.WantCheck == "" {
		if run.code != exitOK {
			t.Fatalf("want every check to pass, exit %d: %+v", run.code, rep.Checks)
		}
		for _, c := range rep.Checks {
			if c.Status == "fail" || (c.Status == "warn" && sc.WantStatus == "pass") {
				t.Errorf("%s: %s %s %s", c.ID, c.Status, c.Code, c.Message)
			}
		}
		return
	}
	assertDiagnosis(t, rep, sc.WantCheck, sc.WantStatus, sc.WantCode)
	if sc.FailsRun() && run.code != exitFailed {
		t.Fatalf("exit %d, want %d", run.code, exitFailed)
	}
}

// outcomeDiffs lists the checks whose status or code differ between the
// sandbox's report and the real server's.
func outcomeDiffs(sandbox, real jsonReport) []string {
	outcome := func(rep jsonReport) map[string]string {
		m := map[string]string{}
		for _, c := range rep.Checks {
			m[c.ID] = c.Status + " " + c.Code
		}
		return m
	}
	sb, rl := outcome(sandbox), outcome(real)
	var diffs []string
	for _, c := range real.Checks {
		if sb[c.ID] != rl[c.ID] {
			diffs = append(diffs, fmt.Sprintf("%s: real %s (%s), sandbox %s", c.ID, rl[c.ID], c.Message, sb[c.ID]))
		}
	}
	for id, o := range sb {
		if _, ok := rl[id]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: only the sandbox's report has it (%s)", id, o))
		}
	}
	return diffs
}

// sandboxProfile is the profile that emulates a Keycloak release, or "".
func sandboxProfile(version string) string {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return ""
	}
	major, _ := strconv.Atoi(parts[0])
	minor, _ := strconv.Atoi(parts[1])
	switch {
	case major == 26 && minor == 7:
		return "26.7"
	case major == 26 && minor == 0:
		return "26.0"
	case major == 24:
		return "24"
	case major == 19:
		return "19"
	}
	return ""
}

// startHasuraFor serves the fixtures' Hasura emulator, trusting the keys
// the Keycloak at keycloakURL publishes for the trusted realms.
func startHasuraFor(t *testing.T, keycloakURL, profile string) *httptest.Server {
	t.Helper()
	sb := newSandbox(t, fixtures.Options{Profile: profile, HasuraKeycloakURL: keycloakURL})
	srv := httptest.NewServer(sb.GraphQLHandler())
	t.Cleanup(srv.Close)
	return srv
}

// sessionRevokedAttribute marks, in fixtures/realms, a user whom an
// administrator signs out right after each login (see
// sessionRevokedAfterLogin in fixtures/realm_export.go). Keycloak has no
// such setting; startAdministrator plays that administrator.
const sessionRevokedAttribute = "sandbox.session-revoked-after-login"

// signedOutUsers lists, per realm, the usernames (lower case) that carry
// sessionRevokedAttribute.
func signedOutUsers(docs [][]byte) (map[string]map[string]bool, error) {
	out := map[string]map[string]bool{}
	for _, doc := range docs {
		var export struct {
			Realm string `json:"realm"`
			Users []struct {
				Username   string              `json:"username"`
				Attributes map[string][]string `json:"attributes"`
			} `json:"users"`
		}
		if err := json.Unmarshal(doc, &export); err != nil {
			return nil, err
		}
		for _, u := range export.Users {
			if v := u.Attributes[sessionRevokedAttribute]; len(v) > 0 && v[0] == "true" {
				if out[export.Realm] == nil {
					out[export.Realm] = map[string]bool{}
				}
				out[export.Realm][strings.ToLower(u.Username)] = true
			}
		}
	}
	return out, nil
}

// startAdministrator is a reverse proxy in front of real Keycloak that does
// what the sandbox's sessionRevokedAttribute models: when a marked user's
// password login succeeds, it signs the user out through the admin REST
// API (POST /admin/realms/{realm}/users/{id}/logout, Keycloak's
// UserResource.logout) before passing the answer on. The refresh that
// follows then meets real Keycloak's answer to a session that has ended.
// The Host header is passed through, so tokens name the proxy as issuer
// and the refresh goes to the same one.
func startAdministrator(t *testing.T, real *realkc.Server, signedOut map[string]map[string]bool) *httptest.Server {
	t.Helper()
	target, err := url.Parse(real.BaseURL)
	if err != nil {
		t.Fatal(err)
	}
	type loginKey struct{}
	type login struct{ realm, username string }
	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.Out.Host = pr.In.Host
		},
		ModifyResponse: func(res *http.Response) error {
			l, ok := res.Request.Context().Value(loginKey{}).(login)
			if !ok || res.StatusCode != http.StatusOK {
				return nil
			}
			return signOut(real, l.realm, l.username)
		},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		realm, isToken := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, "/realms/"), "/protocol/openid-connect/token")
		if isToken && r.Method == http.MethodPost {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			form, _ := url.ParseQuery(string(body))
			username := strings.ToLower(form.Get("username"))
			if form.Get("grant_type") == "password" && signedOut[realm][username] {
				r = r.WithContext(context.WithValue(r.Context(), loginKey{}, login{realm, username}))
			}
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// signOut ends every session of a user, as an administrator would in the
// admin console (Users → Sessions → Sign out).
func signOut(real *realkc.Server, realm, username string) error {
	token, err := real.AdminToken()
	if err != nil {
		return err
	}
	call := func(method, path string) ([]byte, error) {
		req, err := http.NewRequest(method, real.BaseURL+"/admin/realms/"+url.PathEscape(realm)+path, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode/100 != 2 {
			return nil, fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, body)
		}
		return body, nil
	}
	body, err := call(http.MethodGet, "/users?exact=true&username="+url.QueryEscape(username))
	if err != nil {
		return err
	}
	var users []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &users); err != nil || len(users) != 1 {
		return fmt.Errorf("user %s in %s: %v %s", username, realm, err, body)
	}
	_, err = call(http.MethodPost, "/users/"+url.PathEscape(users[0].ID)+"/logout")
	return err
}
