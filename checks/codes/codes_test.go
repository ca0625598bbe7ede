package codes

import (
	"regexp"
	"strings"
	"testing"
)

var idPattern = regexp.MustCompile(`^[A-Z][A-Z0-9_]+$`)

func TestEveryCodeIsDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range All() {
		t.Run(c.ID, func(t *testing.T) {
			if !idPattern.MatchString(c.ID) {
				t.Errorf("ID %q does not match %s", c.ID, idPattern)
			}
			if seen[c.ID] {
				t.Errorf("ID %s is declared twice", c.ID)
			}
			seen[c.ID] = true
			if c.Check == "" {
				t.Errorf("no Check")
			}
			if c.Severity != Fail && c.Severity != Warn {
				t.Errorf("Severity = %q, want %q or %q", c.Severity, Fail, Warn)
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
				t.Errorf("Retired is set on a code that is still reported")
			}
		})
	}
	if len(seen) < 40 {
		t.Fatalf("only %d codes declared: a file's declarations were lost", len(seen))
	}
}

func TestLookup(t *testing.T) {
	for _, in := range []string{"MISSING_ROLE", "missing_role", "  Missing_Role\n"} {
		if c, ok := Lookup(in); !ok || c != MissingRole {
			t.Errorf("Lookup(%q) = %v, %v; want MISSING_ROLE", in, c, ok)
		}
	}
	if c, ok := Lookup("MISSING_ROLES"); ok {
		t.Errorf("Lookup of an unknown code found %v", c)
	}
}

func TestSteps(t *testing.T) {
	if got, want := steps("a", "b", "c"), "1. a\n2. b\n3. c"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// Every code's documentation link is its page under docs/codes/ of the
// repository (internal/cli's TestCodeDocs keeps the pages in sync).
func TestDocURL(t *testing.T) {
	for _, c := range All() {
		want := "https://github.com/authdoctor/authdoctor/blob/main/docs/codes/" + c.ID + ".md"
		if got := c.DocURL(); got != want {
			t.Errorf("%s: DocURL() = %s, want %s", c.ID, got, want)
		}
	}
}
