package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/checks"
	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/internal/realkc"
	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/keycloak"
	"github.com/authdoctor/authdoctor/report"
)

// TestRealKeycloakFixCommands proves that the commands a report tells a
// person to run work: for every code whose fix has commands, it takes the
// commands filled in for a realistic run (the code's scenario run through
// the CLI against the sandbox, whose realms are the fixtures' realms; or,
// for a code no scenario reaches, checks.FillFixes with the healthy
// scenario's settings), points them at real Keycloak, and runs them with
// bash and the distribution's own bin/kcadm.sh:
//
//   - read-only ones (kcadm.sh get, lookups, curl GETs) against the
//     imported fixture realms, checking exit 0 and what they print (each
//     --fields name is there, a lookup sets an id, an event filter
//     filters);
//   - a fix that writes (update, create, delete, add-roles, set-password)
//     against a scratch copy of its realm, imported under another name
//     and deleted afterwards, checking exit 0 and, where quoting could go
//     wrong, the value the server stored;
//   - openssl ones against a TLS server of this test.
//
// The kcadm.sh login of each fix runs as written (the password comes from
// KC_CLI_PASSWORD, which kcadm.sh reads when --password is not given, or
// is passed as --password to the batch JVM), into a config file of its
// own; the
// commands after it run as the master admin, because the fixtures' admins
// (ops-admin: view-events, view-users, view-realm) may read events, not
// clients or change anything. Placeholders a person types (<admin>,
// <password>, <client-secret>) get the fixture values; any other <...>
// left is a failure: bash would take it for a redirection. kcadm.sh keeps
// its login in a config file in the test's directory (--config), never in
// $HOME.
func TestRealKeycloakFixCommands(t *testing.T) {
	real := realKeycloak(t)
	cache, err := realkc.CacheDir(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	kcadm := filepath.Join(cache, "keycloak-"+real.Version, "bin", "kcadm.sh")
	if _, err := os.Stat(kcadm); err != nil {
		t.Fatalf("kcadm.sh of Keycloak %s: %v", real.Version, err)
	}
	for _, tool := range []string{"bash", "curl", "jq", "openssl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed to run the fix commands: %v", tool, err)
		}
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	// Three things that wait on different processes run side by side: the
	// batch JVM's compile and start, the scratch realms' imports (the
	// server) and the filling (this process).
	type batchStart struct {
		queue string
		err   error
	}
	batch := make(chan batchStart, 1)
	go func() {
		q, err := startKcadmBatch(ctx, t, kcadm, real.Version)
		batch <- batchStart{q, err}
	}()
	scratch, imports := scratchRealms(t, real)

	hasura := startHasuraFor(t, real.BaseURL, "26.7")
	tlsSrv := serveTLS(t, http.NotFoundHandler(), []string{"127.0.0.1", "localhost"}, time.Now().Add(-time.Hour), time.Now().AddDate(0, 0, 5), nil)
	expired := serveTLS(t, http.NotFoundHandler(), []string{"127.0.0.1", "localhost"}, time.Now().AddDate(0, -2, 0), time.Now().AddDate(0, 0, -1), nil)
	cases := fixCommandCases(t, real, hasura.URL+"/v1/graphql", map[string]string{
		codes.TLSExpired.ID: expired.port,
	}, tlsSrv.port)
	filled := time.Since(start)

	// Events for the event filters to filter: a login and a failed one
	// (an unknown user: no brute-force count moves) in the main tenant.
	mainRealm := "tenant-" + fixtures.TenantID
	postTo(t, real.BaseURL, "/realms/"+mainRealm+"/protocol/openid-connect/token", url.Values{"grant_type": {"password"}, "client_id": {"admin-portal"}, "username": {"zoe-nobody"}, "password": {"x"}})
	accessToken(t, real.BaseURL, mainRealm, "admin-portal", "", "ana", anaPassword)

	if err := imports(); err != nil {
		t.Fatal(err)
	}
	b := <-batch
	if b.err != nil {
		t.Fatal(b.err)
	}
	ready := time.Since(start)

	dir := t.TempDir()
	script, steps := fixScript(t, cases, real, scratch, dir)
	runStart := time.Now()
	cmd := exec.CommandContext(ctx, "bash", script)
	cmd.Dir = dir
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "LANG=C",
		"KCADM=" + kcadm, "KCQ=" + b.queue, "CFG=" + filepath.Join(dir, "kcadm.config"), "OUT=" + dir,
		// Faster JVM start for the test (the person's kcadm.sh runs as
		// they have it): C1 only, serial GC.
		"KC_OPTS=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the fix script did not run to its end: %v\n%s", err, scrubOutput(string(out)))
	}
	ran := time.Since(runStart)

	verified := map[string][]string{}
	for _, s := range steps {
		res := readStep(t, dir, s.n)
		if err := s.check(res); err != nil {
			t.Errorf("%s: %q (run as %q): %v\nstdout: %s\nstderr: %s", s.code, s.shown, s.run, err, scrubOutput(res.stdout), scrubOutput(res.stderr))
			continue
		}
		verified[s.code] = append(verified[s.code], s.shown)
	}
	checkStoredValues(t, real, scratch)

	kcadmCalls := 0
	for _, s := range steps {
		if s.kcadm && !s.reused {
			kcadmCalls++
		}
	}
	t.Logf("fix commands of %d codes: %d steps (%d kcadm.sh runs); filling %s, ready to run (scratch realms, batch JVM) %s, script %s; total %s",
		len(cases), len(steps), kcadmCalls, filled.Round(time.Millisecond), ready.Round(time.Millisecond), ran.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	if os.Getenv("AUTHDOCTOR_FIXCMDS_LIST") != "" {
		for _, c := range cases {
			t.Logf("%s (%s, %s):", c.code, c.source, c.realm)
			for _, l := range verified[c.code] {
				t.Logf("    ok  %s", l)
			}
		}
	}
}

