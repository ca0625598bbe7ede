package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/internal/iostreams"
)

// cliResult is one run of the real CLI entry point with injected streams.
type cliResult struct {
	code           int
	stdout, stderr string
	dir            string // the run's working directory (for --report files)
}

// runCLI runs `authdoctor args...` as a person would, with env as the whole
// environment and a fresh working directory (no stray .env).
func runCLI(t *testing.T, env map[string]string, args ...string) cliResult {
	t.Helper()
	var out, errOut bytes.Buffer
	dir := t.TempDir()
	a := newApp(iostreams.Streams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, env, dir)
	a.retryWait = time.Millisecond
	a.onReport = recordCodes
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code := a.execute(ctx, append([]string{"authdoctor"}, args...))
	return cliResult{code: code, stdout: out.String(), stderr: errOut.String(), dir: dir}
}

// jsonReport is the schema-v1 document, as a consumer reads it.
type jsonReport struct {
	SchemaVersion int `json:"schema_version"`
	Target        struct {
		KeycloakURL string `json:"keycloak_url"`
		Realm       string `json:"realm"`
		ClientID    string `json:"client_id"`
		Grant       string `json:"grant"`
	} `json:"target"`
	Checks []struct {
		ID      string         `json:"id"`
		Status  string         `json:"status"`
		Code    string         `json:"code"`
		Message string         `json:"message"`
		Fix     *jsonFix       `json:"fix"`
		Details map[string]any `json:"details"`
	} `json:"checks"`
	Summary struct {
		Passed, Warned, Failed, Skipped int
	} `json:"summary"`
	ExitCode int `json:"exit_code"`
}

// jsonFix is a check's fix in the schema 2 document.
type jsonFix struct {
	Steps    []string `json:"steps"`
	Commands []struct {
		Tool    string `json:"tool"`
		Command string `json:"command"`
	} `json:"commands"`
	Console string `json:"console"`
	DocURL  string `json:"doc_url"`
}

// text is the fix's steps, one a line, then its commands, one a line: what
// a test greps for a phrase of the fix.
func (f *jsonFix) text() string {
	if f == nil {
		return ""
	}
	lines := append([]string(nil), f.Steps...)
	for _, c := range f.Commands {
		lines = append(lines, c.Command)
	}
	return strings.Join(lines, "\n")
}

func (r jsonReport) check(t *testing.T, id string) (status, code, message, fix string) {
	t.Helper()
	for _, c := range r.Checks {
		if c.ID == id {
			return c.Status, c.Code, c.Message, c.Fix.text()
		}
	}
	t.Fatalf("no check %q in report", id)
	return
}

// checkJSON runs `check -o json` and decodes the report.
func checkJSON(t *testing.T, env map[string]string, args ...string) (jsonReport, cliResult) {
	t.Helper()
	run := runCLI(t, env, append([]string{"check", "-o", "json"}, args...)...)
	var rep jsonReport
	if err := json.Unmarshal([]byte(run.stdout), &rep); err != nil {
		t.Fatalf("stdout is not the JSON report (exit %d): %v\nstdout:\n%s\nstderr:\n%s", run.code, err, run.stdout, run.stderr)
	}
	if rep.ExitCode != run.code {
		t.Fatalf("exit_code %d in JSON, process exit %d", rep.ExitCode, run.code)
	}
	return rep, run
}

// assertDiagnosis checks status, code and that the fix is the registry's.
func assertDiagnosis(t *testing.T, rep jsonReport, checkID, wantStatus, wantCode string) {
	t.Helper()
	status, code, msg, fix := rep.check(t, checkID)
	if status != wantStatus || code != wantCode {
		t.Fatalf("%s: got %s %s (%s), want %s %s\nreport: %+v", checkID, status, code, msg, wantStatus, wantCode, rep.Checks)
	}
	if wantCode == "" {
		return
	}
	entry, ok := codes.Lookup(wantCode)
	if !ok {
		t.Fatalf("code %s is not in the registry", wantCode)
	}
	// The fix is the registry's, or that of the case the details name.
	for _, c := range rep.Checks {
		if k, _ := c.Details[codes.DetailFixCase].(string); c.ID == checkID && k != "" {
			entry = entry.For(k)
		}
	}
	if !strings.Contains(fix, strings.Join(entry.Steps(), "\n")) {
		t.Fatalf("%s: the fix does not carry the registry's fix for %s:\n%s", checkID, wantCode, fix)
	}
	assertFilledCommands(t, rep, checkID, entry)
	if msg == "" {
		t.Fatalf("%s: empty message", checkID)
	}
}

