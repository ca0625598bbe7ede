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
