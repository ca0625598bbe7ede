package checks

import (
	"sort"
	"strings"

	"github.com/authdoctor/authdoctor/report"
)

// Severity is how bad a code is: a failing code fails the run (exit 1), a
// warning does not.
type Severity string

// Severities.
const (
	SeverityFail Severity = "fail"
	SeverityWarn Severity = "warn"
)

// Code documents one diagnosis. Codes are stable: a code is never renamed,
// reused or removed (a retired code stays with Retired set), because CI
// pipelines and support macros match on them.
type Code struct {
	ID       string   // e.g. "INVALID_USER_CREDENTIALS"
	Check    string   // the check that reports it, e.g. "credentials"
	Severity Severity // fail or warn
	Title    string   // one line
	Meaning  string   // what the server told us, in plain words
	Causes   []string // the likely causes, most likely first
	Fix      string   // what to do
	Console  string   // where to change it in the Keycloak admin console, if anywhere
	Command  string   // the matching kcadm.sh (or curl) command, if any
	Retired  bool
}

// Registry is the catalogue of codes, looked up by ID.
type Registry struct {
	byID  map[string]Code
	order []string
}

// NewRegistry indexes codes; it panics on a duplicate ID because that is a
// programming error caught by the first test run.
func NewRegistry(codes []Code) *Registry {
	r := &Registry{byID: make(map[string]Code, len(codes))}
	for _, c := range codes {
		if _, dup := r.byID[c.ID]; dup {
			panic("checks: duplicate code " + c.ID)
		}
		r.byID[c.ID] = c
		r.order = append(r.order, c.ID)
	}
	return r
}

// Lookup returns the code with this ID (case-insensitive).
func (r *Registry) Lookup(id string) (Code, bool) {
	c, ok := r.byID[strings.ToUpper(strings.TrimSpace(id))]
	return c, ok
}

// All returns every code in check order, then by ID.
func (r *Registry) All() []Code {
	out := make([]Code, 0, len(r.order))
	for _, id := range r.order {
		out = append(out, r.byID[id])
	}
	rank := map[string]int{}
	for i, c := range Catalog() {
		rank[c.ID] = i + 1
	}
	// Codes of the runner (not of one check) come last.
	order := func(c Code) int {
		if r, ok := rank[c.Check]; ok {
			return r
		}
		return len(rank) + 1
	}
	sort.SliceStable(out, func(i, j int) bool { return order(out[i]) < order(out[j]) })
	return out
}

// Doc converts a code into the report's self-contained documentation.
func (c Code) Doc() *report.CodeDoc {
	return &report.CodeDoc{
		Code: c.ID, Severity: string(c.Severity), Title: c.Title, Meaning: c.Meaning,
		Causes: append([]string(nil), c.Causes...), Fix: c.Fix, Console: c.Console, Command: c.Command,
	}
}
