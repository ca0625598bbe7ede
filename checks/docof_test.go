package checks

import (
	"slices"
	"testing"
)

// Every code's documentation in a report carries the link to its page.
func TestDocOfLinksToTheCodesPage(t *testing.T) {
	for _, c := range Codes() {
		d := docOf(c)
		if d.URL == "" || d.URL != c.DocURL() {
			t.Errorf("%s: URL %q, want %q", c.ID, d.URL, c.DocURL())
		}
		if d.Code != c.ID || d.Fix != c.Fix || !slices.Equal(d.Causes, c.Causes) {
			t.Errorf("%s: documentation %+v does not copy the registry's", c.ID, d)
		}
	}
}
