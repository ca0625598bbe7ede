package checks

import (
	"regexp"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/keycloak"
)

// registryCheckOrder is the order of the checks, then codes any check can
// report, then the runner; Check of
// every code must be one of these, and Codes() lists codes in this order.
var registryCheckOrder = []string{"tls", "realm", "credentials", "roles", "graphql", "refresh", "any", "runner"}

// registryWarnCodes is exactly the set of codes with severity warn.
var registryWarnCodes = map[string]bool{
	keycloak.CodeTLSExpiringSoon:   true,
	keycloak.CodeTLSVerifyDisabled: true,
	keycloak.CodePlainHTTP:         true,
	keycloak.CodeIssuerMismatch:    true,
	CodeRolesNotInToken:            true,
	CodeClockSkew:                  true,
	CodeGraphQLNoIntrospec:         true,
	keycloak.CodeNoRefreshToken:    true,
}

var registryIDPattern = regexp.MustCompile(`^[A-Z][A-Z0-9_]+$`)

func TestCodeRegistryComplete(t *testing.T) {
	entries := map[string]int{}
	for _, c := range Codes() {
		entries[c.ID]++
	}
	constants := map[string]string{}
	for _, src := range []struct {
		name string
		ids  []string
	}{
		{"keycloak.AllCodes", keycloak.AllCodes},
		{"checks.checkCodes", checkCodes},
	} {
		for _, id := range src.ids {
			if prev, dup := constants[id]; dup {
				t.Errorf("%s: constant %s listed twice (also in %s)", src.name, id, prev)
			}
			constants[id] = src.name
		}
	}
	for id, src := range constants {
		t.Run("constant/"+id, func(t *testing.T) {
			switch n := entries[id]; n {
			case 1:
			case 0:
				t.Errorf("%s (from %s) has no entry in Codes()", id, src)
			default:
				t.Errorf("%s (from %s) has %d entries in Codes(), want 1", id, src, n)
			}
		})
	}
	for id := range entries {
		if _, ok := constants[id]; !ok {
			t.Errorf("Codes() has an entry %s without a constant in keycloak.AllCodes or checkCodes", id)
		}
	}
	if got, want := len(Codes()), len(constants); got != want {
		t.Errorf("len(Codes()) = %d, want %d (one per constant)", got, want)
	}
}

func TestCodeRegistryEntries(t *testing.T) {
	validCheck := map[string]bool{}
	for _, c := range registryCheckOrder {
		validCheck[c] = true
	}
	for _, c := range Codes() {
		t.Run(c.ID, func(t *testing.T) {
			if !registryIDPattern.MatchString(c.ID) {
				t.Errorf("ID %q does not match %s", c.ID, registryIDPattern)
			}
			if !validCheck[c.Check] {
				t.Errorf("Check = %q, want one of %v", c.Check, registryCheckOrder)
			}
			switch c.Severity {
			case SeverityFail, SeverityWarn:
			default:
				t.Errorf("Severity = %q, want %q or %q", c.Severity, SeverityFail, SeverityWarn)
			}
			wantSev := SeverityFail
			if registryWarnCodes[c.ID] {
				wantSev = SeverityWarn
			}
			if c.Severity != wantSev {
				t.Errorf("Severity = %q, want %q", c.Severity, wantSev)
			}
			for field, v := range map[string]string{"Title": c.Title, "Meaning": c.Meaning, "Fix": c.Fix} {
				if strings.TrimSpace(v) == "" {
					t.Errorf("%s is empty", field)
				}
			}
			if strings.Contains(c.Title, "\n") {
				t.Errorf("Title %q spans more than one line", c.Title)
			}
			if len(c.Causes) == 0 {
				t.Errorf("no Causes")
			}
			for i, cause := range c.Causes {
				if strings.TrimSpace(cause) == "" {
					t.Errorf("Causes[%d] is empty", i)
				}
			}
			if c.Retired {
				t.Errorf("Retired is set on a code that still has a constant")
			}
		})
	}
}

func TestCodeRegistryWarnSet(t *testing.T) {
	got := map[string]bool{}
	for _, c := range Codes() {
		if c.Severity == SeverityWarn {
			got[c.ID] = true
		}
	}
	for id := range registryWarnCodes {
		if !got[id] {
			t.Errorf("%s should be warn", id)
		}
	}
	for id := range got {
		if !registryWarnCodes[id] {
			t.Errorf("%s is warn but not in the warn set", id)
		}
	}
}

func TestCodeRegistryCheckOrder(t *testing.T) {
	rank := map[string]int{}
	for i, c := range registryCheckOrder {
		rank[c] = i
	}
	codes := Codes()
	for i := 1; i < len(codes); i++ {
		if rank[codes[i].Check] < rank[codes[i-1].Check] {
			t.Errorf("%s (check %s) comes after %s (check %s): Codes() must be in check order %v",
				codes[i].ID, codes[i].Check, codes[i-1].ID, codes[i-1].Check, registryCheckOrder)
		}
	}
}
