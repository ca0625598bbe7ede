package checks

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/report"
)

// A GraphQL server whose clock is ahead and that refuses the token as
// expired: the clock check quotes the refusal and judges it against the
// token's lifetime (iat to exp), and the graphql check marks its refusal
// as the clock's consequence only when the clock check explains it.
func TestGraphQLClockRefusal(t *testing.T) {
	const refusal = "Could not verify JWT: JWTExpired"
	for _, tc := range []struct {
		name        string
		ahead       time.Duration // the GraphQL server's Date minus this machine's clock
		clock       *codes.Code
		clockText   string
		consequence bool // the graphql result is marked as CLOCK_SKEW's consequence
	}{
		{name: "10 min ahead: explained", ahead: 10 * time.Minute, clock: codes.ClockSkew,
			clockText: `the GraphQL server refused the fresh token as expired ("` + refusal + `")`, consequence: true},
		// 5 s is far from the token's lifetime: the clock is off, but
		// something else expired the token.
		{name: "5 s ahead: not explained", ahead: 5 * time.Second, clock: codes.ClockSkewSmall,
			clockText: `the GraphQL server refused the token ("` + refusal + `"), which the measured clocks do not explain`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := startSandbox(t, func(w http.ResponseWriter, r *http.Request, _ http.Handler) bool {
				if !strings.HasSuffix(r.URL.Path, "/v1/graphql") {
					return false
				}
				w.Header().Set("Date", time.Now().Add(tc.ahead).UTC().Format(http.TimeFormat))
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"errors":[{"extensions":{"path":"$","code":"invalid-jwt"},"message":"` + refusal + `"}]}`))
				return true
			})
			rep := diagnose(t, userConfig(base, "admin-portal", "ana", anaPassword))
			clock := resultOf(t, rep, codes.CheckClock)
			if clock.Code != tc.clock.ID || !strings.Contains(clock.Message, tc.clockText) {
				t.Fatalf("clock: %s %s", clock.Code, clock.Message)
			}
			if clock.Details["graphql_rejection"] != refusal {
				t.Errorf("clock details %v", clock.Details)
			}
			gq := resultOf(t, rep, codes.CheckGraphQL)
			if gq.Status != report.Fail || gq.Code != codes.GraphQLRejected.ID {
				t.Fatalf("graphql: %s %s %s", gq.Status, gq.Code, gq.Message)
			}
			if got := gq.ConsequenceOf != nil && gq.ConsequenceOf.Code == codes.ClockSkew.ID; got != tc.consequence {
				t.Errorf("graphql consequence of %+v, want CLOCK_SKEW: %v", gq.ConsequenceOf, tc.consequence)
			}
		})
	}
}

// Hasura denies a role, the claims already show the refusal and the admin
// API traces it (the hasura-role-not-assigned and hasura-mapper-missing-role
// scenarios): the graphql check's denial is the consequence of the claims
// check's traced finding, not a second cause.
func TestGraphQLDeniedTracedIsClaimsConsequence(t *testing.T) {
	base := startSandbox(t, nil)
	for _, tc := range []struct {
		scenario string
		cause    *codes.Code
	}{
		{"hasura-role-not-assigned", codes.RoleNotAssigned},
		{"hasura-mapper-missing-role", codes.RoleNotInToken},
	} {
		t.Run(tc.scenario, func(t *testing.T) {
			rep := diagnose(t, scenarioConfig(t, base, scenarioNamed(t, tc.scenario)))
			expect(t, rep, codes.CheckClaims, report.Fail, tc.cause)
			gq := resultOf(t, rep, codes.CheckGraphQL)
			if gq.Status != report.Fail || gq.Code != codes.GraphQLDenied.ID {
				t.Fatalf("graphql: %s %s %s", gq.Status, gq.Code, gq.Message)
			}
			if c := gq.ConsequenceOf; c == nil || c.Check != string(codes.CheckClaims) || c.Code != tc.cause.ID {
				t.Errorf("graphql consequence of %+v, want claims %s", c, tc.cause.ID)
			}
		})
	}
}
