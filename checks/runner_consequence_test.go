package checks

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/report"
)

// TestRunnerMarksConsequences: a check skipped because a check it needs
// failed, or run Under one that failed, is marked as a consequence of the
// root cause (followed through skipped checks); a check's own Because mark
// is kept only when the cause check reported exactly that code.
func TestRunnerMarksConsequences(t *testing.T) {
	realmGone := found(codes.RealmNotFound, "404")
	cause := func(check, code string) *report.Cause { return &report.Cause{Check: check, Code: code} }
	tests := []struct {
		name   string
		checks []Check
		want   map[codes.CheckID]*report.Cause // nil: no mark
	}{
		{
			name: "skips follow the root through skipped checks",
			checks: []Check{
				stub("realm", nil, realmGone, 0),
				{ID: "credentials", Title: "c", Under: []codes.CheckID{"realm"}, Func: func(context.Context, *Facts) Result { return found(codes.RealmNotFound, "404 too") }},
				stub("roles", []codes.CheckID{"realm", "credentials"}, pass("never", nil), 0),
				stub("graphql", []codes.CheckID{"credentials"}, pass("never", nil), 0),
			},
			want: map[codes.CheckID]*report.Cause{
				"realm": nil, "credentials": cause("realm", "REALM_NOT_FOUND"),
				"roles": cause("realm", "REALM_NOT_FOUND"), "graphql": cause("realm", "REALM_NOT_FOUND"),
			},
		},
		{
			name: "a check's own mark, confirmed",
			checks: []Check{
				stub("clock", nil, found(codes.Timeout, "clock off"), 0),
				stub("graphql", nil, found(codes.InternalError, "rejected").Because("clock", codes.Timeout), 0),
			},
			want: map[codes.CheckID]*report.Cause{"clock": nil, "graphql": cause("clock", "TIMEOUT")},
		},
		{
			name: "a mark naming a code the cause did not report is dropped",
			checks: []Check{
				stub("clock", nil, pass("clocks agree", nil), 0),
				stub("graphql", nil, found(codes.InternalError, "rejected").Because("clock", codes.Timeout), 0),
			},
			want: map[codes.CheckID]*report.Cause{"clock": nil, "graphql": nil},
		},
		{
			name: "a mark naming a check not in the run is dropped",
			checks: []Check{
				stub("graphql", nil, found(codes.InternalError, "rejected").Because("clock", codes.Timeout), 0),
			},
			want: map[codes.CheckID]*report.Cause{"graphql": nil},
		},
		{
			name: "a mark points at the root when its cause is a consequence",
			checks: []Check{
				stub("realm", nil, realmGone, 0),
				{ID: "clock", Title: "clock", Under: []codes.CheckID{"realm"}, Func: func(context.Context, *Facts) Result { return found(codes.Timeout, "skew") }},
				stub("graphql", nil, found(codes.InternalError, "rejected").Because("clock", codes.Timeout), 0),
			},
			// clock became a skip (Under realm): it reported no code, so the mark is dropped.
			want: map[codes.CheckID]*report.Cause{"realm": nil, "clock": cause("realm", "REALM_NOT_FOUND"), "graphql": nil},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := (&Runner{Checks: tt.checks}).Run(context.Background(), &Facts{})
			for _, r := range got {
				want := tt.want[codes.CheckID(r.ID)]
				switch {
				case want == nil && r.ConsequenceOf != nil:
					t.Errorf("%s: consequence of %+v, want none", r.ID, *r.ConsequenceOf)
				case want != nil && (r.ConsequenceOf == nil || *r.ConsequenceOf != *want):
					t.Errorf("%s: consequence of %+v, want %+v", r.ID, r.ConsequenceOf, *want)
				}
			}
		})
	}
}

// TestFactsOutcome: a check reads another's outcome, waiting for it; outside
// a runner, or for a check not in the run, there is none.
func TestFactsOutcome(t *testing.T) {
	if s, c := (&Facts{}).Outcome("clock"); s != "" || c != nil {
		t.Fatalf("outside a runner: %q %v", s, c)
	}
	var seen report.Status
	var seenCode *codes.Code
	var absent report.Status = "unset"
	checks := []Check{
		stub("clock", nil, found(codes.Timeout, "skew"), 0),
		{ID: "graphql", Title: "graphql", Func: func(_ context.Context, f *Facts) Result {
			seen, seenCode = f.Outcome("clock")
			absent, _ = f.Outcome("claims")
			return pass("ok", nil)
		}},
	}
	(&Runner{Checks: checks}).Run(context.Background(), &Facts{})
	if seen != report.Fail || seenCode != codes.Timeout || absent != "" {
		t.Fatalf("Outcome: clock %q %v, claims %q", seen, seenCode, absent)
	}
}

