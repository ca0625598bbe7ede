package checks

import (
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/keycloak"
	"github.com/authdoctor/authdoctor/report"
)

// The runner takes the fix of the case a result's details name; without
// one, the code's own.
func TestResultTakesTheCaseFix(t *testing.T) {
	r := &Runner{}
	c := Check{ID: codes.CheckRoles, Title: "roles"}
	plain := r.result(c, found(codes.RoleNotInToken, "m"), 0)
	cased := found(codes.RoleNotInToken, "m")
	cased.Details = map[string]any{codes.DetailFixCase: codes.CaseHasuraMapper}
	cased.Hint = "the hint"
	got := r.result(c, cased, 0)
	if plain.Fix != codes.RoleNotInToken.Fix {
		t.Errorf("plain fix: %q", plain.Fix)
	}
	want := "the hint\n" + codes.RoleNotInToken.Cases[codes.CaseHasuraMapper].Fix
	if got.Fix != want || got.Doc.Command != strings.Join(codes.RoleNotInToken.For(codes.CaseHasuraMapper).CommandLines(), "\n") {
		t.Errorf("case fix: %q\ndoc command: %q", got.Fix, got.Doc.Command)
	}
	results := []report.CheckResult{got}
	FillFixes(results, &Config{KeycloakURL: "https://sso", Realm: "tenant-a", Credentials: keycloak.Credentials{ClientID: "voting-portal"}})
	if last := results[0].Commands[len(results[0].Commands)-1].Text; last != "kcadm.sh get clients/$CID/protocol-mappers/models -r tenant-a" {
		t.Errorf("commands: %+v", results[0].Commands)
	}
}

// The session maximum a job needs: its length rounded up to the next whole
// hour after it, as the message, the hint and the command state it.
func TestSessionFor(t *testing.T) {
	for job, want := range map[time.Duration]time.Duration{
		12 * time.Hour: 13 * time.Hour, 12*time.Hour + 30*time.Minute: 13 * time.Hour, 20 * time.Minute: time.Hour,
	} {
		if got := sessionFor(job); got != want {
			t.Errorf("%v: %v, want %v", job, got, want)
		}
	}
}

// TOKEN_LIFETIME_INVALID says what Keycloak issued, and for which grant.
func TestLifetimeInvalidWording(t *testing.T) {
	r := withLifetimeFinding(pass("granted", map[string]any{}), &keycloak.Tokens{ExpiresIn: keycloak.Lifetime{Seconds: 0, Stated: true}}, "the password grant")
	if want := "Keycloak issued an access token with expires_in 0 (password grant): it is expired on arrival"; !strings.HasPrefix(r.Message, want) {
		t.Errorf("%q, want %q", r.Message, want)
	}
}
