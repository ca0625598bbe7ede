package report

import (
	"slices"
	"testing"
)

// TestDecide: the exit code, the root causes and the policy failures from
// the checks and the policy.
func TestDecide(t *testing.T) {
	realm := &Cause{Check: "realm", Code: "REALM_NOT_FOUND"}
	tests := []struct {
		name       string
		checks     []CheckResult
		failOn     []Status
		wantExit   int
		wantRoots  []Cause
		wantCons   int
		wantPolicy []string
		wantReason string
	}{
		{name: "all pass", checks: []CheckResult{{ID: "tls", Status: Pass}}, wantExit: 0},
		{name: "a warning passes by default",
			checks:   []CheckResult{{ID: "tls", Status: Warn, Code: "TLS_EXPIRING"}},
			wantExit: 0},
		{name: "a warning fails under --fail-on warn",
			checks: []CheckResult{{ID: "tls", Status: Warn, Code: "TLS_EXPIRING"}}, failOn: []Status{Warn},
			wantExit: 1, wantPolicy: []string{"tls"}, wantReason: "--fail-on warn: tls warned (TLS_EXPIRING)"},
		{name: "a skip fails under --fail-on skip, naming its reason",
			checks: []CheckResult{{ID: "tls", Status: Pass}, {ID: "graphql", Status: Skip, Message: "GRAPHQL_URL not set: the GraphQL API was not checked"}},
			failOn: []Status{Warn, Skip}, wantExit: 1, wantPolicy: []string{"graphql"}, wantReason: "--fail-on skip: graphql skipped (GRAPHQL_URL not set)"},
		{name: "one cause, its consequences are no policy failures",
			checks: []CheckResult{
				{ID: "realm", Status: Fail, Code: "REALM_NOT_FOUND"},
				{ID: "credentials", Status: Skip, ConsequenceOf: realm},
				{ID: "graphql", Status: Skip, ConsequenceOf: realm},
			},
			failOn: []Status{Skip}, wantExit: 1, wantRoots: []Cause{*realm}, wantCons: 2,
			wantReason: "1 cause: REALM_NOT_FOUND (realm); 2 consequences"},
		{name: "a warning that explains a failure is a root cause",
			checks: []CheckResult{
				{ID: "clock", Status: Warn, Code: "CLOCK_SKEW"},
				{ID: "graphql", Status: Fail, Code: "GRAPHQL_TOKEN_REJECTED", ConsequenceOf: &Cause{Check: "clock", Code: "CLOCK_SKEW"}},
			},
			wantExit: 1, wantRoots: []Cause{{Check: "clock", Code: "CLOCK_SKEW"}}, wantCons: 1,
			wantReason: "1 cause: CLOCK_SKEW (clock); 1 consequence"},
		{name: "two causes",
			checks:   []CheckResult{{ID: "roles", Status: Fail, Code: "MISSING_ROLE"}, {ID: "graphql", Status: Fail, Code: "GRAPHQL_ACCESS_DENIED"}},
			wantExit: 1, wantRoots: []Cause{{"roles", "MISSING_ROLE"}, {"graphql", "GRAPHQL_ACCESS_DENIED"}},
			wantReason: "2 causes: MISSING_ROLE (roles), GRAPHQL_ACCESS_DENIED (graphql)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Report{Checks: tt.checks, Policy: Policy{FailOn: tt.failOn}}
			r.Decide()
			if r.ExitCode != tt.wantExit || r.ExitReason != tt.wantReason {
				t.Errorf("exit %d %q, want %d %q", r.ExitCode, r.ExitReason, tt.wantExit, tt.wantReason)
			}
			if !slices.Equal(r.Summary.RootCauses, tt.wantRoots) || r.Summary.Consequences != tt.wantCons {
				t.Errorf("roots %v (%d consequences), want %v (%d)", r.Summary.RootCauses, r.Summary.Consequences, tt.wantRoots, tt.wantCons)
			}
			if !slices.Equal(r.Summary.PolicyFailures, tt.wantPolicy) || r.FailedByPolicy() != (len(tt.wantPolicy) > 0) {
				t.Errorf("policy failures %v, want %v", r.Summary.PolicyFailures, tt.wantPolicy)
			}
		})
	}
}
