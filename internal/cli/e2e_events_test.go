package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/fixtures"
)

// scenarioNamed is a sandbox scenario by name.
func scenarioNamed(t *testing.T, name string) fixtures.Scenario {
	t.Helper()
	sc, ok := fixtures.ScenarioNamed(name)
	if !ok {
		t.Fatalf("no scenario %s", name)
	}
	return sc
}

// adminArgs are a scenario's admin flags, and the admin password among them.
func adminArgs(t *testing.T, sc fixtures.Scenario) (args []string, password string) {
	t.Helper()
	for i := 0; i+1 < len(sc.Args); i += 2 {
		switch sc.Args[i] {
		case "--admin-realm", "--admin-username":
			args = append(args, sc.Args[i], sc.Args[i+1])
		case "--admin-password":
			args, password = append(args, sc.Args[i], sc.Args[i+1]), sc.Args[i+1]
		}
	}
	if password == "" {
		t.Fatalf("scenario %s has no admin access", sc.Name)
	}
	return args, password
}

// failLogins sends failing grants to the main tenant's token endpoint.
func failLogins(t *testing.T, srv *sandbox, forms ...url.Values) {
	t.Helper()
	for _, f := range forms {
		res, err := srv.Client().PostForm(srv.URL+"/realms/tenant-"+fixtures.TenantID+"/protocol/openid-connect/token", f)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode == http.StatusOK {
			t.Fatalf("login %v succeeded", f)
		}
	}
}

func passwordForm(client, username, password string) url.Values {
	return url.Values{"grant_type": {"password"}, "client_id": {client}, "username": {username}, "password": {password}}
}

// eventsJSONDoc is what `authdoctor events -o json` writes.
type eventsJSONDoc struct {
	Realm  string   `json:"realm"`
	Since  string   `json:"since"`
	Types  []string `json:"types"`
	Events []struct {
		Time        string            `json:"time"`
		Type        string            `json:"type"`
		Client      string            `json:"client"`
		User        string            `json:"user"`
		IP          string            `json:"ip"`
		Error       string            `json:"error"`
		Details     map[string]string `json:"details"`
		Code        string            `json:"code"`
		Explanation string            `json:"explanation"`
	} `json:"events"`
}

// `authdoctor events` lists what the sandbox recorded, as Keycloak's admin
// API returns it, each error with the code that explains it.
func TestEventsCommand(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	admin, adminPassword := adminArgs(t, scenarioNamed(t, "wrong-password-event"))
	env := srv.env(map[string]string{"TENANT_ID": fixtures.TenantID})
	failLogins(t, srv,
		passwordForm("admin-portal", "ana", "not-her-password-1"),
		passwordForm("admin-portal", "anna", anaPassword),
		passwordForm("voting-portal", "carl", "carl-sandbox-Pass-3"),
		url.Values{"grant_type": {"client_credentials"}, "client_id": {"admin-portal"}},
	)
	events := func(args ...string) (cliResult, eventsJSONDoc) {
		t.Helper()
		run := runCLI(t, env, append(append([]string{"events", "-o", "json"}, admin...), args...)...)
		var doc eventsJSONDoc
		if run.code != exitOK || json.Unmarshal([]byte(run.stdout), &doc) != nil {
			t.Fatalf("events %v: exit %d\n%s\n%s", args, run.code, run.stdout, run.stderr)
		}
		return run, doc
	}
	summary := func(doc eventsJSONDoc) []string {
		var out []string
		for _, e := range doc.Events {
			out = append(out, fmt.Sprintf("%s %s %s %s %s", e.Type, e.Client, e.User, e.Error, e.Code))
		}
		return out
	}

	// The default: LOGIN_ERROR of the last hour, newest first, explained.
	_, doc := events()
	want := []string{
		"LOGIN_ERROR voting-portal carl user_disabled ACCOUNT_DISABLED",
		"LOGIN_ERROR admin-portal anna user_not_found USER_NOT_FOUND",
		"LOGIN_ERROR admin-portal ana invalid_user_credentials INVALID_USER_CREDENTIALS",
	}
	if got := summary(doc); !slices.Equal(got, want) {
		t.Fatalf("events:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	e := doc.Events[2]
	if doc.Realm != "tenant-"+fixtures.TenantID || !slices.Equal(doc.Types, []string{"LOGIN_ERROR"}) || doc.Since == "" ||
		e.IP != "127.0.0.1" || e.Details["grant_type"] != "password" || e.Explanation == "" || !strings.HasSuffix(e.Time, "Z") {
		t.Errorf("document %+v", doc)
	}

	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"--user", "ANNA"}, want[1:2]},
		{[]string{"--client", "voting-portal"}, want[:1]},
		{[]string{"--type", "client_login_error"}, []string{"CLIENT_LOGIN_ERROR admin-portal  invalid_client "}},
		{[]string{"--type", "LOGIN_ERROR", "--type", "CLIENT_LOGIN_ERROR", "--max", "2"}, []string{"CLIENT_LOGIN_ERROR admin-portal  invalid_client ", want[0]}},
	} {
		if _, doc := events(tt.args...); !slices.Equal(summary(doc), tt.want) {
			t.Errorf("%v:\n%s\nwant\n%s", tt.args, strings.Join(summary(doc), "\n"), strings.Join(tt.want, "\n"))
		}
	}

	// Table (this machine's time zone) and Markdown (for a ticket).
	table := runCLI(t, env, append([]string{"events"}, admin...)...)
	for _, s := range []string{"TIME", "EXPLANATION", "anna", "user_not_found", "USER_NOT_FOUND: ", "3 events in realm tenant-" + fixtures.TenantID} {
		if !strings.Contains(table.stdout, s) {
			t.Errorf("table lacks %q:\n%s", s, table.stdout)
		}
	}
	md := runCLI(t, env, append([]string{"events", "-o", "markdown"}, admin...)...)
	for _, s := range []string{"## LOGIN_ERROR events in realm `tenant-" + fixtures.TenantID + "`", "| Time (UTC) | Type |", "| `user_not_found` | `USER_NOT_FOUND` "} {
		if !strings.Contains(md.stdout, s) {
			t.Errorf("markdown lacks %q:\n%s", s, md.stdout)
		}
	}

	// --since counts back from the server's clock.
	time.Sleep(2100 * time.Millisecond)
	failLogins(t, srv, passwordForm("admin-portal", "bob", "not-his-password-2"))
	if _, doc := events("--since", "1s"); !slices.Equal(summary(doc), []string{"LOGIN_ERROR admin-portal bob invalid_user_credentials INVALID_USER_CREDENTIALS"}) {
		t.Errorf("--since 1s: %v", summary(doc))
	}

	for _, run := range []cliResult{table, md} {
		if strings.Contains(run.stdout+run.stderr, adminPassword) {
			t.Error("the admin password appears in the output")
		}
	}
}

