// Package serve is `authdoctor serve`: it runs the checks on a schedule and
// exposes the outcome as Prometheus metrics (a private registry, nothing
// global), the last report as JSON and Markdown, and a health endpoint.
package serve

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/report"
)

// Round runs the checks once (every tenant) and returns the matrix.
type Round func(ctx context.Context) report.Matrix

// Render writes the matrix in a format, already scrubbed of secrets.
type Render func(f report.Format, m report.Matrix) ([]byte, error)

// Server holds the metrics and the last report.
type Server struct {
	round    Round
	render   Render
	interval time.Duration
	now      func() time.Time
	reg      *prometheus.Registry
	m        metrics

	mu       sync.RWMutex
	json, md []byte // the last round's report; nil before the first
	rounds   int
}

type metrics struct {
	success     *prometheus.GaugeVec     // tenant, check: 1 pass or warn, 0 fail or skip
	tenantUp    *prometheus.GaugeVec     // tenant: 1 when no check failed
	failure     *prometheus.GaugeVec     // tenant, check, code: 1 for the tenant's current leading failure
	duration    *prometheus.HistogramVec // check
	certExpiry  *prometheus.GaugeVec     // host
	accessLife  *prometheus.GaugeVec     // tenant
	refreshLife *prometheus.GaugeVec     // tenant
	lastRound   prometheus.Gauge
	roundDur    prometheus.Histogram
	rounds      prometheus.Counter
}

// New builds a server that runs round every interval.
func New(round Round, render Render, interval time.Duration) *Server {
	reg := prometheus.NewRegistry()
	f := func(c prometheus.Collector) { reg.MustRegister(c) }
	m := metrics{
		success: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "authdoctor_check_success",
			Help: "Whether the check passed in the last round (1: pass or warning; 0: failed, or skipped after a failure)."}, []string{"tenant", "check"}),
		tenantUp: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "authdoctor_tenant_up",
			Help: "Whether every check of the tenant passed in the last round (warnings allowed)."}, []string{"tenant"}),
		failure: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "authdoctor_last_failure_info",
			Help: "The code of the tenant's leading failure in the last round (always 1; codes come from authdoctor's registry)."}, []string{"tenant", "check", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "authdoctor_check_duration_seconds",
			Help: "How long each check took, over all tenants and rounds.", Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}, []string{"check"}),
		certExpiry: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "authdoctor_tls_certificate_expiry_timestamp_seconds",
			Help: "When the TLS certificate of the host (Keycloak or GraphQL) expires, in Unix seconds."}, []string{"host"}),
		accessLife: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "authdoctor_access_token_lifetime_seconds",
			Help: "Lifetime of the access token Keycloak issued (expires_in) in the last round."}, []string{"tenant"}),
		refreshLife: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "authdoctor_refresh_token_lifetime_seconds",
			Help: "Lifetime of the refresh token Keycloak issued (refresh_expires_in; 0: no fixed expiry) in the last round."}, []string{"tenant"}),
		lastRound: prometheus.NewGauge(prometheus.GaugeOpts{Name: "authdoctor_last_round_timestamp_seconds",
			Help: "When the last round of checks ended, in Unix seconds."}),
		roundDur: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "authdoctor_round_duration_seconds",
			Help: "How long a whole round (every tenant) took.", Buckets: prometheus.ExponentialBuckets(0.1, 2, 12)}),
		rounds: prometheus.NewCounter(prometheus.CounterOpts{Name: "authdoctor_rounds_total", Help: "Rounds of checks run."}),
	}
	for _, c := range []prometheus.Collector{m.success, m.tenantUp, m.failure, m.duration, m.certExpiry, m.accessLife, m.refreshLife, m.lastRound, m.roundDur, m.rounds} {
		f(c)
	}
	return &Server{round: round, render: render, interval: interval, now: time.Now, reg: reg, m: m}
}

// Registry is the server's private registry (tests lint it).
func (s *Server) Registry() *prometheus.Registry { return s.reg }

