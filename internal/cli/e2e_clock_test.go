package cli

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/fixtures"
)

// clockReport is what the clock tests read from the JSON report beyond
// jsonReport: the measured offsets and the consequence marks.
type clockReport struct {
	ExitReason string `json:"exit_reason"`
	Checks     []struct {
		ID            string `json:"id"`
		Code          string `json:"code"`
		Status        string `json:"status"`
		ConsequenceOf *struct {
			Check, Code string
		} `json:"consequence_of"`
		Details struct {
			Keycloak *struct {
				Offset float64 `json:"offset_seconds"`
				Error  float64 `json:"error_seconds"`
				Source string  `json:"source"`
			} `json:"keycloak_clock"`
			GraphQL *struct {
				Offset float64 `json:"offset_seconds"`
				Error  float64 `json:"error_seconds"`
				Source string  `json:"source"`
			} `json:"graphql_clock"`
			Rejection string `json:"graphql_rejection"`
		} `json:"details"`
	} `json:"checks"`
}

// The clock scenarios end to end: CLOCK_SKEW names the clock that is off
// and by how much, with the GraphQL server's (or this machine's) verdict
// on the token as its evidence, and the failing checks marked as its
// consequences; the first failing line of the table is the clock's.
func TestClockScenarios(t *testing.T) {
	for _, tc := range []struct {
		scenario     string
		text         []string // in the clock check's message
		keycloakOff  float64  // measured offsets from this machine's clock, seconds
		graphqlOff   float64
		consequences map[string]string // check → its own code, marked as CLOCK_SKEW's consequence
		rejection    string
	}{
		{scenario: "graphql-clock-behind", text: []string{"the GraphQL server's clock is off: ", " s (±", ") behind Keycloak's and this machine's", "as issued in the future"}, // 29 to 31 s: a measurement with its error (the details' offsets are checked below)
			graphqlOff: -30, consequences: map[string]string{"graphql": "GRAPHQL_TOKEN_REJECTED"}, rejection: "Could not verify JWT: JWTIssuedAtFuture"},
		{scenario: "graphql-clock-ahead", text: []string{"the GraphQL server's clock is off: 10m0s (±", ") ahead of Keycloak's and this machine's", "as expired"},
			graphqlOff: 600, consequences: map[string]string{"graphql": "GRAPHQL_TOKEN_REJECTED"}, rejection: "Could not verify JWT: JWTExpired"},
		{scenario: "keycloak-clock-behind", text: []string{"Keycloak's clock is off: 10m0s (±", ") behind the GraphQL server's and this machine's", "as expired"},
			keycloakOff: -600, consequences: map[string]string{"graphql": "GRAPHQL_TOKEN_REJECTED", "roles": "TOKEN_INVALID"}, rejection: "Could not verify JWT: JWTExpired"},
		{scenario: "this-machine-clock-ahead", text: []string{"this machine's clock is off: 10m0s (±", ") ahead of Keycloak's and the GraphQL server's", "this machine sees the fresh token as expired"},
			keycloakOff: -600, graphqlOff: -600, consequences: map[string]string{"roles": "TOKEN_INVALID"}},
		{scenario: "graphql-clock-drift", text: []string{"the GraphQL server's clock is off: ", " s (±", ") ahead of Keycloak's and this machine's", "the token still passed, but the GraphQL server expires every token "},
			graphqlOff: 5},
	} {
		t.Run(tc.scenario, func(t *testing.T) {
			sc := scenarioNamed(t, tc.scenario)
			srv := startSandbox(t, sc.Options())
			rep, run := checkJSON(t, srv.env(sc.Env), sc.Args...)
			assertDiagnosis(t, rep, sc.WantCheck, sc.WantStatus, sc.WantCode)
			_, _, msg, _ := rep.check(t, "clock")
			for _, want := range tc.text {
				if !strings.Contains(msg, want) {
					t.Errorf("clock message lacks %q:\n%s", want, msg)
				}
			}
			var doc clockReport
			if err := json.Unmarshal([]byte(run.stdout), &doc); err != nil {
				t.Fatal(err)
			}
			for _, c := range doc.Checks {
				if c.ID == "clock" {
					k, g := c.Details.Keycloak, c.Details.GraphQL
					if k == nil || g == nil || math.Abs(k.Offset-tc.keycloakOff) > 1.5 || math.Abs(g.Offset-tc.graphqlOff) > 1.5 || k.Error > 1.5 || g.Error > 1.5 {
						t.Errorf("offsets %+v %+v, want %v and %v seconds", k, g, tc.keycloakOff, tc.graphqlOff)
					}
					if k != nil && (k.Source != "token iat" || g.Source != "Date header") {
						t.Errorf("sources %s, %s", k.Source, g.Source)
					}
					if c.Details.Rejection != tc.rejection {
						t.Errorf("rejection %q, want %q", c.Details.Rejection, tc.rejection)
					}
					continue
				}
				own, marked := tc.consequences[c.ID]
				switch {
				case marked && (c.Code != own || c.ConsequenceOf == nil || c.ConsequenceOf.Check != "clock" || c.ConsequenceOf.Code != "CLOCK_SKEW"):
					t.Errorf("%s: %s %s, consequence of %+v; want %s as CLOCK_SKEW's consequence", c.ID, c.Status, c.Code, c.ConsequenceOf, own)
				case !marked && c.Status == "fail":
					t.Errorf("%s failed too: %s", c.ID, c.Code)
				}
			}
			if sc.WantStatus == "fail" {
				if run.code != exitFailed || !strings.HasPrefix(doc.ExitReason, "1 cause: CLOCK_SKEW (clock)") {
					t.Errorf("exit %d, reason %q", run.code, doc.ExitReason)
				}
				// The table's first failing line names the clock.
				table := runCLI(t, srv.env(sc.Env), append([]string{"check"}, sc.Args...)...)
				for _, line := range strings.Split(table.stdout, "\n") {
					if strings.Contains(line, "FAIL") {
						if !strings.Contains(line, "clock") || !strings.Contains(line, "CLOCK_SKEW") {
							t.Errorf("first failing line: %q\n%s", line, table.stdout)
						}
						break
					}
				}
			} else if run.code != exitOK {
				t.Errorf("a warning alone: exit %d", run.code)
			}
		})
	}
}