// TestRunnerUnsetAndOmitted: a check whose setting is missing is skipped
// with that reason at once, whatever its needs did (and is nobody's
// consequence); a check needing one that --skip left out names --skip.
func TestRunnerUnsetAndOmitted(t *testing.T) {
	checks := []Check{
		stub("credentials", nil, found(codes.Timeout, "boom"), 0),
		{ID: "graphql", Title: "graphql", Needs: []codes.CheckID{"credentials"}, Unset: func(*Config) string { return "GRAPHQL_URL not set" },
			Func: func(context.Context, *Facts) Result { t.Error("graphql ran"); return pass("", nil) }},
		stub("roles", []codes.CheckID{"realm"}, pass("never", nil), 0),
	}
	got := (&Runner{Checks: checks, Omitted: map[codes.CheckID]string{"realm": "--skip realm"}}).Run(context.Background(), &Facts{Config: &Config{}})
	if g := got[1]; g.Status != report.Skip || g.Message != "GRAPHQL_URL not set" || g.ConsequenceOf != nil {
		t.Errorf("graphql: %s %q %+v", g.Status, g.Message, g.ConsequenceOf)
	}
	if r := got[2]; r.Status != report.Skip || r.Message != "skipped because --skip realm" || r.ConsequenceOf != nil {
		t.Errorf("roles: %s %q %+v", r.Status, r.Message, r.ConsequenceOf)
	}
}

// TestPlanFor: --only runs the chosen checks and what they need (or run
// Under), reported as prerequisites; --skip leaves checks out, naming
// itself in the reason of those that need them.
func TestPlanFor(t *testing.T) {
	tests := []struct {
		name          string
		only, skip    []codes.CheckID
		want, prereqs []codes.CheckID
		omitted       []codes.CheckID
	}{
		{"everything", nil, nil, IDs(CatalogFor(&Config{})), nil, nil},
		// tls and credentials are Needs; credentials runs Under realm.
		{"only graphql pulls in what it rests on", []codes.CheckID{codes.CheckGraphQL}, nil,
			[]codes.CheckID{codes.CheckTLS, codes.CheckRealm, codes.CheckCredentials, codes.CheckGraphQL},
			[]codes.CheckID{codes.CheckTLS, codes.CheckRealm, codes.CheckCredentials}, nil},
		{"only tls", []codes.CheckID{codes.CheckTLS}, nil, []codes.CheckID{codes.CheckTLS}, nil, nil},
		{"skip graphql", nil, []codes.CheckID{codes.CheckGraphQL},
			slices.DeleteFunc(IDs(CatalogFor(&Config{})), func(id codes.CheckID) bool { return id == codes.CheckGraphQL }), nil,
			[]codes.CheckID{codes.CheckGraphQL}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := PlanFor(&Config{Only: tt.only, Skip: tt.skip})
			// Checks other helpers add (claims, clock) may rest on these too:
			// the chosen ones and their prerequisites must be there, in order.
			got := IDs(p.Checks)
			if len(tt.only) == 0 && !slices.Equal(got, tt.want) {
				t.Errorf("plan %v, want %v", got, tt.want)
			}
			for _, id := range tt.want {
				if !slices.Contains(got, id) {
					t.Errorf("plan %v lacks %s", got, id)
				}
			}
			if len(tt.only) == 0 && len(p.Prerequisites) > 0 {
				t.Errorf("prerequisites %v without --only", p.Prerequisites)
			}
			for _, id := range tt.prereqs {
				if !slices.Contains(p.Prerequisites, id) {
					t.Errorf("prerequisites %v lack %s", p.Prerequisites, id)
				}
			}
			for _, id := range tt.only {
				if slices.Contains(p.Prerequisites, id) {
					t.Errorf("prerequisites %v include the chosen %s", p.Prerequisites, id)
				}
			}
			for _, id := range tt.omitted {
				if p.Omitted[id] != "--skip "+string(id) {
					t.Errorf("omitted %v, want %s", p.Omitted, id)
				}
			}
		})
	}
}

func TestValidateSelection(t *testing.T) {
	unknown := func(flag string, id codes.CheckID) error { return &selectionErr{flag + " " + string(id)} }
	tests := []struct {
		name       string
		only, skip []codes.CheckID
		want       string // "" for no error
	}{
		{"known", []codes.CheckID{"graphql"}, []codes.CheckID{"refresh"}, ""},
		{"unknown only", []codes.CheckID{"grapql"}, nil, "--only grapql"},
		{"unknown skip", nil, []codes.CheckID{"rols"}, "--skip rols"},
		{"both", []codes.CheckID{"roles"}, []codes.CheckID{"roles"}, "cannot be both"},
		{"events without admin access", []codes.CheckID{"events"}, nil, "admin access"},
		{"nothing left", nil, IDs(Catalog()), "no check to run"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateSelection(&Config{Only: tt.only, Skip: tt.skip}, unknown)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("error %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

type selectionErr struct{ msg string }

func (e *selectionErr) Error() string { return e.msg }
