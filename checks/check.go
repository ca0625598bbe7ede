// Package checks holds authdoctor's diagnosis: the check model, the ordered
// catalogue of checks, the runner that schedules them, and the registry of
// codes with their fixes.
package checks

import (
	"context"

	"github.com/authdoctor/authdoctor/report"
)

// Check is one diagnosis step, described as data (linkerd's healthcheck
// model): the runner decides when it runs, the catalogue decides its order.
type Check struct {
	ID    string   // stable id, e.g. "credentials"
	Title string   // shown in every report
	Needs []string // checks that must pass (or warn) first; otherwise this one is skipped
	Run   func(ctx context.Context, run *Run) Result
}

// Result is what a check found. Message quotes the server; the fix comes from
// the registry entry of Code, with Hint appended for this particular case.
type Result struct {
	Status  report.Status
	Code    string
	Message string
	Hint    string
	Details map[string]any
	// KeepGoing marks a failure that concerns a later check only (e.g. the
	// GraphQL host's certificate), so checks that need this one still run.
	KeepGoing bool
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

func fail(code, msg string) Result { return Result{Status: report.Fail, Code: code, Message: msg} }

func warn(code, msg string) Result { return Result{Status: report.Warn, Code: code, Message: msg} }

func skip(msg string) Result { return Result{Status: report.Skip, Message: msg} }
