package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/report"
)

// BenchmarkCheckLatency runs the whole `check` against a sandbox that waits
// L before every answer. The critical path is three dependent answers
// (realm + discovery together, the token, then JWKS, GraphQL and refresh
// together), so the target is a wall time within 1.3 × 3L; the ratio is
// reported as the "x3L" metric (1.00 = the protocol's floor).
func BenchmarkCheckLatency(b *testing.B) {
	const latency = 50 * time.Millisecond
	sb, err := fixtures.New(fixtures.Options{Latency: latency})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	env := map[string]string{
		"KEYCLOAK_URL": srv.URL, "GRAPHQL_URL": srv.URL + "/v1/graphql", "TENANT_ID": fixtures.TenantID,
		"CLIENT_ID": "admin-portal", "USERNAME": "ana", "PASSWORD": "ana-sandbox-Pass-1",
	}
	args := []string{"authdoctor", "check", "-o", "short", "--require-role", "admin-user", "--require-field", "get_upload_url"}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		var out bytes.Buffer
		a := newApp(report.Streams{In: strings.NewReader(""), Out: &out, ErrOut: &out}, env, b.TempDir())
		if code := a.run(context.Background(), args); code != exitOK {
			b.Fatalf("exit %d: %s", code, out.String())
		}
	}
	perRun := time.Since(start) / time.Duration(b.N)
	b.ReportMetric(float64(perRun)/float64(3*latency), "x3L")
}
