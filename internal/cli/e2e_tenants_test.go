package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/internal/iostreams"
)

// scenarioEnv is a sandbox scenario's environment (its secrets included).
func scenarioEnv(t *testing.T, name string) map[string]string {
	t.Helper()
	return maps.Clone(scenarioNamed(t, name).Env)
}

// matrixDoc is the --tenants JSON document, as a consumer reads it.
type matrixDoc struct {
	Kind    string `json:"kind"`
	Checks  []string
	Summary struct{ Tenants, Passed, Warned, Failed int }
	Groups  []struct {
		Title, Code, Check, Status string
		Count                      int
		Tenants                    []string
	}
	Tenants []struct {
		Tenant, Realm, Status string
		ClientID              string `json:"client_id"`
		Grant                 string
		Line                  int
		Checks                map[string]struct{ Status, Code, Message string }
	}
	ExitCode int `json:"exit_code"`
}

func (d matrixDoc) tenant(t *testing.T, name string) (realm, grant string, checks map[string]struct{ Status, Code, Message string }) {
	t.Helper()
	for _, tn := range d.Tenants {
		if tn.Tenant == name {
			return tn.Realm, tn.Grant, tn.Checks
		}
	}
	t.Fatalf("tenant %s not in the matrix: %+v", name, d.Tenants)
	return "", "", nil
}

// tenantsRun writes the tenants file into a directory and runs check
// --tenants there through the real CLI entry point.
func tenantsRun(t *testing.T, env map[string]string, file string, args ...string) cliResult {
	t.Helper()
	var out, errOut bytes.Buffer
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tenants.txt"), []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	a := newApp(iostreams.Streams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, env, dir)
	a.retryWait = time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code := a.execute(ctx, append([]string{"authdoctor", "check", "--tenants", "tenants.txt"}, args...))
	return cliResult{code: code, stdout: out.String(), stderr: errOut.String(), dir: dir}
}

func parseMatrix(t *testing.T, r cliResult) matrixDoc {
	t.Helper()
	var d matrixDoc
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatalf("not a JSON matrix (exit %d): %v\n%s\n%s", r.code, err, r.stdout, r.stderr)
	}
	return d
}

// TestTenantsExistingAndMissing: generated tenants (ids and realm names),
// the main tenant, and a tenant whose realm does not exist, in one run.
func TestTenantsExistingAndMissing(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{TenantCount: 3})
	env := srv.env(anaEnv())
	delete(env, "TENANT_ID")
	file := "# tenants after the upgrade\n0001\n\ntenant-0002\n" + fixtures.TenantID + "\n0004\n"
	r := tenantsRun(t, env, file, "-o", "json", "--require-role", "admin-user")
	if r.code != exitFailed {
		t.Fatalf("exit %d, want 1 (a tenant failed): %s", r.code, r.stderr)
	}
	assertSchema(t, compileSchema(t, schemaBase+"tenants.schema.json"), r.stdout)
	d := parseMatrix(t, r)
	if d.Kind != "tenants" || d.Summary.Tenants != 4 || d.Summary.Passed != 3 || d.Summary.Failed != 1 || d.ExitCode != 1 {
		t.Fatalf("summary %+v exit %d", d.Summary, d.ExitCode)
	}
	for _, name := range []string{"0001", "tenant-0002", fixtures.TenantID} {
		_, grant, checks := d.tenant(t, name)
		for id, c := range checks {
			if c.Status != "pass" {
				t.Errorf("%s %s: %s %s %s", name, id, c.Status, c.Code, c.Message)
			}
		}
		if grant != "password" {
			t.Errorf("%s: grant %s", name, grant)
		}
	}
	realm, _, checks := d.tenant(t, "0004")
	if realm != "tenant-0004" || checks["realm"].Code != "REALM_NOT_FOUND" {
		t.Errorf("0004: realm %s, realm check %+v", realm, checks["realm"])
	}
	if len(d.Groups) != 2 || d.Groups[0].Code != "REALM_NOT_FOUND" || d.Groups[0].Count != 1 || d.Groups[1].Count != 3 || d.Groups[1].Title != "3 tenants: no problem" {
		t.Errorf("groups: %+v", d.Groups)
	}
	// At most one password attempt per tenant.
	sent := map[string]int{}
	for _, req := range srv.sb.Requests() {
		if req.SentPassword {
			sent[strings.Split(strings.TrimPrefix(req.Path, "/realms/"), "/")[0]]++
		}
	}
	for realm, n := range sent {
		if n > 1 {
			t.Errorf("realm %s: %d password attempts", realm, n)
		}
	}
}

