package checks

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/safego"
	"github.com/authdoctor/authdoctor/report"
)

func stub(id codes.CheckID, needs []codes.CheckID, res Result, delay time.Duration) Check {
	return Check{ID: id, Title: string(id), Needs: needs, Func: func(ctx context.Context, _ *Facts) Result {
		time.Sleep(delay)
		return res
	}}
}

// together returns check funcs that each wait until all n of them have
// started: they can only finish if the runner runs them side by side (a
// runner that ran them one after another fails the test at its deadline,
// with no timing assertion).
func together(t *testing.T, n int) func(res Result) func(context.Context, *Facts) Result {
	var started sync.WaitGroup
	started.Add(n)
	all := make(chan struct{})
	go func() { started.Wait(); close(all) }()
	return func(res Result) func(context.Context, *Facts) Result {
		return func(context.Context, *Facts) Result {
			started.Done()
			select {
			case <-all:
			case <-time.After(10 * time.Second):
				t.Error("independent checks did not run side by side")
			}
			return res
		}
	}
}

func TestRunnerOrderSkipsAndParallelism(t *testing.T) {
	side := together(t, 3) // b, d and e need only a: they run side by side
	checks := []Check{
		stub("a", nil, pass("ok", nil), 0),
		{ID: "b", Title: "b", Needs: []codes.CheckID{"a"}, Func: side(found(codes.Timeout, "boom"))},
		stub("c", []codes.CheckID{"b"}, pass("never", nil), 0),
		{ID: "d", Title: "d", Needs: []codes.CheckID{"a"}, Func: side(pass("ok", nil))},
		{ID: "e", Title: "e", Needs: []codes.CheckID{"a"}, Func: side(pass("ok", nil))},
		stub("f", []codes.CheckID{"c"}, pass("never", nil), 0),
	}
	var mu sync.Mutex
	var events []string
	r := &Runner{Checks: checks, Observer: func(e Event) {
		mu.Lock()
		defer mu.Unlock()
		if !e.Started {
			events = append(events, string(e.Check.ID))
		}
	}}
	got := r.Run(context.Background(), &Facts{})

	want := []struct {
		id     codes.CheckID
		status report.Status
	}{{"a", report.Pass}, {"b", report.Fail}, {"c", report.Skip}, {"d", report.Pass}, {"e", report.Pass}, {"f", report.Skip}}
	for i, w := range want {
		if got[i].ID != string(w.id) || got[i].Status != w.status {
			t.Errorf("result %d: %s %s, want %s %s", i, got[i].ID, got[i].Status, w.id, w.status)
		}
	}
	if got[2].Message != "skipped because b failed (TIMEOUT)" || got[5].Message != "skipped because c was skipped (b failed: TIMEOUT)" {
		t.Errorf("skip reasons: %q, %q", got[2].Message, got[5].Message)
	}
	if got[1].Fix == "" || got[1].Doc == nil {
		t.Error("a coded result must carry the registry's fix and documentation")
	}
	if len(events) != len(checks) {
		t.Errorf("observer saw %d completions", len(events))
	}
}

func TestRunnerKeepGoing(t *testing.T) {
	res := found(codes.Timeout, "graphql host only")
	res.KeepGoing = true
	r := &Runner{Checks: []Check{stub("a", nil, res, 0), stub("b", []codes.CheckID{"a"}, pass("ran", nil), 0)}}
	got := r.Run(context.Background(), &Facts{})
	if got[1].Status != report.Pass {
		t.Fatalf("a KeepGoing failure must not skip dependents: %+v", got[1])
	}
}

func TestRunnerDeadline(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := &Runner{Checks: []Check{stub("a", nil, pass("x", nil), 0)}}
	got := r.Run(ctx, &Facts{})
	if got[0].Code != codes.Timeout.ID {
		t.Fatalf("got %+v", got[0])
	}
}

// A warning code is reported as a warning and a failing code as a failure,
// whatever the check meant: severity belongs to the code.
func TestFoundTakesTheCodesSeverity(t *testing.T) {
	if r := found(codes.ClockSkewSmall, "x"); r.Status != report.Warn {
		t.Errorf("CLOCK_SKEW_SMALL: %s, want warn", r.Status)
	}
	if r := found(codes.MissingRole, "x"); r.Status != report.Fail {
		t.Errorf("MISSING_ROLE: %s, want fail", r.Status)
	}
}

func TestCatalogNeedsComeFirst(t *testing.T) {
	seen := map[codes.CheckID]bool{}
	for _, c := range Catalog() {
		for _, need := range c.Needs {
			if !seen[need] {
				t.Errorf("%s needs %s, which does not come before it in the catalogue", c.ID, need)
			}
		}
		seen[c.ID] = true
	}
}

// Every code belongs to a check of the catalogue, or to no single check,
// and Codes lists them in report order.
func TestCodesInReportOrder(t *testing.T) {
	rank := map[codes.CheckID]int{codes.CheckAny: len(Catalog()), codes.CheckRunner: len(Catalog()) + 1}
	for i, c := range Catalog() {
		rank[c.ID] = i
	}
	all := Codes()
	if len(all) != len(codes.All()) {
		t.Fatalf("Codes() has %d codes, codes.All() %d", len(all), len(codes.All()))
	}
	for i, c := range all {
		if _, ok := rank[c.Check]; !ok {
			t.Errorf("%s belongs to check %q, which is not in the catalogue", c.ID, c.Check)
		}
		if i > 0 && rank[c.Check] < rank[all[i-1].Check] {
			t.Errorf("%s (check %s) comes after %s (check %s)", c.ID, c.Check, all[i-1].ID, all[i-1].Check)
		}
	}
	if all[0] != codes.Unreachable || all[len(all)-1] != codes.Timeout {
		t.Errorf("Codes() runs from %s to %s, want UNREACHABLE (first tls code) to TIMEOUT (the runner's)", all[0], all[len(all)-1])
	}
}

// A panic in a check, or in a goroutine it started, is that check's
// INTERNAL_ERROR: the checks that do not need it still run, and the run ends.
func TestRunnerTurnsAPanicIntoInternalError(t *testing.T) {
	var nilMap map[string]int
	checks := []Check{
		{ID: "a", Title: "a", Func: func(context.Context, *Facts) Result {
			nilMap["x"]++ // assignment to a nil map
			return pass("never", nil)
		}},
		{ID: "b", Title: "b", Func: func(context.Context, *Facts) Result {
			wait := safego.Go(func() {
				var p *Facts
				_ = p.Config // nil pointer dereference in another goroutine
			})
			wait()
			return pass("never", nil)
		}},
		stub("c", nil, pass("ran", nil), 0),
		stub("d", []codes.CheckID{"a"}, pass("never", nil), 0),
	}
	got := (&Runner{Checks: checks}).Run(context.Background(), &Facts{})
	for i, wantAt := range []string{"TestRunnerTurnsAPanicIntoInternalError.func1", "TestRunnerTurnsAPanicIntoInternalError.func2.1"} {
		r := got[i]
		if r.Status != report.Fail || r.Code != codes.InternalError.ID || r.Fix == "" || !strings.Contains(r.Message, "internal error") {
			t.Fatalf("check %s: %+v", r.ID, r)
		}
		if at, _ := r.Details["at"].(string); !strings.Contains(at, wantAt) || !strings.Contains(at, "(runner_test.go:") {
			t.Errorf("check %s: at %q, want the panicking function %s", r.ID, at, wantAt)
		}
	}
	if got[2].Status != report.Pass || got[3].Status != report.Skip {
		t.Fatalf("other checks: %+v %+v", got[2], got[3])
	}
}
