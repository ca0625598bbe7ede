package cli

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/checks"
	"github.com/authdoctor/authdoctor/fixtures"
)

// Bad input: a clear message on stderr, exit 2, nothing sent to any server.
func TestBadInputExits2WithoutRequests(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	good := srv.env(anaEnv())
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for kk, vv := range good {
			m[kk] = vv
		}
		if v == "" {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	scratch := t.TempDir()
	dirReport := filepath.Join(scratch, "d.json")
	if err := os.Mkdir(dirReport, 0o755); err != nil {
		t.Fatal(err)
	}
	badEnvFile := filepath.Join(scratch, "bad.env")
	if err := os.WriteFile(badEnvFile, []byte("KEYCLOAK_URL="+srv.URL+"\nbad line\nPASSWORD="+anaPassword+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no keycloak url", with("KEYCLOAK_URL", ""), nil, "KEYCLOAK_URL"},
		{"url with a password", with("KEYCLOAK_URL", "http://admin:hunter2@127.0.0.1:8080"), nil, "user:password@"},
		{"port out of range", with("KEYCLOAK_URL", "http://127.0.0.1:99999"), nil, "between 1 and 65535"},
		{"tenant id with a query", with("TENANT_ID", "x?y"), nil, "tenant id only"},
		{"realm with a slash", good, []string{"--realm", "a/b"}, "--realm"},
		{"empty required role", good, []string{"--require-role", ""}, "empty value"},
		{"required field not a name", good, []string{"--require-field", "a b"}, "root field"},
		{"hasura role with a newline", good, []string{"--hasura-role", "x\ny"}, "x-hasura-role"},
		{"report in a missing directory", good, []string{"--report", "missing/dir/r.json"}, "cannot write"},
		{"report path is a directory", good, []string{"--report", dirReport}, "cannot write"},
		{"env file with a bad line", good, []string{"--env-file", badEnvFile}, "line 2"},
		{"empty env file flag", good, []string{"--env-file", ""}, "--env-file is empty"},
		{"malformed url", with("KEYCLOAK_URL", "keycloak.example.com"), nil, "not an http(s) URL"},
		{"no realm", with("TENANT_ID", ""), nil, "TENANT_ID"},
		{"no client", with("CLIENT_ID", ""), nil, "CLIENT_ID"},
		{"password without username", with("USERNAME", ""), nil, "no username"},
		{"unknown output", good, []string{"-o", "yaml"}, "table"},
		{"unknown report extension", good, []string{"--report", "out.pdf"}, ".json"},
		{"unknown flag", good, []string{"--frobnicate"}, "frobnicate"},
		{"bad timeout", good, []string{"--timeout", "-1s"}, "--timeout"},
		{"missing env file", good, []string{"--env-file", "nope.env"}, "nope.env"},
		{"stray argument", good, []string{"extra"}, "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(srv.sb.Requests())
			run := runCLI(t, tt.env, append([]string{"check"}, tt.args...)...)
			if run.code != exitUsage {
				t.Fatalf("exit %d, want 2\nstderr: %s", run.code, run.stderr)
			}
			if !strings.Contains(run.stderr, tt.want) || strings.Contains(run.stderr, "goroutine") {
				t.Fatalf("stderr should explain (%q):\n%s", tt.want, run.stderr)
			}
			if after := len(srv.sb.Requests()); after != before {
				t.Fatalf("%d requests were sent for bad input", after-before)
			}
			for _, secret := range []string{"hunter2", anaPassword} {
				if strings.Contains(run.stdout+run.stderr, secret) {
					t.Fatalf("the message shows a secret: %s", run.stderr)
				}
			}
		})
	}
}

func TestEnvFileAndSources(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	dir := t.TempDir()
	envFile := filepath.Join(dir, "creds.env")
	content := "export KEYCLOAK_URL=\"" + srv.keycloakURL() + "\"\nTENANT_ID=" + fixtures.TenantID + "\nCLIENT_ID=admin-portal\nUSERNAME=ana\nPASSWORD='" + anaPassword + "'\n"
	if err := os.WriteFile(envFile, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	// The real environment wins over the file: a wrong CLIENT_ID from the file is overridden.
	run := runCLI(t, map[string]string{"CLIENT_ID": "admin-portal"}, "check", "--env-file", envFile, "-o", "markdown")
	if run.code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", run.code, run.stdout, run.stderr)
	}
	for _, want := range []string{"| `keycloak-url` | `KEYCLOAK_URL` | .env file |", "| `client-id` | `CLIENT_ID` | environment |", "| `password` | `PASSWORD` | .env file | set (hidden) |"} {
		if !strings.Contains(run.stdout, want) {
			t.Errorf("markdown environment section lacks %q", want)
		}
	}
}

func TestReportFilesAreWrittenEvenOnFailure(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	env := srv.env(anaEnv())
	env["PASSWORD"] = "wrong-password-for-ana"
	run := runCLI(t, env, "check", "--report", "r.json", "--report", "r.xml", "--report", "r.md")
	if run.code != exitFailed {
		t.Fatalf("exit %d", run.code)
	}
	if !strings.Contains(run.stdout, "INVALID_USER_CREDENTIALS") {
		t.Fatalf("table on stdout:\n%s", run.stdout)
	}
	for _, name := range []string{"r.json", "r.xml", "r.md"} {
		b, err := os.ReadFile(filepath.Join(run.dir, name))
		if err != nil || !strings.Contains(string(b), "INVALID_USER_CREDENTIALS") {
			t.Fatalf("%s: %v\n%s", name, err, b)
		}
	}
	b, _ := os.ReadFile(filepath.Join(run.dir, "r.xml"))
	var suites struct {
		Suites []struct {
			Name     string `xml:"name,attr"`
			Tests    int    `xml:"tests,attr"`
			Failures int    `xml:"failures,attr"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b, &suites); err != nil || len(suites.Suites) != 1 || suites.Suites[0].Tests != 8 || suites.Suites[0].Failures != 1 {
		t.Fatalf("junit: %v %+v", err, suites)
	}
}

func TestExplain(t *testing.T) {
	all := runCLI(t, nil, "explain")
	if all.code != exitOK {
		t.Fatalf("exit %d", all.code)
	}
	for _, c := range checks.Codes() {
		if !strings.Contains(all.stdout, c.ID) {
			t.Errorf("explain does not list %s", c.ID)
		}
		one := runCLI(t, nil, "explain", strings.ToLower(c.ID))
		if one.code != exitOK || !strings.Contains(one.stdout, c.Title) || !strings.Contains(one.stdout, "Fix") {
			t.Errorf("explain %s: exit %d\n%s", c.ID, one.code, one.stdout)
		}
	}
	bad := runCLI(t, nil, "explain", "INVALID_PASSWORD")
	if bad.code != exitUsage || !strings.Contains(bad.stderr, "INVALID_USER_CREDENTIALS") {
		t.Fatalf("unknown code: exit %d, %s", bad.code, bad.stderr)
	}
}

func TestVersion(t *testing.T) {
	run := runCLI(t, nil, "--version")
	if run.code != exitOK || !strings.Contains(run.stdout, version) {
		t.Fatalf("exit %d: %q", run.code, run.stdout)
	}
}

func TestJSONStdoutIsOnlyTheDocument(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	rep, run := checkJSON(t, srv.env(anaEnv()), "--require-role", "admin-user", "--require-field", "get_upload_url")
	if rep.SchemaVersion != 2 || rep.Summary.Passed != 8 || rep.Target.Grant != "password" || run.stderr != "" {
		t.Fatalf("%+v\nstderr: %s", rep, run.stderr)
	}
}

func TestTopLevelBadInput(t *testing.T) {
	for _, args := range [][]string{{"frob"}, {"--frob"}, {"check", "-o"}, {"explain", "A", "B"}, {"sandbox", "--addr"},
		{"sandbox", "extra"}, {"demo", "extra"}, {"demo", "-o", "xml"}} {
		run := runCLI(t, nil, args...)
		// Nothing on stdout: bad input is found before anything starts.
		if run.code != exitUsage || run.stdout != "" || !strings.Contains(run.stderr, "authdoctor: ") || strings.Contains(run.stderr, "goroutine") {
			t.Errorf("%v: exit %d\nstdout: %s\nstderr: %s", args, run.code, run.stdout, run.stderr)
		}
	}
}

func TestHelpCommand(t *testing.T) {
	run := runCLI(t, nil, "help", "check")
	if run.code != exitOK || !strings.Contains(run.stdout, "authdoctor check") || !strings.Contains(run.stdout, "--keycloak-url") {
		t.Fatalf("exit %d\n%s%s", run.code, run.stdout, run.stderr)
	}
}