// fixCase is one code's filled commands.
type fixCase struct {
	code, source string
	realm        string   // the run's realm
	commands     []string // as the report prints them
	writes       bool     // a command changes the server: run in a scratch copy
	// values for the placeholders a person types
	password, clientSecret string
	admins                 map[string]string // "realm/user" → password of each fixture admin
}

var writingCommand = regexp.MustCompile(`(^|[\s(])kcadm\.sh (update|create|delete|add-roles|remove-roles|set-password)\s`)

// fixCommandCases fills in every code's commands for a realistic run.
func fixCommandCases(t *testing.T, real *realkc.Server, graphqlURL string, tlsPorts map[string]string, tlsPort string) []fixCase {
	t.Helper()
	admins := map[string]string{}
	for _, sc := range fixtures.Scenarios() {
		if sc.WantCode == codes.AdminLoginFailed.ID {
			continue // its admin password is the wrong one on purpose
		}
		var realm, user, password string
		for i := 0; i+1 < len(sc.Args); i += 2 {
			switch sc.Args[i] {
			case "--admin-realm":
				realm = sc.Args[i+1]
			case "--admin-username":
				user = sc.Args[i+1]
			case "--admin-password":
				password = sc.Args[i+1]
			}
		}
		if user != "" && password != "" {
			admins[realm+"/"+user] = password
		}
	}
	admins["master/"+real.AdminUser] = real.AdminPassword

	sandboxes := map[fixtures.Options]*sandbox{}
	// run checks a scenario on its sandbox (one per Options), after the
	// wrong passwords it needs; toReal rewrites a command for real Keycloak
	// and the GraphQL emulator that trusts it.
	run := func(sc fixtures.Scenario) (jsonReport, func(string) string) {
		sb := sandboxes[sc.Options()]
		if sb == nil {
			sb = startSandbox(t, sc.Options())
			sandboxes[sc.Options()] = sb
		}
		if err := sc.SendWrongPasswords(context.Background(), sb.Client(), sb.keycloakURL()); err != nil {
			t.Fatal(err)
		}
		rep, _ := checkJSON(t, sb.env(sc.Env), sc.Args...)
		toReal := func(command string) string {
			return strings.ReplaceAll(strings.ReplaceAll(command, sb.graphqlURL(), graphqlURL), sb.keycloakURL(), real.BaseURL)
		}
		return rep, toReal
	}
	var cases []fixCase
	for _, c := range codes.All() {
		if len(c.CommandLines()) == 0 {
			continue
		}
		fc := fixCase{code: c.ID, admins: admins}
		if sc, ok := scenarioFor(c.ID); ok {
			rep, toReal := run(sc)
			var got []string
			for _, chk := range rep.Checks {
				if chk.Code == c.ID && chk.Fix != nil {
					for _, cmd := range chk.Fix.Commands {
						got = append(got, toReal(cmd.Command))
					}
				}
			}
			if len(got) == 0 {
				t.Errorf("%s: scenario %s reported no commands for it: %+v", c.ID, sc.Name, rep.Checks)
				continue
			}
			fc.source, fc.commands, fc.realm = "scenario "+sc.Name, got, sc.Realm()
			fc.password, fc.clientSecret = sc.Env["PASSWORD"], sc.Env["CLIENT_SECRET"]
		} else {
			fc.source = "checks.FillFixes"
			fc.commands, fc.realm, fc.password = filledDirectly(c, real.BaseURL, graphqlURL, tlsPorts, tlsPort)
		}
		for _, l := range fc.commands {
			if writingCommand.MatchString(l) {
				fc.writes = true
			}
		}
		cases = append(cases, fc)
		// A cause with a fix of its own (codes.Case: the Hasura mapper, a
		// permanent lockout) is reached by another scenario of the code:
		// its commands run too.
		for _, sc := range fixtures.Scenarios() {
			if sc.WantCode != c.ID || len(c.Cases) == 0 {
				continue
			}
			rep, toReal := run(sc)
			for _, chk := range rep.Checks {
				k, _ := chk.Details[codes.DetailFixCase].(string)
				if chk.Code != c.ID || chk.Fix == nil || k == "" {
					continue
				}
				kc := fixCase{code: c.ID, admins: admins, source: "scenario " + sc.Name + " (case " + k + ")", realm: sc.Realm(),
					password: sc.Env["PASSWORD"], clientSecret: sc.Env["CLIENT_SECRET"]}
				for _, cmd := range chk.Fix.Commands {
					kc.commands = append(kc.commands, toReal(cmd.Command))
					kc.writes = kc.writes || writingCommand.MatchString(cmd.Command)
				}
				cases = append(cases, kc)
			}
		}
	}
	return cases
}

// scenarioFor is the first scenario that ends in code.
func scenarioFor(code string) (fixtures.Scenario, bool) {
	for _, sc := range fixtures.Scenarios() {
		if sc.WantCode == code {
			return sc, true
		}
	}
	return fixtures.Scenario{}, false
}