// sandbox serves a fresh emulator over plain HTTP on loopback and records
// every token it issues (for the secrets tests).
type sandbox struct {
	*httptest.Server
	sb     *fixtures.Sandbox
	mu     sync.Mutex
	tokens []string
}

func startSandbox(t *testing.T, opts fixtures.Options) *sandbox {
	t.Helper()
	s := &sandbox{sb: newSandbox(t, opts)}
	s.Server = httptest.NewServer(s.recordTokens(s.sb.Handler()))
	t.Cleanup(s.Close)
	return s
}

func (s *sandbox) keycloakURL() string { return s.URL }

func (s *sandbox) graphqlURL() string { return s.URL + "/v1/graphql" }

// env returns the scenario's environment pointed at this sandbox.
func (s *sandbox) env(sc map[string]string) map[string]string {
	env := map[string]string{"KEYCLOAK_URL": s.keycloakURL(), "GRAPHQL_URL": s.graphqlURL()}
	for k, v := range sc {
		env[k] = v
	}
	return env
}

func (s *sandbox) issued() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.tokens...)
}

func (s *sandbox) recordTokens(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var tok struct {
			Access  string `json:"access_token"`
			Refresh string `json:"refresh_token"`
			ID      string `json:"id_token"`
		}
		if strings.HasSuffix(r.URL.Path, "/token") && json.Unmarshal(rec.Body.Bytes(), &tok) == nil {
			s.mu.Lock()
			for _, v := range []string{tok.Access, tok.Refresh, tok.ID} {
				if v != "" {
					s.tokens = append(s.tokens, v)
				}
			}
			s.mu.Unlock()
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = io.Copy(w, rec.Body)
	})
}

// newSandbox builds the emulator: the one way the tests get one.
func newSandbox(t testing.TB, opts fixtures.Options) *fixtures.Sandbox {
	t.Helper()
	sb, err := fixtures.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return sb
}

// anaEnv is the environment of the healthy-admin scenario (Ana, a tenant
// admin whose login, token and GraphQL access all work), without URLs.
func anaEnv() map[string]string {
	sc, ok := fixtures.ScenarioNamed("healthy-admin")
	if !ok {
		panic("fixtures: no healthy-admin scenario")
	}
	return maps.Clone(sc.Env)
}

// anaPassword is Ana's sandbox password, for the tests that look for it in
// output.
var anaPassword = anaEnv()["PASSWORD"]

// withEnv returns env with the extra variables set.
func withEnv(env map[string]string, kv ...string) map[string]string {
	for i := 0; i+1 < len(kv); i += 2 {
		env[kv[i]] = kv[i+1]
	}
	return env
}

// assertFilledCommands: the commands of a check's fix are the code's, filled
// in with the run's realm, client, user and URLs: a placeholder the run
// knows the value of never remains.
func assertFilledCommands(t *testing.T, rep jsonReport, checkID string, entry *codes.Code) {
	t.Helper()
	var f *jsonFix
	for _, c := range rep.Checks {
		if c.ID == checkID {
			f = c.Fix
		}
	}
	if f == nil {
		t.Fatalf("%s: no fix object", checkID)
	}
	if want := len(entry.CommandLines()); want > 0 && len(f.Commands) == 0 {
		t.Fatalf("%s: no commands in the fix, the code has %d", checkID, want)
	}
	known := map[string]string{codes.PhRealm: rep.Target.Realm, codes.PhClient: rep.Target.ClientID, codes.PhKeycloakURL: rep.Target.KeycloakURL}
	// A role to assign is always known when the fix names one: the
	// required role, the role the tracer found missing, or the Hasura role.
	if strings.Contains(entry.Command, codes.PhRole) {
		for _, c := range f.Commands {
			if strings.Contains(c.Command, codes.PhRole) {
				t.Errorf("%s: command %q keeps %s", checkID, c.Command, codes.PhRole)
			}
		}
	}
	for _, c := range f.Commands {
		if c.Tool == "" {
			t.Errorf("%s: command without a tool: %q", checkID, c.Command)
		}
		for ph, value := range known {
			if value != "" && strings.Contains(c.Command, ph) {
				t.Errorf("%s: command %q keeps %s though the run's value is %q", checkID, c.Command, ph, value)
			}
		}
	}
}
