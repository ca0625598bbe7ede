package checks

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/report"
)

// TestRunnerUnder: a check that runs Under another starts alongside it, is
// reported after it, and when that one fails its own finding becomes a
// skip naming the failure (kept as details.consequence); its dependents
// skip with it.
func TestRunnerUnder(t *testing.T) {
	tests := []struct {
		name         string
		lead, under  Result
		wantStatus   report.Status
		wantPrefix   string
		wantConsCode any // details.consequence.code, nil for none
		wantDep      report.Status
	}{
		{"lead passes, finding stands", pass("ok", nil), found(codes.Timeout, "own failure"), report.Fail, "own failure", nil, report.Skip},
		{"lead passes, pass stands", pass("ok", nil), pass("granted", nil), report.Pass, "granted", nil, report.Pass},
		{"lead fails, failure is its consequence", found(codes.RealmNotFound, "no realm"), found(codes.RealmNotFound, "404"), report.Skip,
			"skipped because lead failed (REALM_NOT_FOUND); this check, run alongside it, failed too (its own finding is in the details, under consequence)", "REALM_NOT_FOUND", report.Skip},
		// The message names the root cause's code only; the finding's own
		// code stays in the details.
		{"lead fails with another code, the finding's code stays in details", found(codes.TenantPrefixDoubled, "tenant-tenant-"), found(codes.RealmNotFound, "404"), report.Skip,
			"skipped because lead failed (TENANT_PREFIX_DOUBLED); this check, run alongside it, failed too (its own finding is in the details, under consequence)", "REALM_NOT_FOUND", report.Skip},
		{"lead fails, a pass is still reported under it", found(codes.RealmNotFound, "no realm"), pass("granted", nil), report.Skip,
			"skipped because lead failed (REALM_NOT_FOUND); this check, run alongside it, passed: granted", nil, report.Skip},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// lead does not finish before under has started: if under
			// waited for lead to start, this would time out.
			underStarted := make(chan struct{})
			var overlapped atomic.Bool
			checks := []Check{
				{ID: "lead", Title: "lead", Func: func(context.Context, *Facts) Result {
					select {
					case <-underStarted:
						overlapped.Store(true)
					case <-time.After(5 * time.Second):
					}
					return tt.lead
				}},
				{ID: "under", Title: "under", Under: []codes.CheckID{"lead"}, Func: func(context.Context, *Facts) Result {
					close(underStarted)
					return tt.under
				}},
				stub("dep", []codes.CheckID{"under"}, pass("ok", nil), 0),
			}
			got := (&Runner{Checks: checks}).Run(context.Background(), &Facts{})
			if !overlapped.Load() {
				t.Errorf("under did not start while lead was running")
			}
			u := got[1]
			if u.Status != tt.wantStatus || !strings.HasPrefix(u.Message, tt.wantPrefix) {
				t.Fatalf("under: %s %q, want %s %q", u.Status, u.Message, tt.wantStatus, tt.wantPrefix)
			}
			cons, _ := u.Details["consequence"].(map[string]any)
			if cons["code"] != tt.wantConsCode {
				t.Errorf("consequence code %v, want %v (details %v)", cons["code"], tt.wantConsCode, u.Details)
			}
			if got[2].Status != tt.wantDep {
				t.Errorf("dependent: %s, want %s", got[2].Status, tt.wantDep)
			}
		})
	}
}
