package codes

import (
	"strings"
	"testing"
)

// A case replaces the code's fix, console path and commands, and only
// when named; every case says when it applies and has steps.
func TestCases(t *testing.T) {
	for _, c := range All() {
		if c.For("") != c || c.For("no-such-case") != c {
			t.Errorf("%s: For of no case must be the code itself", c.ID)
		}
		for _, name := range c.CaseNames() {
			k, v := c.Cases[name], c.For(name)
			if k.When == "" || len(v.Steps()) == 0 {
				t.Errorf("%s/%s: a case needs When and Fix", c.ID, name)
			}
			if v.ID != c.ID || v.Fix != k.Fix || v.Command != k.Command || v.Console != k.Console || c.Fix == k.Fix {
				t.Errorf("%s/%s: For did not select the case's fix", c.ID, name)
			}
			if strings.Contains(k.Fix, "below") {
				t.Errorf("%s/%s: a step names its command, never \"below\"", c.ID, name)
			}
		}
	}
	// The two cases the checks name.
	for code, name := range map[*Code]string{RoleNotInToken: CaseHasuraMapper, AccountLocked: CasePermanentLockout} {
		if _, ok := code.Cases[name]; !ok {
			t.Errorf("%s lacks case %s", code.ID, name)
		}
	}
	if !strings.Contains(RoleNotInToken.For(CaseHasuraMapper).Command, "protocol-mappers/models") {
		t.Errorf("the mapper case must list the client's mappers")
	}
	if l := AccountLocked.For(CasePermanentLockout).CommandLines(); !strings.Contains(l[2], "enabled=true") {
		t.Errorf("a permanent lockout's fix must enable the user first: %q", l)
	}
}