// Run runs a round at once, then one every interval, one at a time, until
// ctx ends. Rounds never overlap: the next starts interval after the
// previous one started, or when it ends if it took longer, so a tenant's
// password is never sent more often than once per interval.
func (s *Server) Run(ctx context.Context) {
	for {
		start := time.Now()
		m := s.round(ctx)
		if ctx.Err() != nil {
			return // a round cut short by the stop is not a finding
		}
		s.record(m, time.Since(start))
		wait := time.NewTimer(max(0, s.interval-time.Since(start)))
		select {
		case <-ctx.Done():
			wait.Stop()
			return
		case <-wait.C:
		}
	}
}

// record turns a round's matrix into the metrics and the served reports.
func (s *Server) record(m report.Matrix, took time.Duration) {
	// Series of tenants, codes and hosts of earlier rounds must not linger:
	// a fixed failure would otherwise keep alerting.
	for _, v := range []*prometheus.GaugeVec{s.m.success, s.m.tenantUp, s.m.failure, s.m.certExpiry, s.m.accessLife, s.m.refreshLife} {
		v.Reset()
	}
	for _, t := range m.Tenants {
		up := 1.0
		var lead *report.CheckResult
		for i, c := range t.Report.Checks {
			ok := 0.0
			if c.Status == report.Pass || c.Status == report.Warn {
				ok = 1
			}
			if c.Status == report.Fail {
				up = 0
				if lead == nil {
					lead = &t.Report.Checks[i]
				}
			}
			s.m.success.WithLabelValues(t.Tenant, c.ID).Set(ok)
			if c.Status != report.Skip {
				s.m.duration.WithLabelValues(c.ID).Observe(c.Duration.Seconds())
			}
			s.recordDetails(t.Tenant, c)
		}
		s.m.tenantUp.WithLabelValues(t.Tenant).Set(up)
		if lead != nil {
			s.m.failure.WithLabelValues(t.Tenant, lead.ID, boundedCode(lead.Code)).Set(1)
		}
	}
	s.m.lastRound.Set(float64(s.now().Unix()))
	s.m.roundDur.Observe(took.Seconds())
	s.m.rounds.Inc()

	js, jerr := s.render(report.FormatJSON, m)
	md, merr := s.render(report.FormatMarkdown, m)
	s.mu.Lock()
	defer s.mu.Unlock()
	if jerr == nil && merr == nil {
		s.json, s.md = js, md
	}
	s.rounds++
}

// boundedCode keeps the label's values to the registry's codes: anything
// else (there should be nothing else) is "OTHER", so no server text can
// become a label value.
func boundedCode(code string) string {
	if code == "" {
		return "NONE"
	}
	if _, ok := codes.Lookup(code); ok {
		return code
	}
	return "OTHER"
}

// recordDetails reads the certificate expiry and the token lifetimes from
// the checks' evidence.
func (s *Server) recordDetails(tenant string, c report.CheckResult) {
	switch c.ID {
	case "tls":
		for _, side := range []string{"keycloak", "graphql"} {
			d, _ := c.Details[side].(map[string]any)
			notAfter, _ := d["not_after"].(string)
			host, _ := d["address"].(string)
			if t, err := time.Parse(time.RFC3339, notAfter); err == nil && host != "" {
				s.m.certExpiry.WithLabelValues(host).Set(float64(t.Unix()))
			}
		}
	case "credentials":
		if v, ok := seconds(c.Details["expires_in"]); ok {
			s.m.accessLife.WithLabelValues(tenant).Set(v)
		}
		if v, ok := seconds(c.Details["refresh_expires_in"]); ok {
			s.m.refreshLife.WithLabelValues(tenant).Set(v)
		}
	}
}

func seconds(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

// Handler serves /metrics, /report.json, /report.md and /healthz.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{Registry: s.reg}))
	mux.HandleFunc("GET /report.json", s.serveReport(func() []byte { return s.json }, "application/json"))
	mux.HandleFunc("GET /report.md", s.serveReport(func() []byte { return s.md }, "text/markdown; charset=utf-8"))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		// Healthy means serving: a failing Keycloak is in the metrics,
		// not a reason for an orchestrator to restart the probe.
		s.mu.RLock()
		n := s.rounds
		s.mu.RUnlock()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "ok: %d rounds\n", n)
	})
	return mux
}

func (s *Server) serveReport(body func() []byte, contentType string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		s.mu.RLock()
		b := body()
		s.mu.RUnlock()
		if b == nil {
			http.Error(w, "no round has finished yet", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", contentType)
		_, _ = bytes.NewReader(b).WriteTo(w)
	}
}