// Refused admin access is a failed run (exit 1) naming the code; bad flags
// are exit 2 before any request.
func TestEventsCommandFailures(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	env := srv.env(map[string]string{"TENANT_ID": fixtures.TenantID})
	viewer, _ := adminArgs(t, scenarioNamed(t, "events-forbidden"))
	wrong, wrongPassword := adminArgs(t, scenarioNamed(t, "admin-login-failed"))
	admin, _ := adminArgs(t, scenarioNamed(t, "wrong-password-event"))
	for _, tt := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no view-events", viewer, exitFailed, "EVENTS_FORBIDDEN"},
		{"wrong admin password", wrong, exitFailed, "ADMIN_LOGIN_FAILED"},
		{"no admin access", nil, exitUsage, "no admin access"},
		{"bad type", append([]string{"--type", "login-error"}, admin...), exitUsage, "--type"},
		{"max out of range", append([]string{"--max", "0"}, admin...), exitUsage, "--max 0"},
		{"since not positive", append([]string{"--since", "0s"}, admin...), exitUsage, "--since"},
		{"since not a duration", append([]string{"--since", "yesterday"}, admin...), exitUsage, "since"},
		{"junit output", append([]string{"-o", "junit"}, admin...), exitUsage, "table, json or markdown"},
		{"an argument", append([]string{"LOGIN_ERROR"}, admin...), exitUsage, "unexpected argument"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := len(srv.sb.Requests())
			run := runCLI(t, env, append([]string{"events"}, tt.args...)...)
			if run.code != tt.code || !strings.Contains(run.stderr, tt.want) {
				t.Fatalf("exit %d, want %d with %q\nstdout: %s\nstderr: %s", run.code, tt.code, tt.want, run.stdout, run.stderr)
			}
			if strings.Contains(run.stdout+run.stderr, wrongPassword) {
				t.Error("the admin password appears in the output")
			}
			if tt.code == exitUsage && len(srv.sb.Requests()) != before {
				t.Error("bad input sent a request")
			}
		})
	}
}

