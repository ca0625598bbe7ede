package cli

import (
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/authdoctor/authdoctor/fixtures"
)

// End-to-end tests for the gaps mutation testing found (issue 14; see
// docs/mutation-testing.md): each fails when the behaviour it names is
// changed by hand in the code.

// A run whose only findings are warnings exits 0, as the README promises:
// the kiosk client issues no refresh token, which is a warning.
func TestWarningsAloneExitZero(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	env := srv.env(withEnv(anaEnv(), "CLIENT_ID", "kiosk-app"))
	rep, run := checkJSON(t, env)
	assertDiagnosis(t, rep, "refresh", "warn", "NO_REFRESH_TOKEN")
	if run.code != exitOK || rep.Summary.Warned == 0 || rep.Summary.Failed != 0 {
		t.Fatalf("exit %d with %+v: %+v", run.code, rep.Summary, rep.Checks)
	}
	for _, format := range []string{"table", "short", "markdown", "junit"} {
		if run := runCLI(t, env, "check", "-o", format); run.code != exitOK {
			t.Errorf("-o %s: exit %d\n%s", format, run.code, run.stdout)
		}
	}
}

// partnerSecret is the secret of the sandbox's partner-portal client
// (fixtures/realms/tenant-main.json): '+', '%', '/', ':' and '=' change
// under form encoding, which RFC 6749 §2.3.1 requires of HTTP Basic
// credentials and Keycloak undoes (BasicAuthHelper.RFC6749.parseHeader).
const partnerSecret = "sandbox+partner%2Fsecret:6Rw3="

func TestPartnerSecretIsTheRealmFiles(t *testing.T) {
	docs, err := fixtures.RealmExports()
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range docs {
		var realm struct {
			Clients []struct{ ClientID, Secret string }
		}
		if err := json.Unmarshal(doc, &realm); err != nil {
			t.Fatal(err)
		}
		for _, c := range realm.Clients {
			if c.ClientID == "partner-portal" {
				if c.Secret != partnerSecret {
					t.Fatalf("the realm file says %q", c.Secret)
				}
				return
			}
		}
	}
	t.Fatal("no partner-portal client in the realm files")
}

// A client secret with characters that form encoding changes reaches
// Keycloak intact, in the login and in the refresh; right or wrong, it
// never appears in any output, in any spelling, nor do the Basic
// credentials built from it.
func TestClientSecretWithSpecialCharacters(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	for _, tc := range []struct {
		name, secret, status, code string
	}{
		{"right secret", partnerSecret, "pass", ""},
		{"wrong secret", strings.Replace(partnerSecret, "+", " ", 1), "fail", "INVALID_CLIENT_CREDENTIALS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := srv.env(withEnv(anaEnv(), "CLIENT_ID", "partner-portal", "CLIENT_SECRET", tc.secret))
			delete(env, "GRAPHQL_URL") // the partner portal has no Hasura mappers
			run := runCLI(t, env, "check", "-v", "-o", "json", "--report", "r.md", "--report", "r.xml", "--report", "r.txt")
			var rep jsonReport
			if err := json.Unmarshal([]byte(run.stdout), &rep); err != nil {
				t.Fatalf("exit %d: %v\n%s\n%s", run.code, err, run.stdout, run.stderr)
			}
			assertDiagnosis(t, rep, "credentials", tc.status, tc.code)
			if tc.status == "pass" {
				assertDiagnosis(t, rep, "refresh", "pass", "")
			}
			outputs := map[string]string{"stdout": run.stdout, "stderr": run.stderr}
			for _, f := range []string{"r.md", "r.xml", "r.txt"} {
				b, err := os.ReadFile(filepath.Join(run.dir, f))
				if err != nil {
					t.Fatal(err)
				}
				outputs[f] = string(b)
			}
			s, id := tc.secret, "partner-portal"
			forms := map[string]string{
				"secret": s, "form-encoded": url.QueryEscape(s), "path-encoded": url.PathEscape(s), "quoted": strconv.Quote(s),
				"Basic, form-encoded": base64.StdEncoding.EncodeToString([]byte(id + ":" + url.QueryEscape(s))),
				"Basic, raw":          base64.StdEncoding.EncodeToString([]byte(id + ":" + s)),
				"Basic, raw base64":   base64.RawStdEncoding.EncodeToString([]byte(id + ":" + url.QueryEscape(s))),
			}
			for where, text := range outputs {
				for name, form := range forms {
					if strings.Contains(text, form) {
						t.Errorf("%s leaks the secret (%s)", where, name)
					}
				}
				if strings.Contains(text, "partner%2F") || strings.Contains(text, "partner%252F") {
					t.Errorf("%s leaks part of the secret", where)
				}
			}
			if !strings.Contains(run.stderr, `-u "$CLIENT_ID:$CLIENT_SECRET"`) {
				t.Errorf("the replay should use the variables:\n%s", run.stderr)
			}
		})
	}
}

// Keycloak's role names are case-sensitive, and so is --require-role.
func TestRequiredRolesCaseSensitiveEndToEnd(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	rep, _ := checkJSON(t, srv.env(anaEnv()), "--require-role", "admin-user")
	assertDiagnosis(t, rep, "roles", "pass", "")
	rep, run := checkJSON(t, srv.env(anaEnv()), "--require-role", "Admin-User")
	assertDiagnosis(t, rep, "roles", "fail", "MISSING_ROLE")
	if _, _, msg, _ := rep.check(t, "roles"); !strings.Contains(msg, "Admin-User") || run.code != exitFailed {
		t.Fatalf("exit %d: %s", run.code, msg)
	}
}

