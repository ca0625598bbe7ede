// Package report holds the one model of a finished (or running) authdoctor
// run and the renderers that turn it into table, JSON, Markdown, JUnit and
// short text. Renderers are pure: they read a Report and write bytes; they
// never decide the exit code or talk to a server.
package report

import (
	"strings"
	"time"
)

// SchemaVersion is the version of the JSON document; bump it only on a
// breaking change of the JSON shape. 2: a check's "fix" is an object
// (steps, commands, console, doc_url) instead of one string.
const SchemaVersion = 2

// Status is the outcome of one check.
type Status string

// The four outcomes, in order of severity.
const (
	Pass Status = "pass"
	Warn Status = "warn"
	Fail Status = "fail"
	Skip Status = "skip"
)

// Report is everything a renderer may show about one run.
type Report struct {
	Tool     Tool
	Target   Target
	Checks   []CheckResult // always in catalogue order
	Summary  Summary
	ExitCode int
	// ExitReason says in one line why the exit code is what it is: the
	// root causes, or the --fail-on policy that turned a warning or a skip
	// into a failed run. Set with ExitCode by Decide.
	ExitReason  string
	Environment Environment
	// Policy is what the run was asked to check (--only, --skip) and what
	// fails it besides a failed check (--fail-on, --strict).
	Policy Policy
	// Duration is the run's wall time, from the first check's start to the
	// last check's end; zero when unknown, and then renderers omit it. (Checks
	// may overlap, so it is not the sum of their durations.)
	Duration time.Duration
}

// Tool names the program that produced the report.
type Tool struct {
	Name    string
	Version string
}

// Target is what was diagnosed. It never contains a secret.
type Target struct {
	KeycloakURL string
	Realm       string
	ClientID    string
	Grant       string // "password" or "client_credentials"
	GraphQLURL  string
}

// CheckResult is the outcome of one check.
type CheckResult struct {
	ID      string
	Title   string
	Status  Status
	Code    string // empty for a plain pass or a skip
	Message string // what was observed, quoting the server
	Fix     string // what to do, numbered steps one per line (the hint first); empty when nothing is to be done
	// Commands are the fix's commands filled in with this run's realm,
	// client, user, roles, host and port (never a secret: those stay
	// placeholders such as <client-secret>), in the order to run them.
	Commands []Command
	// Console is where to change it in the admin console, filled in like
	// the commands (one path per line); "" when the fix has none.
	Console  string
	Duration time.Duration
	Details  map[string]any // evidence: statuses, claims, roles (never a secret)
	Doc      *CodeDoc       // the registry's documentation of Code, when Code is set
	// Events are the server's own events that explain this result (read
	// through the admin API), newest first.
	Events []Event
	// ConsequenceOf, when set, is the root cause of this result: another
	// check's finding, shown in this report, that explains it (a check
	// skipped because the realm was not found, a GraphQL rejection that
	// clock skew explains). The result keeps its own status and code;
	// renderers lead with the cause and mark this one as its consequence.
	ConsequenceOf *Cause
}

// Cause names a finding: the check that reported it and its code.
type Cause struct {
	Check string
	Code  string
}

// Policy is what the run was asked to check and what fails it.
type Policy struct {
	// FailOn lists the statuses besides Fail that fail the run: Warn
	// and/or Skip (--fail-on, --strict).
	FailOn []Status
	// Strict: the user gave --strict (warn and skip), which the report
	// then names rather than a --fail-on the user did not type.
	Strict bool
	Only   []string // --only: the checks asked for
	Skip   []string // --skip: the checks left out
	// Prerequisites are the checks --only added because a chosen check
	// needs them; they run and are reported like the others.
	Prerequisites []string
}

// flag names the option that makes status s (or, for "", the statuses
// of FailOn) fail the run, as the user typed it: "--strict", or
// "--fail-on skip".
func (p Policy) flag(s Status) string {
	if p.Strict {
		return "--strict"
	}
	if s == "" {
		return "--fail-on " + strings.Join(statusStrings(p.FailOn), ",")
	}
	return "--fail-on " + string(s)
}

// FailsOn reports whether a check ending with status s fails the run.
func (p Policy) FailsOn(s Status) bool {
	if s == Fail {
		return true
	}
	for _, f := range p.FailOn {
		if f == s {
			return true
		}
	}
	return false
}

// Event is one event Keycloak stored, as evidence for a result.
type Event struct {
	Time    time.Time // the server's time of the event
	Type    string    // e.g. LOGIN_ERROR
	Client  string    // clientId
	User    string    // username (or user id when the event names no username)
	IP      string
	Error   string            // Keycloak's event error, e.g. user_not_found
	Details map[string]string // the event's details (auth_method, grant_type, reason, ...)
}

// CodeDoc is the registry's explanation of a code, copied into the report so
// that a report pasted into a ticket is self-contained.
type CodeDoc struct {
	Code     string
	Severity string // "fail" or "warn"
	Title    string
	Meaning  string
	Causes   []string
	Fix      string
	Console  string // Keycloak admin console path, if any
	Command  string // kcadm.sh (or other) command, if any
	// URL is the code's documentation page (codes.Code.DocURL), which every
	// format links to: the table and JUnit after the fix, short on a second
	// line, JSON as doc_url, Markdown under the problem.
	URL string
}

// Summary counts the checks by status and names the root causes.
type Summary struct {
	Passed, Warned, Failed, Skipped int
	// RootCauses are the findings to fix first, in catalogue order: every
	// failure that is no other finding's consequence, and every finding
	// another result is a consequence of.
	RootCauses []Cause
	// Consequences counts the results marked ConsequenceOf a root cause.
	Consequences int
	// PolicyFailures are the checks whose warning or skip failed the run
	// under the Policy's FailOn, in catalogue order.
	PolicyFailures []string
}

// Environment describes where and how the run happened, for support tickets.
type Environment struct {
	Version   string
	OS        string
	Arch      string
	GoVersion string
	Time      time.Time // UTC
	Settings  []Setting
}

// Setting is one configuration value and where it came from.
type Setting struct {
	Name   string // flag name without dashes, e.g. "client-secret"
	EnvVar string // e.g. "CLIENT_SECRET"
	Value  string // empty (and Secret true) for secrets
	Source string // "flag", "environment", ".env file", "default" or "unset"
	Secret bool
}

// Count recomputes the summary's counts and root causes from the checks
// (not the policy failures: see Decide).
func Count(checks []CheckResult) Summary {
	var s Summary
	s.RootCauses, s.Consequences = rootCauses(checks)
	for _, c := range checks {
		switch c.Status {
		case Pass:
			s.Passed++
		case Warn:
			s.Warned++
		case Fail:
			s.Failed++
		case Skip:
			s.Skipped++
		}
	}
	return s
}
