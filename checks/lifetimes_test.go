package checks

import (
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/keycloak"
	"github.com/authdoctor/authdoctor/report"
)

func TestWithLifetimeFinding(t *testing.T) {
	life := func(n int64) keycloak.Lifetime { return keycloak.Lifetime{Seconds: n, Stated: true} }
	tests := []struct {
		name            string
		access, refresh keycloak.Lifetime
		want            *codes.Code
		status          report.Status
	}{
		{"usual", life(300), life(1800), nil, report.Pass},
		{"not stated", keycloak.Lifetime{}, keycloak.Lifetime{}, nil, report.Pass},
		{"offline: refresh without expiry", life(300), life(0), nil, report.Pass},
		{"59 s", life(59), life(1800), codes.ShortTokenLifetime, report.Warn},
		{"60 s", life(60), life(1800), nil, report.Pass},
		{"1 s", life(1), life(1800), codes.ShortTokenLifetime, report.Warn},
		{"0 s", life(0), life(1800), codes.TokenLifetimeInvalid, report.Fail},
		{"-1 s", life(-1), life(1800), codes.TokenLifetimeInvalid, report.Fail},
		{"negative refresh", life(300), life(-5), codes.TokenLifetimeInvalid, report.Fail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := withLifetimeFinding(pass("granted", map[string]any{"k": 1}), &keycloak.Tokens{ExpiresIn: tt.access, RefreshExpiresIn: tt.refresh}, "the password grant")
			if r.Code != tt.want || r.Status != tt.status || r.Details["k"] != 1 {
				t.Fatalf("got %s %v %q %v", r.Status, r.Code, r.Message, r.Details)
			}
		})
	}
}

func TestHumanDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		45 * time.Second: "45 s", 30 * time.Minute: "30 min", 10 * time.Hour: "10 h",
		90 * time.Minute: "1 h 30 min", 10*time.Hour + 30*time.Minute + 5*time.Second: "10 h 30 min 5 s", 0: "0 s",
	} {
		if got := humanDuration(d); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}