// filledDirectly fills a code no scenario reaches with the healthy
// scenario's settings (Ana, admin-portal, the main tenant, no admin
// given); a TLS code's host is this test's TLS server.
func filledDirectly(c *codes.Code, keycloakURL, graphqlURL string, tlsPorts map[string]string, tlsPort string) ([]string, string, string) {
	realm := "tenant-" + fixtures.TenantID
	cfg := &checks.Config{
		KeycloakURL: keycloakURL,
		Realm:       realm,
		TenantID:    fixtures.TenantID,
		Credentials: keycloak.Credentials{ClientID: "admin-portal", Username: "ana", Password: redact.Secret(anaPassword)},
		GraphQLURL:  graphqlURL,
		HasuraRole:  "admin-user", // --hasura-role: the run then knows the role Hasura denied
	}
	if c.Check == codes.CheckTLS && c.ID != codes.Unreachable.ID {
		port := tlsPort
		if p, ok := tlsPorts[c.ID]; ok {
			port = p
		}
		cfg.KeycloakURL = "https://127.0.0.1:" + port
	}
	results := []report.CheckResult{{ID: string(c.Check), Code: c.ID, Status: report.Fail}}
	checks.FillFixes(results, cfg)
	var out []string
	for _, cmd := range results[0].Commands {
		out = append(out, cmd.Text)
	}
	return out, realm, anaPassword
}

// scratchRealms starts importing the scratch copies the writing fixes
// need and returns realm → copy, and a wait for the imports. A fix that
// names a user or a client gets a copy of its own realm; one that only
// changes realm settings (REALM_DISABLED, EVENTS_DISABLED) runs in the
// main tenant's copy, so that no realm is imported for one command.
func scratchRealms(t *testing.T, real *realkc.Server) (map[string]string, func() error) {
	t.Helper()
	mainRealm := "tenant-" + fixtures.TenantID
	own := map[string]bool{mainRealm: true}
	scratch := map[string]string{}
	for _, c := range codes.All() {
		lines := c.CommandLines()
		realm := mainRealm
		if sc, ok := scenarioFor(c.ID); ok {
			realm = sc.Realm()
		}
		writes, named := false, false
		for _, l := range lines {
			if writingCommand.MatchString(l) {
				writes = true
			}
			if !strings.HasPrefix(l, "kcadm.sh config credentials") && regexp.MustCompile(`<(user|client|admin|user-id|client-uuid)>`).MatchString(l) {
				named = true
			}
		}
		if writes && named {
			own[realm] = true
		}
		if writes {
			scratch[realm] = ""
		}
	}
	errs := make(chan error, len(own))
	for realm := range own {
		copyName := "fixcmds-" + realm
		scratch[realm] = copyName
		go func() { errs <- importScratchRealm(t, real, realm, copyName) }()
	}
	for realm, copyName := range scratch {
		if copyName == "" {
			scratch[realm] = scratch[mainRealm]
		}
	}
	return scratch, func() error {
		var first error
		for range own {
			if err := <-errs; err != nil && first == nil {
				first = err
			}
		}
		return first
	}
}

// importScratchRealm imports a copy of realm named copyName (internal ids
// removed, so Keycloak makes new ones) and deletes it when the test ends.
func importScratchRealm(t *testing.T, real *realkc.Server, realm, copyName string) error {
	docs, err := fixtures.RealmExports()
	if err != nil {
		return err
	}
	for _, doc := range docs {
		clean, name, err := realkc.StripComments(doc)
		if err != nil {
			return err
		}
		if name != realm {
			continue
		}
		var v map[string]any
		if err := json.Unmarshal(clean, &v); err != nil {
			return err
		}
		dropIDs(v)
		v["realm"] = copyName
		body, _ := json.Marshal(v)
		token, err := real.AdminToken()
		if err != nil {
			return err
		}
		if _, err := adminDo(real.BaseURL, token, http.MethodDelete, "/admin/realms/"+copyName, nil, http.StatusNoContent, http.StatusNotFound); err != nil {
			return err
		}
		if _, err := adminDo(real.BaseURL, token, http.MethodPost, "/admin/realms", body, http.StatusCreated); err != nil {
			return err
		}
		t.Cleanup(func() {
			token, err := real.AdminToken()
			if err == nil {
				_, err = adminDo(real.BaseURL, token, http.MethodDelete, "/admin/realms/"+copyName, nil, http.StatusNoContent)
			}
			if err != nil {
				t.Errorf("deleting the scratch realm %s: %v", copyName, err)
			}
		})
		return nil
	}
	return fmt.Errorf("no realm file holds %s", realm)
}

// dropIDs removes every "id" key of the objects in v (not the values of
// a mapper's config, which are strings).
func dropIDs(v any) {
	switch x := v.(type) {
	case map[string]any:
		delete(x, "id")
		for _, e := range x {
			dropIDs(e)
		}
	case []any:
		for _, e := range x {
			dropIDs(e)
		}
	}
}

