package report

import "testing"

// The policy is named by the flag the user typed.
func TestPolicyFlag(t *testing.T) {
	for _, tt := range []struct {
		p      Policy
		status Status
		want   string
	}{
		{Policy{FailOn: []Status{Warn, Skip}, Strict: true}, Skip, "--strict"},
		{Policy{FailOn: []Status{Warn, Skip}, Strict: true}, "", "--strict"},
		{Policy{FailOn: []Status{Skip}}, Skip, "--fail-on skip"},
		{Policy{FailOn: []Status{Warn, Skip}}, "", "--fail-on warn,skip"},
	} {
		if got := tt.p.flag(tt.status); got != tt.want {
			t.Errorf("%+v %q: %q, want %q", tt.p, tt.status, got, tt.want)
		}
	}
}
