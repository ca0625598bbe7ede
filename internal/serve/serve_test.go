package serve

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/authdoctor/authdoctor/report"
)

func tenant(name string, checks ...report.CheckResult) report.TenantReport {
	r := report.Report{Checks: checks, Summary: report.Count(checks)}
	if r.Summary.Failed > 0 {
		r.ExitCode = 1
	}
	return report.TenantReport{Tenant: name, Report: r}
}

func testMatrix() report.Matrix {
	tls := report.CheckResult{ID: "tls", Status: report.Pass, Duration: 3 * time.Millisecond, Details: map[string]any{
		"keycloak": map[string]any{"address": "sso.example.com:443", "not_after": "2026-01-31T12:00:00Z"}}}
	creds := report.CheckResult{ID: "credentials", Status: report.Pass, Duration: 40 * time.Millisecond, Details: map[string]any{"expires_in": 300, "refresh_expires_in": 1800}}
	roleFail := report.CheckResult{ID: "roles", Status: report.Fail, Code: "MISSING_ROLE", Duration: time.Millisecond}
	hostile := report.CheckResult{ID: "realm", Status: report.Fail, Code: "server said {\"x\"}\n", Duration: time.Millisecond}
	return report.Matrix{Tenants: []report.TenantReport{
		tenant("acme", tls, creds, report.CheckResult{ID: "roles", Status: report.Pass}),
		tenant("globex", tls, creds, roleFail, report.CheckResult{ID: "refresh", Status: report.Skip}),
		tenant("weird", tls, hostile),
	}}
}

func render(f report.Format, m report.Matrix) ([]byte, error) {
	var b strings.Builder
	err := report.RenderMatrix(&b, f, m, report.Options{})
	return []byte(b.String()), err
}

func TestMetricsAndReports(t *testing.T) {
	s := New(func(context.Context) report.Matrix { return testMatrix() }, render, time.Hour)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	if code, _ := get(t, srv.URL+"/report.json"); code != http.StatusServiceUnavailable {
		t.Errorf("/report.json before the first round: %d, want 503", code)
	}
	s.record(testMatrix(), 2*time.Second)

	if problems, err := testutil.GatherAndLint(s.Registry()); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %+v", err, problems)
	}
	want := `
# HELP authdoctor_check_success Whether the check passed in the last round (1: pass or warning; 0: failed, or skipped after a failure).
# TYPE authdoctor_check_success gauge
authdoctor_check_success{check="credentials",tenant="acme"} 1
authdoctor_check_success{check="credentials",tenant="globex"} 1
authdoctor_check_success{check="realm",tenant="weird"} 0
authdoctor_check_success{check="refresh",tenant="globex"} 0
authdoctor_check_success{check="roles",tenant="acme"} 1
authdoctor_check_success{check="roles",tenant="globex"} 0
authdoctor_check_success{check="tls",tenant="acme"} 1
authdoctor_check_success{check="tls",tenant="globex"} 1
authdoctor_check_success{check="tls",tenant="weird"} 1
# HELP authdoctor_last_failure_info The code of the tenant's leading failure in the last round (always 1; codes come from authdoctor's registry).
# TYPE authdoctor_last_failure_info gauge
authdoctor_last_failure_info{check="realm",code="OTHER",tenant="weird"} 1
authdoctor_last_failure_info{check="roles",code="MISSING_ROLE",tenant="globex"} 1
# HELP authdoctor_tls_certificate_expiry_timestamp_seconds When the TLS certificate of the host (Keycloak or GraphQL) expires, in Unix seconds.
# TYPE authdoctor_tls_certificate_expiry_timestamp_seconds gauge
authdoctor_tls_certificate_expiry_timestamp_seconds{host="sso.example.com:443"} 1.7698608e+09
# HELP authdoctor_access_token_lifetime_seconds Lifetime of the access token Keycloak issued (expires_in) in the last round.
# TYPE authdoctor_access_token_lifetime_seconds gauge
authdoctor_access_token_lifetime_seconds{tenant="acme"} 300
authdoctor_access_token_lifetime_seconds{tenant="globex"} 300
# HELP authdoctor_refresh_token_lifetime_seconds Lifetime of the refresh token Keycloak issued (refresh_expires_in; 0: no fixed expiry) in the last round.
# TYPE authdoctor_refresh_token_lifetime_seconds gauge
authdoctor_refresh_token_lifetime_seconds{tenant="acme"} 1800
authdoctor_refresh_token_lifetime_seconds{tenant="globex"} 1800
# HELP authdoctor_tenant_up Whether every check of the tenant passed in the last round (warnings allowed).
# TYPE authdoctor_tenant_up gauge
authdoctor_tenant_up{tenant="acme"} 1
authdoctor_tenant_up{tenant="globex"} 0
authdoctor_tenant_up{tenant="weird"} 0
`
	names := []string{"authdoctor_check_success", "authdoctor_last_failure_info", "authdoctor_tls_certificate_expiry_timestamp_seconds",
		"authdoctor_access_token_lifetime_seconds", "authdoctor_refresh_token_lifetime_seconds", "authdoctor_tenant_up"}
	if err := testutil.GatherAndCompare(s.Registry(), strings.NewReader(want), names...); err != nil {
		t.Error(err)
	}
	if n := testutil.CollectAndCount(s.m.duration); n != 4 {
		t.Errorf("duration histograms for %d checks, want 4 (one per check id: tls, credentials, roles, realm)", n)
	}

	// Scraped over HTTP, and the reports are served.
	code, body := get(t, srv.URL+"/metrics")
	if code != http.StatusOK || !strings.Contains(body, "authdoctor_rounds_total 1") {
		t.Errorf("/metrics: %d\n%s", code, body)
	}
	for path, want := range map[string]string{"/report.json": `"kind": "tenants"`, "/report.md": "## By code", "/healthz": "ok: 1 rounds"} {
		if code, body := get(t, srv.URL+path); code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("%s: %d %q", path, code, body)
		}
	}

	// A fixed tenant's failure series goes away with the next round.
	fixed := testMatrix()
	fixed.Tenants = fixed.Tenants[:1]
	s.record(fixed, time.Second)
	if n := testutil.CollectAndCount(s.m.failure); n != 0 {
		t.Errorf("%d failure series after every tenant passed", n)
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Rounds never overlap, wait for the interval between starts, and stop
// with the context.
func TestRunScheduling(t *testing.T) {
	var running, overlaps, rounds atomic.Int32
	var mu sync.Mutex
	var starts []time.Time
	round := func(ctx context.Context) report.Matrix {
		if running.Add(1) > 1 {
			overlaps.Add(1)
		}
		defer running.Add(-1)
		mu.Lock()
		starts = append(starts, time.Now())
		mu.Unlock()
		rounds.Add(1)
		time.Sleep(5 * time.Millisecond)
		return testMatrix()
	}
	const interval = 40 * time.Millisecond
	s := New(round, render, interval)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.Run(ctx) }()
	time.Sleep(150 * time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Run did not stop after the context ended")
	}
	if overlaps.Load() != 0 {
		t.Error("two rounds ran at once")
	}
	if n := rounds.Load(); n < 2 {
		t.Errorf("%d rounds in 150 ms at a 40 ms interval", n)
	}
	mu.Lock()
	defer mu.Unlock()
	for i := 1; i < len(starts); i++ {
		if d := starts[i].Sub(starts[i-1]); d < interval {
			t.Errorf("round %d started %v after the previous one, less than the interval", i, d)
		}
	}
}
