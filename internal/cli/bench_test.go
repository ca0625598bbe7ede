package cli

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/internal/iostreams"
)

// BenchmarkCheckLatency runs the whole `check` against a sandbox that waits
// L before every answer. The critical path is two dependent answers (the
// realm info, discovery and the token request together, then JWKS, GraphQL
// and refresh together), so the target is a wall time within 1.15 × 2L; the
// ratio is reported as the "x2L" metric (1.00 = the protocol's floor).
//
// It runs twice: over plain HTTP/1.1, where parallel requests need parallel
// connections, and over TLS with HTTP/2, where they share one connection.
func BenchmarkCheckLatency(b *testing.B) {
	const latency = 50 * time.Millisecond
	sb := newSandbox(b, fixtures.Options{Latency: latency})
	args := []string{"authdoctor", "check", "-o", "short", "--require-role", "admin-user", "--require-field", "get_upload_url"}

	b.Run("http1", func(b *testing.B) {
		srv := httptest.NewServer(sb.Handler())
		defer srv.Close()
		benchCheck(b, latency, sandboxEnv(srv.URL), args)
	})
	b.Run("https-h2", func(b *testing.B) {
		s := serveTLS(b, sb.Handler(), []string{"sso.test"}, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0), nil)
		tlsArgs := append(args, "--ca-file", s.caFile, "--resolve", s.resolve("sso.test"))
		benchCheck(b, latency, sandboxEnv("https://sso.test:"+s.port), tlsArgs)
	})
}

func sandboxEnv(base string) map[string]string {
	return withEnv(anaEnv(), "KEYCLOAK_URL", base, "GRAPHQL_URL", base+"/v1/graphql")
}

func benchCheck(b *testing.B, latency time.Duration, env map[string]string, args []string) {
	// One untimed run first: the sandbox makes its realm's encryption key
	// on the first JWKS request (an RSA generation, up to seconds on a
	// busy machine), which is the sandbox's set-up, not a run's time.
	var warm bytes.Buffer
	if code := newApp(iostreams.Streams{In: strings.NewReader(""), Out: &warm, ErrOut: &warm}, env, b.TempDir()).execute(context.Background(), args); code != exitOK {
		b.Fatalf("warm-up exit %d: %s", code, warm.String())
	}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		var out bytes.Buffer
		a := newApp(iostreams.Streams{In: strings.NewReader(""), Out: &out, ErrOut: &out}, env, b.TempDir())
		if code := a.execute(context.Background(), args); code != exitOK {
			b.Fatalf("exit %d: %s", code, out.String())
		}
	}
	perRun := time.Since(start) / time.Duration(b.N)
	b.ReportMetric(float64(perRun)/float64(2*latency), "x2L")
}
