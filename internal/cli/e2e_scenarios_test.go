package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/fixtures"
)

// Every scenario of the sandbox, end to end through the CLI: the check that
// reports it, its status, its code and the registry's fix.
func TestSandboxScenarios(t *testing.T) {
	servers := map[fixtures.Options]*sandbox{} // one per profile and clocks
	server := func(opts fixtures.Options) *sandbox {
		if servers[opts] == nil {
			servers[opts] = startSandbox(t, opts)
		}
		return servers[opts]
	}
	for _, sc := range fixtures.Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			srv := server(sc.Options())
			if err := sc.SendWrongPasswords(context.Background(), srv.Client(), srv.keycloakURL()); err != nil {
				t.Fatal(err)
			}
			rep, run := checkJSON(t, srv.env(sc.Env), sc.Args...)
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
			// A warning alone never fails a run; other checks may still fail
			// (a lightweight token has no Hasura claims either).
			if sc.FailsRun() && run.code != exitFailed {
				t.Fatalf("exit %d, want %d", run.code, exitFailed)
			}
		})
	}
}

// The same broken accounts answer differently on other Keycloak versions;
// the diagnosis must not change where the cause is the same.
func TestVersionProfiles(t *testing.T) {
	for _, profile := range []string{"19", "24", "26.0", "26.7"} {
		srv := startSandbox(t, fixtures.Options{Profile: profile})
		for _, name := range []string{"wrong-password", "unknown-client", "wrong-client-secret", "disabled-user", "pending-actions", "public-client-credentials", "session-ended", "healthy-admin"} {
			sc := scenarioNamed(t, name)
			t.Run(profile+"/"+name, func(t *testing.T) {
				rep, _ := checkJSON(t, srv.env(sc.Env), sc.Args...)
				if sc.WantCheck == "" {
					for _, c := range rep.Checks {
						if c.Status == "fail" {
							t.Fatalf("%s failed on %s: %s %s", c.ID, profile, c.Code, c.Message)
						}
					}
					return
				}
				assertDiagnosis(t, rep, sc.WantCheck, sc.WantStatus, sc.WantCode)
			})
		}
	}
}

// Keycloak 17–19 say "disabled client" distinctly; 20+ answer as for an
// unknown client.
func TestDisabledClientByVersion(t *testing.T) {
	env := withEnv(anaEnv(), "CLIENT_ID", "disabled-app")
	for profile, want := range map[string]string{"19": "CLIENT_DISABLED", "26.7": "CLIENT_NOT_FOUND"} {
		srv := startSandbox(t, fixtures.Options{Profile: profile})
		rep, _ := checkJSON(t, srv.env(env))
		assertDiagnosis(t, rep, "credentials", "fail", want)
	}
}

// Keycloak 19 has no declarative user profile: the user without email logs in.
func TestIncompleteProfileIsFineOn19(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{Profile: "19"})
	rep, _ := checkJSON(t, srv.env(map[string]string{"TENANT_ID": fixtures.TenantID, "CLIENT_ID": "admin-portal", "USERNAME": "erin", "PASSWORD": "erin-sandbox-Pass-5"}))
	if status, code, _, _ := rep.check(t, "credentials"); status != "pass" {
		t.Fatalf("erin on 19: %s %s", status, code)
	}
}

// A wrong password reaches Keycloak exactly once: brute-force detection
// counts every failure.
func TestWrongPasswordSentOnce(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	_, run := checkJSON(t, srv.env(map[string]string{"TENANT_ID": fixtures.TenantID, "CLIENT_ID": "admin-portal", "USERNAME": "ana", "PASSWORD": "not-the-password-1"}))
	if run.code != exitFailed {
		t.Fatalf("exit %d", run.code)
	}
	n := 0
	for _, r := range srv.sb.Requests() {
		if r.SentPassword {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("the password was sent %d times", n)
	}
}

func TestFailureNamesNextStep(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	run := runCLI(t, srv.env(map[string]string{"TENANT_ID": fixtures.TenantID, "CLIENT_ID": "admin-portal"}), "check")
	if run.code != exitFailed || !strings.Contains(run.stdout, "SERVICE_ACCOUNT_DISABLED") || !strings.Contains(run.stdout, "authdoctor explain") {
		t.Fatalf("exit %d\n%s", run.code, run.stdout)
	}
}

// What only authdoctor knows about its own request goes into the fix.
func TestGrantHints(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	// A confidential client, no secret.
	rep, _ := checkJSON(t, srv.env(withEnv(anaEnv(), "CLIENT_ID", "reporting-app")))
	assertDiagnosis(t, rep, "credentials", "fail", "INVALID_CLIENT_CREDENTIALS")
	if _, _, _, fix := rep.check(t, "credentials"); !strings.Contains(fix, "No client secret was sent") {
		t.Errorf("fix: %s", fix)
	}
	// The operating system's USERNAME without PASSWORD: client credentials, said so.
	rep, _ = checkJSON(t, srv.env(map[string]string{"TENANT_ID": fixtures.TenantID, "CLIENT_ID": "admin-portal", "USERNAME": "ana"}))
	assertDiagnosis(t, rep, "credentials", "fail", "SERVICE_ACCOUNT_DISABLED")
	if _, _, _, fix := rep.check(t, "credentials"); !strings.Contains(fix, "USERNAME is set (ana) but PASSWORD is not") {
		t.Errorf("fix: %s", fix)
	}
}