// A connection reset (a proxy or load balancer dropping it) is retried
// like a refused one, and the run goes on as if nothing happened.
func TestConnectionResetIsRetried(t *testing.T) {
	var resets, tokenCalls atomic.Int32
	srv := behindProxy(t, newSandbox(t, fixtures.Options{}), func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, "/token") || tokenCalls.Add(1) > 1 {
			return false
		}
		resets.Add(1)
		c, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return true
		}
		_ = c.(*net.TCPConn).SetLinger(0) // a RST, not a FIN
		_ = c.Close()
		return true
	})
	env := anaEnv()
	env["KEYCLOAK_URL"] = srv.URL
	rep, run := checkJSON(t, env)
	assertDiagnosis(t, rep, "credentials", "pass", "")
	if resets.Load() != 1 || run.code != exitOK {
		t.Fatalf("%d resets, exit %d: %+v", resets.Load(), run.code, rep.Checks)
	}
}

// A 200 text/html answer to the token request is a login page or a proxy,
// even when its body would read as a token; its hint says so, and the
// token it carries is not quoted.
func TestHTMLTokenAnswerIsRefused(t *testing.T) {
	sb := newSandbox(t, fixtures.Options{})
	var token string
	srv := behindProxy(t, sb, func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, "/token") {
			return false
		}
		rec := httptest.NewRecorder()
		sb.Handler().ServeHTTP(rec, r)
		var tok struct {
			Access string `json:"access_token"`
		}
		_ = json.Unmarshal(rec.Body.Bytes(), &tok)
		token = tok.Access
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(rec.Body.Bytes())
		return true
	})
	env := anaEnv()
	env["KEYCLOAK_URL"] = srv.URL
	rep, run := checkJSON(t, env)
	assertDiagnosis(t, rep, "credentials", "fail", "UNEXPECTED_RESPONSE")
	_, _, msg, fix := rep.check(t, "credentials")
	if !strings.Contains(msg, "answered 200 OK with text/html") || !strings.Contains(fix, "An HTML page instead of JSON") {
		t.Fatalf("message %q, fix %q", msg, fix)
	}
	if token == "" || strings.Contains(run.stdout, strings.Split(token, ".")[2]) {
		t.Fatalf("the token is quoted (or none was issued): %q", token)
	}
}

// The realm's key set must come with a 200: a server error that carries a
// key set is still a server error.
func TestJWKSWithServerErrorIsRefused(t *testing.T) {
	sb := newSandbox(t, fixtures.Options{})
	srv := behindProxy(t, sb, func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, "/protocol/openid-connect/certs") {
			return false
		}
		rec := httptest.NewRecorder()
		sb.Handler().ServeHTTP(rec, r)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write(rec.Body.Bytes())
		return true
	})
	env := anaEnv()
	env["KEYCLOAK_URL"] = srv.URL
	rep, _ := checkJSON(t, env)
	assertDiagnosis(t, rep, "roles", "fail", "UNEXPECTED_RESPONSE")
	if _, _, msg, _ := rep.check(t, "roles"); !strings.Contains(msg, "answered 500") {
		t.Fatalf("message %q", msg)
	}
}

// A refresh refused because the session ended gets the hint for that
// reason, not another's.
func TestRefreshHintNamesTheReason(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	rep, _ := checkJSON(t, srv.env(scenarioNamed(t, "session-ended").Env))
	assertDiagnosis(t, rep, "refresh", "fail", "REFRESH_REJECTED")
	_, _, msg, fix := rep.check(t, "refresh")
	if !strings.Contains(msg, "Session not active") || !strings.HasPrefix(fix, "The user session ended") || strings.Contains(fix, "not a refresh token of this realm") {
		t.Fatalf("message %q, fix %q", msg, fix)
	}
}

// A .env file with Windows line ends (CRLF) reads as the same settings: no
// carriage return ends up in the password; and a bad line in one is named
// by its number.
func TestCRLFEnvFile(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	dir := t.TempDir()
	good := filepath.Join(dir, "good.env")
	lines := []string{"KEYCLOAK_URL=" + srv.keycloakURL(), "TENANT_ID=" + fixtures.TenantID, "CLIENT_ID=admin-portal", "USERNAME=ana", "PASSWORD=" + anaPassword, "GRAPHQL_URL=" + srv.graphqlURL()}
	if err := os.WriteFile(good, []byte(strings.Join(lines, "\r\n")+"\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, run := checkJSON(t, map[string]string{}, "--env-file", good)
	assertDiagnosis(t, rep, "credentials", "pass", "")
	if run.code != exitOK {
		t.Fatalf("exit %d: %+v", run.code, rep.Checks)
	}

	bad := filepath.Join(dir, "bad.env")
	if err := os.WriteFile(bad, []byte("KEYCLOAK_URL="+srv.keycloakURL()+"\r\nnot a setting\r\nPASSWORD="+anaPassword+"\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run = runCLI(t, map[string]string{}, "check", "--env-file", bad)
	if run.code != exitUsage || !strings.Contains(run.stderr, "bad.env, line 2: not a KEY=value line") || strings.Contains(run.stderr, anaPassword) {
		t.Fatalf("exit %d: %s", run.code, run.stderr)
	}
}

// The line of a bad .env line is counted the same with CRLF line ends.
func TestDotEnvErrorLineCRLF(t *testing.T) {
	for _, tc := range []struct{ name, content, want string }{
		{"LF", "A=1\nB=2\nbad line\nPASSWORD=x\n", ".env, line 3: not a KEY=value line"},
		{"CRLF", "A=1\r\nB=2\r\nbad line\r\nPASSWORD=x\r\n", ".env, line 3: not a KEY=value line"},
		{"CRLF, unterminated quote", "A=1\r\n\r\nCLIENT_SECRET=\"abc\r\n", ".env, line 3: a quoted value is not closed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseDotEnv(".env", []byte(tc.content))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}
