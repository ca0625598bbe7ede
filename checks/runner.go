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
}

type outcome struct {
	result  report.CheckResult
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

	var wg sync.WaitGroup
	for i, c := range r.Checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(done[i])
			reason := ""
			for _, need := range c.Needs {
				j, ok := index[need]
				if !ok {
					panic(fmt.Sprintf("checks: %s needs unknown check %q", c.ID, need))
				}
				<-done[j]
				if reason == "" && outcomes[j].blocker {
					reason = skipReason(outcomes[j].result)
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
				if under := waitUnder(c, index, done, outcomes); under != "" && res.Status != report.Skip {
					res = underSkip(under, res)
				}
			}
			cr := r.result(c, res, time.Since(start))
			outcomes[i] = outcome{result: cr, blocker: (cr.Status == report.Fail && !res.KeepGoing) || cr.Status == report.Skip}
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
// of the first that failed or was skipped, or "".
func waitUnder(c Check, index map[codes.CheckID]int, done []chan struct{}, outcomes []outcome) string {
	reason := ""
	for _, id := range c.Under {
		j, ok := index[id]
		if !ok {
			continue // not in this run's catalogue
		}
		<-done[j]
		if reason == "" && outcomes[j].blocker {
			reason = skipReason(outcomes[j].result)
		}
	}
	return reason
}

// underSkip reports what a check found while a check it runs Under failed:
// a skip naming that failure, which is the diagnosis, with this check's own
// finding as its consequence (kept in the details, never a second code).
func underSkip(reason string, found Result) Result {
	r := skip(reason)
	what := "passed"
	if found.Code != nil {
		what = "found " + found.Code.ID
	}
	r.Message = fmt.Sprintf("%s; this check, run alongside it, %s: %s", reason, what, found.Message)
	r.Details = map[string]any{"consequence": map[string]any{"status": string(found.Status), "message": found.Message}}
	if found.Code != nil {
		r.Details["consequence"].(map[string]any)["code"] = found.Code.ID
	}
	return r
}

func skipReason(need report.CheckResult) string {
	if need.Status == report.Skip {
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
		cr.Code, cr.Doc, cr.Fix = res.Code.ID, docOf(res.Code), res.Code.Fix
		if res.Hint != "" {
			cr.Fix = strings.TrimSpace(res.Hint + "\n" + cr.Fix)
		}
	}
	if cr.Details == nil {
		cr.Details = map[string]any{}
	}
	return cr
}

// docOf converts a code into the report's self-contained documentation,
// with the link to its page that every format shows.
func docOf(c *codes.Code) *report.CodeDoc {
	return &report.CodeDoc{
		Code: c.ID, Severity: string(c.Severity), Title: c.Title, Meaning: c.Meaning,
		Causes: append([]string(nil), c.Causes...), Fix: c.Fix, Console: c.Console, Command: c.Command,
		URL: c.DocURL(),
	}
}