// Hasura's allowed_skew tolerates a GraphQL clock behind Keycloak's: the
// token passes, and the difference is the warning.
func TestClockSkewAllowedByHasura(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{HasuraClockSkew: -5 * time.Second, HasuraAllowedSkew: 10 * time.Second})
	rep, run := checkJSON(t, srv.env(anaEnv()))
	assertDiagnosis(t, rep, "clock", "warn", "CLOCK_SKEW_SMALL")
	assertDiagnosis(t, rep, "graphql", "pass", "")
	if _, _, msg, _ := rep.check(t, "clock"); !strings.Contains(msg, "the GraphQL server's clock is off: ") || !strings.Contains(msg, ") behind Keycloak's") || !strings.Contains(msg, "allowed_skew") {
		t.Errorf("message %s", msg)
	}
	if run.code != exitOK {
		t.Errorf("exit %d", run.code)
	}
	// Without the allowance the same clock refuses the token.
	srv = startSandbox(t, fixtures.Options{HasuraClockSkew: -5 * time.Second})
	rep, _ = checkJSON(t, srv.env(anaEnv()))
	assertDiagnosis(t, rep, "clock", "fail", "CLOCK_SKEW")
}

// A healthy run: the clocks agree, and say how closely.
func TestClocksAgree(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	rep, _ := checkJSON(t, srv.env(anaEnv()))
	assertDiagnosis(t, rep, "clock", "pass", "")
	if _, _, msg, _ := rep.check(t, "clock"); !strings.Contains(msg, "Keycloak's clock (token iat) is within ") || !strings.Contains(msg, "the GraphQL server's (Date header) within ") {
		t.Errorf("message %s", msg)
	}
}