// TestTenantsCSV: a client and user per tenant, with their secrets named
// by environment variables, and the run's client where a row names none.
func TestTenantsCSV(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{TenantCount: 3})
	env := srv.env(anaEnv())
	delete(env, "TENANT_ID")
	sa := scenarioEnv(t, "service-account")["CLIENT_SECRET"]
	env = withEnv(env, "ANA_PW", anaPassword, "SA_SECRET", sa, "BOB_PW", scenarioEnv(t, "missing-admin-role")["PASSWORD"], "OLD_SECRET", "sandbox-service-account-secret-OLD1")
	file := "tenant,client_id,client_secret_env,username,password_env\n" +
		fixtures.TenantID + ",service-account,SA_SECRET,,\n" +
		"0001,,,ana,ANA_PW\n" +
		"0002,admin-portal,,bob,BOB_PW\n" +
		"# a stale secret\n" +
		"0003,service-account,OLD_SECRET,,\n"
	r := tenantsRun(t, env, file, "-o", "json", "--require-role", "admin-user")
	if r.code != exitFailed {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	d := parseMatrix(t, r)
	tests := []struct {
		tenant, grant, check, code string
	}{
		{fixtures.TenantID, "client_credentials", "", ""},
		{"0001", "password", "", ""},
		{"0002", "password", "roles", "MISSING_ROLE"},
		{"0003", "client_credentials", "credentials", "INVALID_CLIENT_CREDENTIALS"},
	}
	for _, tt := range tests {
		_, grant, checks := d.tenant(t, tt.tenant)
		if grant != tt.grant {
			t.Errorf("%s: grant %s, want %s", tt.tenant, grant, tt.grant)
		}
		if tt.check == "" {
			for id, c := range checks {
				if c.Status == "fail" {
					t.Errorf("%s %s: %+v", tt.tenant, id, c)
				}
			}
			continue
		}
		if c := checks[tt.check]; c.Status != "fail" || c.Code != tt.code {
			t.Errorf("%s %s: %+v, want fail %s", tt.tenant, tt.check, c, tt.code)
		}
	}
	// The service account row requires admin-user too: it fails roles
	// unless its token carries it; only the codes asserted above matter.
	if strings.Contains(r.stdout, sa) {
		t.Error("the client secret is in the output")
	}
}

// TestTenantsBadInput: every problem of the file is exit 2 naming the
// line, before any request, and never quotes a secret.
func TestTenantsBadInput(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{TenantCount: 2})
	env := srv.env(anaEnv())
	delete(env, "TENANT_ID")
	const literal = "s3cr3t-Literal-Value"
	tests := []struct {
		name, file string
		args       []string
		want       string
	}{
		{"secret column", "tenant,client_id,client_secret\n0001,svc," + literal + "\n", nil, `line 1: column "client_secret" would hold a secret`},
		{"literal secret in an env column", "tenant,client_id,client_secret_env\n0001,svc," + literal + "\n", nil, "line 2: client_secret_env is not the name of an environment variable"},
		{"missing env reference", "tenant,username,password_env\n0001,ana,ANA_PASSWORD_NOT_SET\n", nil, "line 2: password_env names ANA_PASSWORD_NOT_SET, which is not set"},
		{"space in a line", "0001\n0002 0003\n", nil, "line 2: want one tenant id or realm name"},
		{"bad realm", "realm=a/b\n", nil, "line 1:"},
		{"unknown column", "tenant,colour\n0001,red\n", nil, `line 1: unknown column "colour"`},
		{"username without password", "tenant,username\n0001,ana\n", nil, "line 2: username without password_env"},
		{"duplicate", "0001\ntenant-0001\n", nil, "line 2: realm tenant-0001 is already listed on line 1"},
		{"empty", "# nothing\n\n", nil, "lists no tenant"},
		{"with --realm", "0001\n", []string{"--realm", "x"}, "--realm and --tenants cannot be combined"},
		{"bad --parallel", "0001\n", []string{"--parallel", "0"}, "--parallel \"0\": want a number of tenants from 1 to 256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(srv.sb.Requests())
			r := tenantsRun(t, env, tt.file, tt.args...)
			if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 with %q", r.code, r.stderr, tt.want)
			}
			if strings.Contains(r.stderr+r.stdout, literal) {
				t.Error("the message quotes the secret")
			}
			if n := len(srv.sb.Requests()); n != before {
				t.Errorf("%d requests sent before the input was refused", n-before)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		r := runCLI(t, env, "check", "--tenants", "nope.txt")
		if r.code != exitUsage || !strings.Contains(r.stderr, "--tenants nope.txt") {
			t.Errorf("exit %d: %s", r.code, r.stderr)
		}
	})
}

