package checks

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/safego"
	"github.com/authdoctor/authdoctor/report"
)

// Runner schedules checks: each starts as soon as the checks it Needs are
// done, so independent checks (graphql, refresh, the JWKS fetch of roles)
// run side by side, while results are always reported in catalogue order.
type Runner struct {
	Checks   []Check
	Observer Observer // may be nil
	// Omitted are the checks left out of this run on purpose (--skip),
	// with the reason a check that Needs one is skipped, e.g. "--skip
	// credentials". A Need that is neither in Checks nor here is a bug.
	Omitted map[codes.CheckID]string
}

type outcome struct {
	result  report.CheckResult
	code    *codes.Code
	blocker bool // dependents must skip
}

// Run executes every check under ctx (which carries the run's deadline) and
// returns the results in catalogue order.
func (r *Runner) Run(ctx context.Context, facts *Facts) []report.CheckResult {
	index := map[codes.CheckID]int{}
	for i, c := range r.Checks {
		index[c.ID] = i
	}
	done := make([]chan struct{}, len(r.Checks))
	outcomes := make([]outcome, len(r.Checks))
	for i := range done {
		done[i] = make(chan struct{})
	}
	var obsMu sync.Mutex
	notify := func(e Event) {
		if r.Observer == nil {
			return
		}
		obsMu.Lock()
		defer obsMu.Unlock()
		r.Observer(e)
	}

	// A check may wait for the outcome of another to mark its own result
	// as that finding's consequence (Facts.Outcome, Result.Because).
	outcomeOf := func(id codes.CheckID) (outcome, bool) {
		j, ok := index[id]
		if !ok {
			return outcome{}, false
		}
		<-done[j]
		return outcomes[j], true
	}
	if facts != nil {
		facts.outcome = func(id codes.CheckID) (report.Status, *codes.Code) {
			o, ok := outcomeOf(id)
			if !ok {
				return "", nil
			}
			return o.result.Status, o.code
		}
	}

	var wg sync.WaitGroup
	for i, c := range r.Checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(done[i])
			reason, cause := "", (*report.Cause)(nil)
			if c.Unset != nil && facts != nil && facts.Config != nil {
				reason = c.Unset(facts.Config)
			}
			for _, need := range c.Needs {
				if reason != "" {
					break // skipped already: no need to wait
				}
				j, ok := index[need]
				if !ok {
					why, omitted := r.Omitted[need]
					if !omitted {
						panic(fmt.Sprintf("checks: %s needs unknown check %q", c.ID, need))
					}
					reason = "skipped because " + why
					continue
				}
				<-done[j]
				if outcomes[j].blocker {
					reason, cause = skipReason(outcomes[j].result), rootOf(outcomes[j].result)
				}
			}
			var res Result
			start := time.Now()
			switch {
			case reason != "":
				res = skip(reason)
			case ctx.Err() != nil:
				res = found(codes.Timeout, "not started: the run's --timeout expired before this check's turn")
			default:
				notify(Event{Index: i, Check: c, Started: true})
				res = runCheck(ctx, c, facts)
			}
			if reason == "" {
				if under, underCause := waitUnder(c, index, done, outcomes); under != "" && res.Status != report.Skip {
					res, cause = underSkip(under, res), underCause
				}
			}
			if cause == nil && res.ConsequenceOf != nil && res.ConsequenceOf.Check != c.ID {
				cause = confirmCause(res.ConsequenceOf, outcomeOf)
			}
			cr := r.result(c, res, time.Since(start))
			cr.ConsequenceOf = cause
			outcomes[i] = outcome{result: cr, code: res.Code, blocker: (cr.Status == report.Fail && !res.KeepGoing) || cr.Status == report.Skip}
			notify(Event{Index: i, Check: c, Result: cr})
		}()
	}
	wg.Wait()

	results := make([]report.CheckResult, len(outcomes))
	for i, o := range outcomes {
		results[i] = o.result
	}
	return results
}

// runCheck runs one check; a panic in it (a bug, whatever the server
// answered) becomes the check's INTERNAL_ERROR, so the other checks and the
// reports still complete. A panic in a goroutine the check started reaches
// here through goSafe.
func runCheck(ctx context.Context, c Check, facts *Facts) (res Result) {
	defer func() {
		if v := recover(); v != nil {
			res = internalError(c.ID, v)
		}
	}()
	return c.Func(ctx, facts)
}

func internalError(id codes.CheckID, v any) Result {
	site := safego.Site(4)
	if p, ok := v.(*safego.Panic); ok {
		v, site = p.Value, p.Site
	}
	r := found(codes.InternalError, fmt.Sprintf("the %s check stopped on an internal error (a bug in authdoctor): %v", id, v))
	r.Details = map[string]any{"panic": fmt.Sprint(v), "at": site}
	return r
}