// The server's events of a failed login appear in every report format, and
// neither the admin password nor any token (the admin's included) appears
// anywhere authdoctor writes, -v transcript included.
func TestEventsInEveryReportFormat(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	sc := scenarioNamed(t, "unknown-user-event")
	_, adminPassword := adminArgs(t, sc)
	args := append([]string{"check", "-v", "-o", "table", "--report", "r.json", "--report", "r.md", "--report", "r.xml", "--report", "r.txt"}, sc.Args...)
	run := runCLI(t, srv.env(sc.Env), args...)
	if run.code != exitFailed {
		t.Fatalf("exit %d\n%s\n%s", run.code, run.stdout, run.stderr)
	}
	files := map[string]string{"stdout": run.stdout, "stderr": run.stderr}
	for _, f := range []string{"r.json", "r.md", "r.xml", "r.txt"} {
		b, err := os.ReadFile(filepath.Join(run.dir, f))
		if err != nil {
			t.Fatal(err)
		}
		files[f] = string(b)
	}
	line := "LOGIN_ERROR client=admin-portal user=anna ip=127.0.0.1 error=user_not_found"
	if !strings.Contains(strings.Join(strings.Fields(files["stdout"]), " "), line) {
		t.Errorf("table lacks the event:\n%s", files["stdout"])
	}
	var rep struct {
		Checks []struct {
			ID     string `json:"id"`
			Code   string `json:"code"`
			Events []struct {
				Type, Client, User, IP, Error string
				Details                       map[string]string
			} `json:"events"`
		} `json:"checks"`
	}
	if err := json.Unmarshal([]byte(files["r.json"]), &rep); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range rep.Checks {
		if c.ID == "credentials" {
			found = c.Code == "USER_NOT_FOUND" && len(c.Events) > 0 && c.Events[0].Error == "user_not_found" && c.Events[0].User == "anna" &&
				c.Events[0].Details["auth_method"] == "openid-connect"
		}
	}
	if !found {
		t.Errorf("JSON lacks the event:\n%s", files["r.json"])
	}
	for f, want := range map[string]string{
		"r.md":  "| `LOGIN_ERROR` | `admin-portal` | `anna` | `127.0.0.1` | `user_not_found` |",
		"r.xml": line,
		"r.txt": "USER_NOT_FOUND",
	} {
		if !strings.Contains(files[f], want) {
			t.Errorf("%s lacks %q:\n%s", f, want, files[f])
		}
	}
	secrets := map[string]string{"admin password": adminPassword, "admin password (form-encoded)": url.QueryEscape(adminPassword)}
	for i, tok := range srv.issued() {
		secrets[fmt.Sprintf("issued token %d", i)] = tok
	}
	if len(srv.issued()) == 0 {
		t.Fatal("no admin token was issued")
	}
	for where, text := range files {
		for name, secret := range secrets {
			if strings.Contains(text, secret) {
				t.Errorf("%s leaks the %s", where, name)
			}
		}
	}
}

// noDate answers as Keycloak 26.7.3 does: without a Date header on any
// Keycloak path (measured on the real server; the GraphQL paths keep it).
type noDate struct{ http.ResponseWriter }

func (w noDate) WriteHeader(status int) {
	w.Header()["Date"] = nil // nil suppresses net/http's own Date
	w.ResponseWriter.WriteHeader(status)
}

func (w noDate) Write(b []byte) (int, error) {
	w.Header()["Date"] = nil
	return w.ResponseWriter.Write(b)
}

// Without a Date in the answers, the attempt's event is placed on the
// server's clock by the admin token's iat, even when this machine's clock
// is minutes off.
func TestEventsWithoutDateHeader(t *testing.T) {
	sb := newSandbox(t, fixtures.Options{ClockSkew: 3 * time.Minute})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/v1/") {
			w = noDate{w}
		}
		sb.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	sc := scenarioNamed(t, "unknown-user-event")
	env := map[string]string{"KEYCLOAK_URL": srv.URL, "GRAPHQL_URL": srv.URL + "/v1/graphql"}
	for k, v := range sc.Env {
		env[k] = v
	}
	rep, _ := checkJSON(t, env, sc.Args...)
	assertDiagnosis(t, rep, "credentials", "fail", "USER_NOT_FOUND")

	admin, _ := adminArgs(t, sc)
	run := runCLI(t, map[string]string{"KEYCLOAK_URL": srv.URL, "TENANT_ID": fixtures.TenantID}, append([]string{"events", "--since", "1m", "--user", "anna", "-o", "json"}, admin...)...)
	var doc eventsJSONDoc
	if err := json.Unmarshal([]byte(run.stdout), &doc); err != nil || len(doc.Events) != 1 || doc.Events[0].Code != "USER_NOT_FOUND" {
		t.Fatalf("events: exit %d %s %s", run.code, run.stdout, run.stderr)
	}
}