// TestTenantsSecretsCanary: no password, client secret or token of any
// tenant appears in any format, on stdout, stderr (-v too) or a report file.
func TestTenantsSecretsCanary(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{TenantCount: 2})
	env := srv.env(anaEnv())
	delete(env, "TENANT_ID")
	sa := scenarioEnv(t, "service-account")["CLIENT_SECRET"]
	bob := scenarioEnv(t, "missing-admin-role")["PASSWORD"]
	env = withEnv(env, "SA_SECRET", sa, "BOB_PW", bob, "WRONG_PW", "wrong-Canary-Pass-77")
	file := "tenant,client_id,client_secret_env,username,password_env\n" +
		"0001,service-account,SA_SECRET,,\n0002,admin-portal,,bob,BOB_PW\n" + fixtures.TenantID + ",admin-portal,,ana,WRONG_PW\n"
	for _, format := range []string{"table", "json", "markdown", "junit", "short"} {
		for _, verbose := range []bool{false, true} {
			args := []string{"-o", format, "--require-role", "admin-user", "--report", "m.json", "--report", "m.md", "--report", "m.xml", "--report", "m.txt"}
			if verbose {
				args = append(args, "-v")
			}
			r := tenantsRun(t, env, file, args...)
			if r.code != exitFailed {
				t.Fatalf("%s: exit %d: %s", format, r.code, r.stderr)
			}
			texts := []string{r.stdout, r.stderr}
			for _, f := range []string{"m.json", "m.md", "m.xml", "m.txt"} {
				b, err := os.ReadFile(filepath.Join(r.dir, f))
				if err != nil {
					t.Fatal(err)
				}
				texts = append(texts, string(b))
			}
			canaries := append([]string{sa, bob, anaPassword, "wrong-Canary-Pass-77"}, srv.issued()...)
			for _, text := range texts {
				for _, c := range canaries {
					if strings.Contains(text, c) {
						t.Errorf("%s (-v %v): a secret or token is in the output", format, verbose)
					}
				}
			}
		}
	}
}

// TestTenantsLiveLine: on a terminal, one summary line is drawn while the
// tenants run and erased before the matrix.
func TestTenantsLiveLine(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{TenantCount: 4, Latency: 60 * time.Millisecond})
	env := srv.env(anaEnv())
	delete(env, "TENANT_ID")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "t.txt"), []byte("0001\n0002\n0003\n0004\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	s := iostreams.Streams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, OutTTY: true, ErrTTY: true, OutWidth: 120}
	if code := newApp(s, env, dir).execute(context.Background(), []string{"authdoctor", "check", "--tenants", "t.txt", "--parallel", "2"}); code != exitOK {
		t.Fatalf("exit %d: %s%s", code, out.String(), errOut.String())
	}
	if !strings.Contains(errOut.String(), "/4 tenants · ") || !strings.Contains(errOut.String(), "\x1b[J") {
		t.Errorf("no live summary line on stderr: %q", errOut.String())
	}
	if !strings.Contains(out.String(), "4 tenants: 4 passed, 0 with warnings, 0 failed") {
		t.Errorf("matrix: %s", out.String())
	}
}