// adminCall is an admin REST call that must answer one of want.
func adminCall(t *testing.T, base, token, method, path string, body []byte, want ...int) []byte {
	t.Helper()
	out, err := adminDo(base, token, method, path, body, want...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func adminDo(base, token, method, path string, body []byte, want ...int) ([]byte, error) {
	req, err := http.NewRequest(method, base+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := (&http.Client{Timeout: 5 * time.Minute}).Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	if !slices.Contains(want, res.StatusCode) {
		return nil, fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, out)
	}
	return out, nil
}

// fixStep is one command line of the script.
type fixStep struct {
	n           int
	code        string
	shown, run  string // as the report prints it; as the script runs it (secrets it types left out)
	kcadm       bool
	reused      bool // the same read ran before: its result is reused
	check       func(stepResult) error
	placeholder string
}

type stepResult struct {
	stdout, stderr, value string
	rc                    int
}

var (
	lookupLine  = regexp.MustCompile(`^([A-Z_]+)=\$\((.*)\)$`)
	leftPh      = regexp.MustCompile(`<[a-z][a-z-]*>|\$KEYCLOAK_URL|\$GRAPHQL_URL|tenant-<id>`)
	loginLine   = regexp.MustCompile(`^kcadm\.sh config credentials --server (\S+) --realm (\S+) --user (\S+)$`)
	fieldsFlag  = regexp.MustCompile(`--fields (\S+)`)
	eventFilter = regexp.MustCompile(`kcadm\.sh get events .*-q type=([A-Z_]+)`)
)

// fixScript writes the bash script that runs every case's commands, each
// with its stdout, stderr, exit status and (for a lookup) the value it set
// in files, and returns its path and steps.
func fixScript(t *testing.T, cases []fixCase, real *realkc.Server, scratch map[string]string, dir string) (string, []fixStep) {
	t.Helper()
	var b strings.Builder
	b.WriteString("set -o pipefail\n")
	// kcadm.sh as the person runs it, with the login kept in $CFG.
	b.WriteString(kcadmFunction)
	// The master admin's login (step 0), which the commands run as.
	main := "kcadm.sh config credentials --server " + real.BaseURL + " --realm master --user " + shellQuote(real.AdminUser)
	fmt.Fprintf(&b, "export KC_CLI_PASSWORD=%s\n", shellQuote(real.AdminPassword))
	writeStep(&b, 0, main, "")
	b.WriteString("[ \"$(cat \"$OUT/0.rc\")\" = 0 ] || { cat \"$OUT/0.err\"; exit 3; }\nMAIN_CFG=$CFG\nunset KC_CLI_PASSWORD\n")

	var steps []fixStep
	ranReads := map[string]int{}         // read command as run → step
	ranLogins := map[string]int{main: 0} // login line → step that ran it
	memo := map[string]string{}          // lookup as run → shell variable holding its value
	for _, c := range cases {
		fmt.Fprintf(&b, "unset CID USER_ID TOKEN\n")
		for _, shown := range c.commands {
			run := shown
			if c.writes {
				run = renameRealm(run, c.realm, scratch[c.realm])
			}
			s := fixStep{n: len(steps) + 1, code: c.code, shown: shown}
			if m := loginLine.FindStringSubmatch(shown); m != nil {
				// The admin's own realm: not renamed.
				run = shown
				// The login as written, into its own config file.
				user := m[3]
				if user == codes.PhAdmin {
					user = real.AdminUser
				}
				run = strings.Replace(run, " --user "+m[3], " --user "+shellQuote(user), 1)
				realm := strings.Trim(m[2], "'")
				s.run, s.kcadm = run, true
				s.check = expectLogin
				if first, ok := ranLogins[run]; ok {
					s.reused = true
					fmt.Fprintf(&b, "for f in out err rc var; do cp \"$OUT/%d.$f\" \"$OUT/%d.$f\"; done\n", first, s.n)
				}
				steps = append(steps, s)
				if !s.reused {
					ranLogins[run] = s.n
					password := c.admins[realm+"/"+user]
					if password == "" {
						password = "no-password-known-for-" + user
					}
					fmt.Fprintf(&b, "CFG=\"$OUT/login-%d.config\"\nexport KC_CLI_PASSWORD=%s\n", s.n, shellQuote(password))
					writeStep(&b, s.n, run, "")
					b.WriteString("CFG=$MAIN_CFG\nunset KC_CLI_PASSWORD\n")
				}
				continue
			}
			s.run = run // logged: the typed secrets stay placeholders
			run = strings.ReplaceAll(run, "<password>", c.password)
			run = strings.ReplaceAll(run, "<client-secret>", c.clientSecret)
			s.kcadm = usesKcadmWord(run)
			if ph := leftPh.FindString(run); ph != "" {
				s.placeholder = ph
				s.check = func(stepResult) error { return fmt.Errorf("placeholder %s is left: bash cannot run it", ph) }
				steps = append(steps, s)
				continue
			}
			s.check = expectFor(c, run, real)
			m := lookupLine.FindStringSubmatch(run)
			switch {
			case m != nil && memo[run] != "":
				s.reused = true
				fmt.Fprintf(&b, "%s=$%s\n", m[1], memo[run])
				writeStep(&b, s.n, fmt.Sprintf("%s=$%s", m[1], memo[run]), m[1])
			case m != nil:
				memo[run] = fmt.Sprintf("memo_%d", s.n)
				writeStep(&b, s.n, run, m[1])
				fmt.Fprintf(&b, "memo_%d=$%s\n", s.n, m[1])
			case !writingCommand.MatchString(run) && ranReads[run] != 0 && !strings.Contains(run, "$TOKEN"):
				s.reused = true
				fmt.Fprintf(&b, "for f in out err rc var; do cp \"$OUT/%d.$f\" \"$OUT/%d.$f\"; done\n", ranReads[run], s.n)
			default:
				ranReads[run] = s.n
				writeStep(&b, s.n, run, "")
			}
			steps = append(steps, s)
		}
	}
	path := filepath.Join(dir, "fixes.sh")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, steps
}

// writeStep runs one command line in the script's own shell (a group, so
// that an assignment stays), capturing its output and status.
func writeStep(b *strings.Builder, n int, line, variable string) {
	fmt.Fprintf(b, "{\n%s\n} >\"$OUT/%d.out\" 2>\"$OUT/%d.err\"\necho $? >\"$OUT/%d.rc\"\n", line, n, n, n)
	if variable == "" {
		fmt.Fprintf(b, ": >\"$OUT/%d.var\"\n", n)
		return
	}
	if variable == "TOKEN" {
		// Never the token itself: its first characters show it is a JWT.
		fmt.Fprintf(b, "printf '%%s' \"${TOKEN:0:3}\" >\"$OUT/%d.var\"\n", n)
		return
	}
	fmt.Fprintf(b, "printf '%%s' \"$%s\" >\"$OUT/%d.var\"\n", variable, n)
}

func readStep(t *testing.T, dir string, n int) stepResult {
	t.Helper()
	read := func(ext string) string {
		raw, err := os.ReadFile(filepath.Join(dir, strconv.Itoa(n)+"."+ext))
		if err != nil {
			return ""
		}
		return string(raw)
	}
	rc, err := strconv.Atoi(strings.TrimSpace(read("rc")))
	if err != nil {
		rc = -1 // never ran
	}
	return stepResult{stdout: read("out"), stderr: read("err"), value: read("var"), rc: rc}
}

// renameRealm points a command at the scratch copy of its realm.
func renameRealm(line, realm, copyName string) string {
	if copyName == "" {
		return line
	}
	return strings.ReplaceAll(line, realm, copyName)
}

func usesKcadmWord(line string) bool {
	return regexp.MustCompile(`(^|[\s(])kcadm\.sh\s`).MatchString(line)
}

func expectLogin(r stepResult) error {
	if r.rc != 0 {
		return fmt.Errorf("exit %d", r.rc)
	}
	if !strings.Contains(r.stderr+r.stdout, "Logging into") {
		return fmt.Errorf("no \"Logging into\" from kcadm.sh")
	}
	return nil
}

var jwtLike = regexp.MustCompile(`eyJ[\w-]+\.[\w-]+\.[\w-]*`)

// scrubOutput keeps secrets a command prints (a client secret, a token)
// out of the test log.
func scrubOutput(s string) string {
	s = regexp.MustCompile(`("value"\s*:\s*)"[^"]*"`).ReplaceAllString(s, `$1"***"`)
	s = jwtLike.ReplaceAllString(s, "***jwt***")
	if len(s) > 1500 {
		s = s[:1500] + "..."
	}
	return s
}

// expectFor is what one command line must do and print.
func expectFor(c fixCase, run string, real *realkc.Server) func(stepResult) error {
	ok := func(r stepResult) error {
		if r.rc != 0 {
			return fmt.Errorf("exit %d", r.rc)
		}
		return nil
	}
	and := func(more func(r stepResult) error) func(stepResult) error {
		return func(r stepResult) error {
			if err := ok(r); err != nil {
				return err
			}
			return more(r)
		}
	}
	expectEmpty := c.code == codes.ClientNotFound.ID || c.code == codes.UserNotFound.ID
	switch m := lookupLine.FindStringSubmatch(run); {
	case m != nil && m[1] == "TOKEN":
		return and(func(r stepResult) error {
			if r.value != "eyJ" {
				return fmt.Errorf("TOKEN is not a JWT (starts %q)", r.value)
			}
			return nil
		})
	case m != nil:
		return and(func(r stepResult) error {
			if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`).MatchString(r.value) {
				return fmt.Errorf("%s is %q, not one id", m[1], r.value)
			}
			return nil
		})
	case writingCommand.MatchString(run):
		return ok // a write: exit 0 means kcadm.sh took the syntax and the server the path and body
	case strings.HasPrefix(run, "kcadm.sh get-roles "):
		return and(func(r stepResult) error {
			var roles []map[string]any
			if err := json.Unmarshal([]byte(r.stdout), &roles); err != nil || len(roles) == 0 {
				return fmt.Errorf("no roles printed (%v)", err)
			}
			return nil
		})
	case strings.HasPrefix(run, "kcadm.sh get "):
		// A scratch copy has no events of its own.
		return and(func(r stepResult) error { return checkGet(run, r.stdout, expectEmpty, c.writes) })
	case strings.HasPrefix(run, "kcadm.sh "):
		return ok // a write: exit 0 means kcadm.sh took the syntax and the server the path and body
	case strings.HasPrefix(run, "openssl "):
		return and(func(r stepResult) error {
			want := map[string]string{"-dates": "notAfter=", "-enddate": "notAfter=", "subjectAltName": "DNS:localhost", "-showcerts": "BEGIN CERTIFICATE"}
			for flag, text := range want {
				if strings.Contains(run, flag) && !strings.Contains(r.stdout, text) {
					return fmt.Errorf("no %q in the output", text)
				}
			}
			if !strings.Contains(run, "| openssl x509") && !strings.Contains(r.stdout, "Cipher") {
				return fmt.Errorf("no handshake summary (Cipher) in the output")
			}
			if strings.Contains(run, "-dates") && c.code == codes.TLSExpired.ID {
				after := regexp.MustCompile(`notAfter=(.*)`).FindStringSubmatch(r.stdout)
				if when, err := time.Parse("Jan _2 15:04:05 2006 MST", strings.TrimSpace(after[1])); err != nil || !when.Before(time.Now()) {
					return fmt.Errorf("notAfter %q is not in the past (%v)", after[1], err)
				}
			}
			return nil
		})
	case strings.HasPrefix(run, "jq "):
		return and(func(r stepResult) error {
			lines := strings.Fields(r.stdout)
			if len(lines) != 2 {
				return fmt.Errorf("want the token's iat and this machine's time, got %q", r.stdout)
			}
			iat, err1 := strconv.ParseInt(lines[0], 10, 64)
			now, err2 := strconv.ParseInt(lines[1], 10, 64)
			if err1 != nil || err2 != nil || now-iat > 600 || iat-now > 600 {
				return fmt.Errorf("iat %q and now %q", lines[0], lines[1])
			}
			return nil
		})
	case strings.HasPrefix(run, "curl "):
		return and(func(r stepResult) error { return checkCurl(c, run, r, real) })
	}
	return func(stepResult) error { return fmt.Errorf("the test does not know how to check this command") }
}

// checkGet: the output is JSON; each --fields name is in it (Keycloak
// leaves out a user's empty email, names and attributes: those may be
// missing); an event type filter returns only that type; a lookup by name
// finds the object unless the code is about it missing.
func checkGet(run, stdout string, expectEmpty, scratch bool) error {
	var v any
	if err := json.Unmarshal([]byte(stdout), &v); err != nil {
		return fmt.Errorf("output is not JSON: %v", err)
	}
	items, isList := v.([]any)
	if !isList {
		items = []any{v}
	}
	byName := strings.Contains(run, "-q clientId=") || strings.Contains(run, "-q username=")
	switch {
	case byName && expectEmpty && len(items) != 0:
		return fmt.Errorf("found %d, want none (the code is about it missing)", len(items))
	case byName && !expectEmpty && len(items) != 1:
		return fmt.Errorf("found %d, want exactly one", len(items))
	}
	if m := eventFilter.FindStringSubmatch(run); m != nil {
		for _, it := range items {
			if e, _ := it.(map[string]any); e["type"] != m[1] {
				return fmt.Errorf("the type filter let an event of type %v through", e["type"])
			}
		}
	}
	if strings.Contains(run, "kcadm.sh get events ") && !strings.Contains(run, "REFRESH_TOKEN_ERROR") && !scratch && len(items) == 0 {
		return fmt.Errorf("no events, though this test logged in and failed to before")
	}
	m := fieldsFlag.FindStringSubmatch(run)
	if m == nil || len(items) == 0 {
		return nil
	}
	mayBeMissing := map[string]bool{"email": true, "firstName": true, "lastName": true, "attributes": true}
	for _, f := range strings.Split(m[1], ",") {
		found := false
		for _, it := range items {
			if obj, ok := it.(map[string]any); ok {
				if _, ok := obj[f]; ok {
					found = true
				}
			}
		}
		if !found && !mayBeMissing[f] {
			return fmt.Errorf("--fields %s: no %q in the output (not a property of what it gets?)", m[1], f)
		}
	}
	return nil
}

func checkCurl(c fixCase, run string, r stepResult, real *realkc.Server) error {
	out := strings.TrimSpace(r.stdout)
	switch {
	case strings.Contains(run, "%{http_code}"):
		want := "200"
		if strings.Contains(run, "/auth/realms/") {
			want = "404" // Keycloak 17+ has no /auth
		}
		if out != want {
			return fmt.Errorf("status %q, want %s", out, want)
		}
	case strings.Contains(run, "jq -r .issuer"):
		if want := real.BaseURL + "/realms/" + c.realm; out != want {
			return fmt.Errorf("issuer %q, want %q", out, want)
		}
	case strings.Contains(run, "/certs"):
		if out == "" || strings.Contains(out, "null") {
			return fmt.Errorf("no keys printed: %q", out)
		}
	case strings.Contains(run, "%{time_connect}"):
		if !strings.HasPrefix(out, "connect ") {
			return fmt.Errorf("no timings printed: %q", out)
		}
	case strings.Contains(run, "grep -i '^date:'"):
		if !regexp.MustCompile(`(?i)^date: `).MatchString(out) {
			return fmt.Errorf("no Date header printed: %q", out)
		}
	case strings.Contains(run, "/healthz"):
		if out != "OK" {
			return fmt.Errorf("healthz answered %q", out)
		}
	case strings.Contains(run, "__typename"):
		if !strings.Contains(out, `"__typename"`) || !strings.HasPrefix(out, "HTTP/") {
			return fmt.Errorf("no GraphQL answer with its headers: %q", out)
		}
	case strings.Contains(run, "curl -si "):
		if !strings.HasPrefix(out, "HTTP/1.1 200") {
			return fmt.Errorf("want HTTP/1.1 200 first: %q", out)
		}
	case strings.Contains(run, "curl -sv "):
		if !strings.Contains(r.stderr, "< HTTP/1.1 200") {
			return fmt.Errorf("no 200 in curl's trace")
		}
	default:
		return fmt.Errorf("the test does not know what this curl prints")
	}
	return nil
}

// checkStoredValues reads back, through the admin API, the values whose
// quoting in a command could go wrong.
func checkStoredValues(t *testing.T, real *realkc.Server, scratch map[string]string) {
	t.Helper()
	copyName := scratch["tenant-"+fixtures.TenantID]
	if copyName == "" {
		return
	}
	token, err := real.AdminToken()
	if err != nil {
		t.Fatal(err)
	}
	client := func(clientID string) map[string]any {
		var list []map[string]any
		body := adminCall(t, real.BaseURL, token, http.MethodGet, "/admin/realms/"+copyName+"/clients?clientId="+clientID, nil, http.StatusOK)
		if json.Unmarshal(body, &list) != nil || len(list) != 1 {
			t.Fatalf("client %s in %s: %s", clientID, copyName, body)
		}
		return list[0]
	}
	attr := func(obj map[string]any, key string) any {
		attrs, _ := obj["attributes"].(map[string]any)
		return attrs[key]
	}
	for _, tc := range []struct{ client, key, want string }{
		{"ticker-app", "access.token.lifespan", "300"},
		{"kiosk-app", "use.refresh.tokens", "true"},
	} {
		if got := attr(client(tc.client), tc.key); got != tc.want {
			t.Errorf("%s: attribute %s is %v after the fix, want %s", tc.client, tc.key, got, tc.want)
		}
	}
	// ROLE_NOT_IN_TOKEN: the realm role is in the client's scope.
	var mapped []map[string]any
	insights := client("insights-portal")
	body := adminCall(t, real.BaseURL, token, http.MethodGet, "/admin/realms/"+copyName+"/clients/"+insights["id"].(string)+"/scope-mappings/realm", nil, http.StatusOK)
	if json.Unmarshal(body, &mapped) != nil || !slices.ContainsFunc(mapped, func(r map[string]any) bool { return r["name"] == "admin-user" }) {
		t.Errorf("insights-portal's realm scope after the fix: %s, want admin-user in it", body)
	}
	// JOB_OUTLIVES_SESSION and EVENTS_DISABLED (run in this copy).
	var realm map[string]any
	body = adminCall(t, real.BaseURL, token, http.MethodGet, "/admin/realms/"+copyName, nil, http.StatusOK)
	if json.Unmarshal(body, &realm) != nil || realm["ssoSessionMaxLifespan"] != float64(13*3600) {
		t.Errorf("ssoSessionMaxLifespan after the fix: %v, want 46800 (the 12 h job rounded up to the next hour)", realm["ssoSessionMaxLifespan"])
	}
	var events map[string]any
	body = adminCall(t, real.BaseURL, token, http.MethodGet, "/admin/realms/"+copyName+"/events/config", nil, http.StatusOK)
	err = json.Unmarshal(body, &events)
	types, _ := events["enabledEventTypes"].([]any)
	if err != nil || events["eventsEnabled"] != true || len(types) != 6 {
		t.Errorf("events config after the fix: %s", body)
	}
	var users []map[string]any
	body = adminCall(t, real.BaseURL, token, http.MethodGet, "/admin/realms/"+copyName+"/users?exact=true&username=tom", nil, http.StatusOK)
	if json.Unmarshal(body, &users) != nil || len(users) != 1 {
		t.Fatalf("tom in %s: %s", copyName, body)
	}
	if got, _ := json.Marshal(attr(users[0], "tenant-id")); string(got) != `["`+fixtures.TenantID+`"]` {
		t.Errorf("tom's tenant-id attribute is %s after the fix, want [%q]", got, fixtures.TenantID)
	}
}

// kcadmFunction is kcadm.sh for the script: the distribution's bin/kcadm.sh
// with --config "$CFG" (never $HOME/.keycloak). With $KCQ set, every
// command goes to the KcadmBatch JVM (startKcadmBatch) instead of a JVM of
// its own: the same main class and arguments, bash's word splitting and
// quoting untouched.
const kcadmFunction = `kcadm.sh() {
  if [ -z "$KCQ" ]; then "$KCADM" "$@" --config "$CFG"; return; fi
  local id="$BASHPID.$RANDOM$RANDOM" rc a extra=()
  # What kcadm.sh would read from its stdin (-f -) goes along as a file;
  # the login's password as --password, the option KC_CLI_PASSWORD stands
  # in for.
  for a in "$@"; do [ "$a" = - ] && cat >"$KCQ/$id.in"; done
  [ "$1" = config ] && [ -n "$KC_CLI_PASSWORD" ] && extra=(--password "$KC_CLI_PASSWORD")
  printf '%s\0' "$@" "${extra[@]}" --config "$CFG" >"$KCQ/$id.tmp" && mv "$KCQ/$id.tmp" "$KCQ/$id.req"
  until [ -e "$KCQ/$id.done" ]; do sleep 0.02; done
  cat "$KCQ/$id.out"; cat "$KCQ/$id.err" >&2
  rc=$(cat "$KCQ/$id.done"); return "$rc"
}
`

// kcadmBatchSource runs kcadm.sh's main class, KcAdmMain, for one command
// line after another in one JVM: the set-up Globals.main does, then per
// request its picocli CommandLine, without the System.exit at its end. A
// JVM per command costs 1.5-3 s of CPU (measured, 2 cores): some 80
// commands would not fit the test's budget. Requests are files in a
// directory: ID.req holds the arguments, each NUL-terminated; the answer
// is ID.out, ID.err and ID.done (the exit status).
const kcadmBatchSource = `import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;

import org.keycloak.client.admin.cli.KcAdmMain;
import org.keycloak.client.admin.cli.commands.KcAdmCmd;
import org.keycloak.client.cli.common.Globals;
import org.keycloak.client.cli.util.ClassLoaderUtil;
import org.keycloak.common.crypto.CryptoIntegration;

public class KcadmBatch {
    public static void main(String[] a) throws Exception {
        Path q = Paths.get(a[0]);
        ClassLoader cl = ClassLoaderUtil.resolveClassLoader(System.getProperty("kc.lib.dir"));
        Thread.currentThread().setContextClassLoader(cl);
        CryptoIntegration.init(cl);
        System.setProperty("default.config.path.string", KcAdmMain.DEFAULT_CONFIG_FILE_STRING);
        PrintStream out0 = System.out, err0 = System.err;
        Files.writeString(q.resolve("ready"), "");
        while (true) {
            List<Path> reqs = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(q, "*.req")) {
                for (Path p : ds) reqs.add(p);
            }
            if (reqs.isEmpty()) {
                if (Files.exists(q.resolve("quit"))) return;
                Thread.sleep(10);
                continue;
            }
            Collections.sort(reqs);
            for (Path req : reqs) {
                String id = req.getFileName().toString().replaceAll("\\.req$", "");
                String raw = new String(Files.readAllBytes(req), StandardCharsets.UTF_8);
                List<String> args = new ArrayList<>(Arrays.asList(raw.split("\0", -1)));
                if (!args.isEmpty() && args.get(args.size() - 1).isEmpty()) args.remove(args.size() - 1);
                int rc;
                try (PrintStream o = new PrintStream(new FileOutputStream(q.resolve(id + ".out").toFile()), true, "UTF-8");
                     PrintStream e = new PrintStream(new FileOutputStream(q.resolve(id + ".err").toFile()), true, "UTF-8")) {
                    Path in = q.resolve(id + ".in");
                    System.setIn(Files.exists(in) ? new FileInputStream(in.toFile()) : new ByteArrayInputStream(new byte[0]));
                    System.setOut(o);
                    System.setErr(e);
                    Globals.dumpTrace = false;
                    Globals.help = false;
                    try {
                        rc = Globals.createCommandLine(new KcAdmCmd(), KcAdmMain.CMD, new PrintWriter(e, true)).execute(args.toArray(new String[0]));
                    } catch (Throwable t) {
                        t.printStackTrace(e);
                        rc = 99;
                    } finally {
                        System.out.flush();
                        System.err.flush();
                        System.setOut(out0);
                        System.setErr(err0);
                    }
                }
                Files.delete(req);
                Path tmp = q.resolve(id + ".done.tmp");
                Files.writeString(tmp, Integer.toString(rc));
                Files.move(tmp, q.resolve(id + ".done"), StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }
}
`

// startKcadmBatch compiles and starts KcadmBatch with the class path and
// options of bin/kcadm.sh, and returns its request directory; "" (a JVM
// per command) when there is no javac. The JVM ends with the test.
func startKcadmBatch(ctx context.Context, t *testing.T, kcadm, version string) (string, error) {
	if os.Getenv("AUTHDOCTOR_FIXCMDS_JVM_PER_COMMAND") != "" {
		return "", nil
	}
	javac, err := exec.LookPath("javac")
	if err != nil {
		t.Logf("no javac: every kcadm.sh command starts its own JVM (slow)")
		return "", nil
	}
	client := filepath.Join(filepath.Dir(kcadm), "client")
	jar := filepath.Join(client, "keycloak-admin-cli-"+version+".jar")
	dir := t.TempDir()
	src := filepath.Join(dir, "KcadmBatch.java")
	if err := os.WriteFile(src, []byte(kcadmBatchSource), 0o600); err != nil {
		return "", err
	}
	if out, err := exec.CommandContext(ctx, javac, "-nowarn", "-cp", jar, "-d", dir, src).CombinedOutput(); err != nil {
		return "", fmt.Errorf("compiling KcadmBatch: %v\n%s", err, out)
	}
	queue := filepath.Join(dir, "q")
	if err := os.Mkdir(queue, 0o700); err != nil {
		return "", err
	}
	java := "java"
	if home := os.Getenv("JAVA_HOME"); home != "" {
		java = filepath.Join(home, "bin", "java")
	}
	cmd := exec.CommandContext(ctx, java, "-XX:+UseSerialGC", "-cp", jar+string(os.PathListSeparator)+dir,
		"--add-opens=java.base/java.security=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
		"-Dkc.lib.dir="+filepath.Join(client, "lib"), "KcadmBatch", queue)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		return "", err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = os.WriteFile(filepath.Join(queue, "quit"), nil, 0o600)
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	for deadline := time.Now().Add(3 * time.Minute); ; time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(queue, "ready")); err == nil {
			return queue, nil
		}
		select {
		case err := <-exited:
			exited <- err
			return "", fmt.Errorf("KcadmBatch ended before it was ready: %v: %s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("KcadmBatch did not start in 3 minutes")
		}
	}
}