// waitUnder waits for the checks c runs Under and returns the skip reason
// of the first that failed or was skipped, and its root cause, or "".
func waitUnder(c Check, index map[codes.CheckID]int, done []chan struct{}, outcomes []outcome) (string, *report.Cause) {
	reason, cause := "", (*report.Cause)(nil)
	for _, id := range c.Under {
		j, ok := index[id]
		if !ok {
			continue // not in this run's catalogue
		}
		<-done[j]
		if reason == "" && outcomes[j].blocker {
			reason, cause = skipReason(outcomes[j].result), rootOf(outcomes[j].result)
		}
	}
	return reason, cause
}

// rootOf is the root cause a result stands for when others depend on it:
// its own cause when it is a consequence, else its own finding; nil for a
// skip that no finding explains (an unset setting, --skip).
func rootOf(r report.CheckResult) *report.Cause {
	switch {
	case r.ConsequenceOf != nil:
		c := *r.ConsequenceOf
		return &c
	case r.Code != "" && (r.Status == report.Fail || r.Status == report.Warn):
		return &report.Cause{Check: r.ID, Code: r.Code}
	}
	return nil
}

// confirmCause keeps a check's own ConsequenceOf mark only when the cause
// check is in this run and reported exactly that code: a report never
// points at a finding it does not show. It returns the root cause.
func confirmCause(want *Cause, outcomeOf func(codes.CheckID) (outcome, bool)) *report.Cause {
	if want.Code == nil {
		return nil
	}
	o, ok := outcomeOf(want.Check)
	if !ok || o.code != want.Code {
		return nil
	}
	return rootOf(o.result)
}

// underSkip reports what a check found while a check it runs Under failed:
// a skip naming that failure, which is the diagnosis, with this check's own
// finding as its consequence (kept in the details, never a second code).
// The message names only the root cause's code: the finding's own code is
// what the same cause looked like from here (REALM_NOT_FOUND for a realm
// named tenant-tenant-...), and a code the verdict never lists would
// mislead.
func underSkip(reason string, found Result) Result {
	r := skip(reason)
	r.Message = fmt.Sprintf("%s; this check, run alongside it, passed: %s", reason, found.Message)
	if found.Status != report.Pass {
		r.Message = fmt.Sprintf("%s; this check, run alongside it, %s too (its own finding is in the details, under consequence)", reason, map[report.Status]string{report.Fail: "failed", report.Warn: "warned", report.Skip: "was skipped"}[found.Status])
	}
	r.Details = map[string]any{"consequence": map[string]any{"status": string(found.Status), "message": found.Message}}
	if found.Code != nil {
		r.Details["consequence"].(map[string]any)["code"] = found.Code.ID
	}
	return r
}

func skipReason(need report.CheckResult) string {
	if need.Status == report.Skip {
		// Name the root cause, which is the thing to fix, not only the
		// check in between.
		if c := need.ConsequenceOf; c != nil {
			return fmt.Sprintf("skipped because %s was skipped (%s failed: %s)", need.ID, c.Check, c.Code)
		}
		return fmt.Sprintf("skipped because %s was skipped", need.ID)
	}
	return fmt.Sprintf("skipped because %s failed (%s)", need.ID, need.Code)
}

// result completes a check's Result with its code's documentation and fix.
func (r *Runner) result(c Check, res Result, d time.Duration) report.CheckResult {
	cr := report.CheckResult{
		ID: string(c.ID), Title: c.Title, Status: res.Status, Message: res.Message,
		Duration: d, Details: res.Details, Events: res.Events,
	}
	if res.Code != nil {
		// The fix of the cause the check found, when its code has one.
		code := res.Code.For(fixCase(res.Details))
		cr.Code, cr.Doc, cr.Fix = code.ID, docOf(code), code.Fix
		if res.Hint != "" {
			cr.Fix = strings.TrimSpace(res.Hint + "\n" + cr.Fix)
		}
	}
	if cr.Details == nil {
		cr.Details = map[string]any{}
	}
	return cr
}

// fixCase is the case of its code's fix a result's details name, or "".
func fixCase(details map[string]any) string {
	k, _ := details[codes.DetailFixCase].(string)
	return k
}

// docOf converts a code into the report's self-contained documentation,
// with the link to its page that every format shows.
func docOf(c *codes.Code) *report.CodeDoc {
	return &report.CodeDoc{
		Code: c.ID, Severity: string(c.Severity), Title: c.Title, Meaning: c.Meaning,
		Causes: append([]string(nil), c.Causes...), Fix: c.Fix, Console: c.Console,
		// The template, placeholders and all, with the kcadm.sh login and
		// the id lookups in place: the result's Commands are it filled in.
		Command: strings.Join(c.CommandLines(), "\n"),
		URL:     c.DocURL(),
	}
}
