package checks

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/report"
)

func stub(id string, needs []string, res Result, delay time.Duration) Check {
	return Check{ID: id, Title: id, Needs: needs, Run: func(ctx context.Context, _ *Run) Result {
		time.Sleep(delay)
		return res
	}}
}

func TestRunnerOrderSkipsAndParallelism(t *testing.T) {
	const d = 40 * time.Millisecond
	checks := []Check{
		stub("a", nil, pass("ok", nil), d),
		stub("b", []string{"a"}, fail(CodeTimeout, "boom"), d),
		stub("c", []string{"b"}, pass("never", nil), 0),
		stub("d", []string{"a"}, pass("ok", nil), d),
		stub("e", []string{"a"}, pass("ok", nil), d),
		stub("f", []string{"c"}, pass("never", nil), 0),
	}
	var mu sync.Mutex
	var events []string
	r := &Runner{Checks: checks, Registry: NewRegistry(Codes()), Observer: func(e Event) {
		mu.Lock()
		defer mu.Unlock()
		if !e.Started {
			events = append(events, e.Check.ID)
		}
	}}
	start := time.Now()
	got := r.Run(context.Background(), &Run{})
	took := time.Since(start)

	want := []struct {
		id     string
		status report.Status
	}{{"a", report.Pass}, {"b", report.Fail}, {"c", report.Skip}, {"d", report.Pass}, {"e", report.Pass}, {"f", report.Skip}}
	for i, w := range want {
		if got[i].ID != w.id || got[i].Status != w.status {
			t.Errorf("result %d: %s %s, want %s %s", i, got[i].ID, got[i].Status, w.id, w.status)
		}
	}
	if got[2].Message != "skipped because b failed (TIMEOUT)" || got[5].Message != "skipped because c was skipped" {
		t.Errorf("skip reasons: %q, %q", got[2].Message, got[5].Message)
	}
	if got[1].Fix == "" || got[1].Doc == nil {
		t.Error("a coded result must carry the registry's fix and documentation")
	}
	// a, then b/d/e together: two delays, not four.
	if took > 3*d {
		t.Errorf("independent checks did not run side by side: %s", took)
	}
	if len(events) != len(checks) {
		t.Errorf("observer saw %d completions", len(events))
	}
}

func TestRunnerKeepGoing(t *testing.T) {
	res := fail(CodeTimeout, "graphql host only")
	res.KeepGoing = true
	r := &Runner{Checks: []Check{stub("a", nil, res, 0), stub("b", []string{"a"}, pass("ran", nil), 0)}, Registry: NewRegistry(Codes())}
	got := r.Run(context.Background(), &Run{})
	if got[1].Status != report.Pass {
		t.Fatalf("a KeepGoing failure must not skip dependents: %+v", got[1])
	}
}

func TestRunnerDeadline(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := &Runner{Checks: []Check{stub("a", nil, pass("x", nil), 0)}, Registry: NewRegistry(Codes())}
	got := r.Run(ctx, &Run{})
	if got[0].Code != CodeTimeout {
		t.Fatalf("got %+v", got[0])
	}
}
