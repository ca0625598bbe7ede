// Package checks holds authdoctor's diagnosis: the check model, the ordered
// catalogue of checks, the runner that schedules them and Diagnose, which
// runs them all. The codes the checks report, with their documentation,
// are in the sub-package codes.
package checks

import (
	"context"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/report"
)

// Check is one diagnosis step, described as data (linkerd's healthcheck
// model): the runner decides when it runs, the catalogue decides its order.
type Check struct {
	ID    codes.CheckID   // stable id, e.g. "credentials"
	Title string          // shown in every report
	Needs []codes.CheckID // checks that must pass (or warn) first; otherwise this one is skipped
	// Under lists checks this one does not wait for to start, but whose
	// failure explains it: the runner starts the check side by side with
	// them and reports it once they are done. When one of them failed (or
	// was skipped), this check is reported as a skip naming it, as if it
	// had Needed it, with what it found kept in its details: the report
	// leads with the root cause (credentials sends its token request while
	// realm is checked, and a missing realm's 404 there is realm's failure).
	// The skip is marked as a consequence of that root cause, as is a
	// check skipped because a check it Needs failed.
	Under []codes.CheckID
	// When, if set, says whether the check belongs in a run with this
	// configuration (the events check needs admin access); nil: always.
	When func(cfg *Config) bool
	// WhenText says, for --only, when the check belongs in a run.
	WhenText string
	// Unset, if set, says why the check cannot run with this configuration
	// although it belongs in the run ("GRAPHQL_URL not set"), or "". The
	// runner skips it with that reason at once, before waiting for its
	// Needs: a setting forgotten in CI is reported as such, never hidden
	// behind another check's failure, and --fail-on skip fails the run.
	Unset func(cfg *Config) string
	// Func performs the check. It reads the facts written by the checks it
	// Needs and writes its own (see Facts).
	Func func(ctx context.Context, facts *Facts) Result
}

// Result is what a check found. Message quotes the server; the fix comes from
// Code's documentation, with Hint prepended for this particular case.
type Result struct {
	Status  report.Status
	Code    *codes.Code // nil when the check passed or was skipped
	Message string
	Hint    string
	Details map[string]any
	// Events are the server's own events that explain the result.
	Events []report.Event
	// KeepGoing marks a failure that concerns a later check only (e.g. the
	// GraphQL host's certificate), so checks that need this one still run.
	KeepGoing bool
	// ConsequenceOf names another check's finding that explains this
	// result (set it with Because). The result keeps its status and code;
	// the report leads with the cause and marks this one as its
	// consequence. The runner keeps the mark only when the cause check ran
	// in this run and reported exactly that code (fail or warn), and
	// follows it to the root when the cause is itself a consequence.
	ConsequenceOf *Cause
}

// Cause names a finding of a check: the check and the code it reported.
type Cause struct {
	Check codes.CheckID
	Code  *codes.Code
}

// Because marks r as a consequence of check's finding code, e.g. a GraphQL
// rejection of a token "issued in the future" that measured clock skew
// explains: found(codes.GraphQLRejected, msg).Because(codes.CheckClock, codes.ClockSkew).
func (r Result) Because(check codes.CheckID, code *codes.Code) Result {
	r.ConsequenceOf = &Cause{Check: check, Code: code}
	return r
}

// Event is sent to an Observer when a check starts and when it ends.
type Event struct {
	Index   int // position in the catalogue
	Check   Check
	Started bool // true when starting; false when done
	Result  report.CheckResult
}

// Observer receives events; the runner never calls it concurrently.
type Observer func(Event)

func pass(msg string, details map[string]any) Result {
	return Result{Status: report.Pass, Message: msg, Details: details}
}

func skip(msg string) Result { return Result{Status: report.Skip, Message: msg} }

// found reports a code. Its status is the code's severity, so a warning code
// can never fail a run, nor a failing code pass as a warning.
func found(code *codes.Code, msg string) Result {
	status := report.Fail
	if code.Severity == codes.Warn {
		status = report.Warn
	}
	return Result{Status: status, Code: code, Message: msg}
}

// fromProblem turns a classified failure into a result.
func fromProblem(p *httpx.Problem) Result {
	r := found(p.Code, p.Message)
	r.Hint = p.Hint
	r.Details = map[string]any{}
	for k, v := range p.Details {
		r.Details[k] = v
	}
	return r
}
