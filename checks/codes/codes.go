// Package codes is the registry of authdoctor's diagnosis codes. Each code is
// declared once, as a variable in the file of the check that reports it
// (tls.go, realm.go, ...), with its severity and its documentation; the list
// of all codes is derived from those declarations.
//
// Codes are stable: CI pipelines and support macros match on them, so a
// code is never renamed, reused or removed (a retired one keeps its entry,
// with Retired set). The package imports nothing from the module, so the
// classifiers that produce codes (keycloak/, internal/httpx,
// internal/graphql) and the checks that report them can all use it.
package codes

import (
	"sort"
	"strconv"
	"strings"
)

// Severity is how bad a code is: a failing code fails the run (exit 1), a
// warning does not. It is part of the code, so a check cannot report a
// warning code as a failure or the other way round.
type Severity string

// Severities.
const (
	Fail Severity = "fail"
	Warn Severity = "warn"
)

// CheckID names a check. The ids are part of the product (JSON, JUnit, CI
// scripts) and never change. Each is declared at the top of its check's
// codes file; the report order is the catalogue's (checks.Catalog).
type CheckID string

// Code documents one diagnosis. The declared variables (codes.Unreachable,
// ...) are read-only: compare codes by identity (p.Code == codes.X).
type Code struct {
	ID       string   // e.g. "INVALID_USER_CREDENTIALS"
	Check    CheckID  // the check that reports it
	Severity Severity // fail or warn
	Title    string   // one line
	Meaning  string   // what the server told us, in plain words
	Causes   []string // the likely causes, most likely first
	Fix      string   // what to do, as numbered steps
	Console  string   // where to change it in the Keycloak admin console, if anywhere
	Command  string   // the matching kcadm.sh (or curl, openssl) command, if any
	Retired  bool
	// Cases are the fixes of the causes that need other steps and commands
	// than Fix and Command (a Hasura mapper rather than the client's
	// scope; a permanent lockout rather than a temporary one). A check
	// names the case in its result's details under DetailFixCase; For
	// selects it.
	Cases map[string]Case
}

// Case is the fix of one cause of a code: its steps, console path and
// commands replace the code's own.
type Case struct {
	When    string // the cause, in words ("the Hasura claims mapper leaves the role out")
	Fix     string // numbered steps, as Code.Fix
	Console string
	Command string
}

// DetailFixCase is the details key under which a check names the Case of
// its code that fits the cause it found.
const DetailFixCase = "fix_case"

// CaseNames lists the names of c's cases, sorted.
func (c *Code) CaseNames() []string {
	names := make([]string, 0, len(c.Cases))
	for name := range c.Cases {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// For returns c with the fix of the named case, or c itself when it has
// no such case.
func (c *Code) For(name string) *Code {
	k, ok := c.Cases[name]
	if !ok || name == "" {
		return c
	}
	v := *c
	v.Fix, v.Console, v.Command = k.Fix, k.Console, k.Command
	return &v
}

// declared holds every code in declaration order. It is written only while
// the package's variables are initialised (by define) and read-only after.
var declared []*Code

// define records a code; it is how every code in this package is declared.
func define(c *Code) *Code {
	declared = append(declared, c)
	return c
}

// All returns every code, grouped by check in the order of the files, and
// within a check in the order of its file. checks.Codes lists them in
// report order.
func All() []*Code { return append([]*Code(nil), declared...) }

// Lookup returns the code with this ID (case-insensitive, spaces trimmed).
func Lookup(id string) (*Code, bool) {
	id = strings.ToUpper(strings.TrimSpace(id))
	for _, c := range declared {
		if c.ID == id {
			return c, true
		}
	}
	return nil, false
}

// steps numbers fix steps, one per line.
func steps(list ...string) string {
	var b strings.Builder
	for i, s := range list {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strconv.Itoa(i + 1))
		b.WriteString(". ")
		b.WriteString(s)
	}
	return b.String()
}

// DocBaseURL is where the page of every code is published: docs/codes/ of
// the repository, generated from this registry (authdoctor explain CODE -o
// markdown), one <CODE>.md per code.
const DocBaseURL = "https://github.com/authdoctor/authdoctor/blob/main/docs/codes/"

// DocURL is the address of the code's documentation page, derived from
// its ID (so it cannot be mistyped per code), like linkerd's hint anchors
// and istioctl's message pages.
func (c *Code) DocURL() string { return DocBaseURL + c.ID + ".md" }

// String is the code's ID, so messages and test failures print it.
func (c *Code) String() string { return c.ID }
