package checks

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/keycloak"
	"github.com/authdoctor/authdoctor/report"
)

// jobFacts are the facts judgeJob reads: a password login to the main
// tenant of the shared sandbox (SSO Session Max 10 h, idle 30 min), with
// or without admin access, and the token answer given.
func jobFacts(t *testing.T, job time.Duration, withAdmin bool, tokens keycloak.Tokens) *Facts {
	t.Helper()
	base := startSandbox(t, nil)
	tr := httpx.NewTransport(httpx.TransportOptions{RetryWait: time.Millisecond})
	t.Cleanup(tr.Close)
	cfg := userConfig(base, "admin-portal", "ana", anaPassword)
	cfg.JobDuration = job
	if withAdmin {
		cfg.Admin = keycloak.AdminCredentials{Realm: cfg.Realm, ClientID: "admin-cli", Username: "ops-admin", Password: "ops-admin-sandbox-Pass-10"}
	}
	return &Facts{Config: cfg, Transport: tr, Keycloak: keycloak.NewClient(base, cfg.Realm, tr, redact.NewSet()), Now: time.Now, Tokens: &tokens}
}

func stated(n int64) keycloak.Lifetime { return keycloak.Lifetime{Seconds: n, Stated: true} }

// refreshToken is a refresh token of Keycloak's type typ ("Refresh",
// "Offline"); judgeJob reads its type only.
func refreshToken(t *testing.T, typ string) redact.Secret {
	return unsignedToken(t, jwt.MapClaims{"typ": typ, "exp": float64(time.Now().Add(time.Hour).Unix())})
}

// What --job-duration concludes from the token answer and, with admin
// access, the session settings; the numbers each verdict states. The
// refresh check's own pass (r) keeps its details.
func TestJudgeJob(t *testing.T) {
	r := pass("refreshed", map[string]any{"k": 1})
	tests := []struct {
		name      string
		job       time.Duration
		admin     bool
		tokens    func(t *testing.T) keycloak.Tokens
		want      *codes.Code
		inMessage []string
		inHint    string
		lostAfter int64 // access_lost_after_s; 0: absent
		sessionS  int64 // session_max_s; -1: absent
	}{
		{name: "no refresh token, the access token outlasts the job", job: 30 * time.Minute,
			tokens:    func(*testing.T) keycloak.Tokens { return keycloak.Tokens{ExpiresIn: stated(3600)} },
			inMessage: []string{"refreshed"}, sessionS: -1},
		{name: "no refresh token, the job as long as the access token", job: time.Hour,
			tokens:    func(*testing.T) keycloak.Tokens { return keycloak.Tokens{ExpiresIn: stated(3600)} },
			inMessage: []string{"refreshed"}, sessionS: -1},
		{name: "no refresh token, the job outlasts the access token", job: 2 * time.Hour,
			tokens:    func(*testing.T) keycloak.Tokens { return keycloak.Tokens{ExpiresIn: stated(3600)} },
			want:      codes.JobOutlivesSession,
			inMessage: []string{"a job of 2 h loses access 1 h into it", "(valid for 1 h)"}, lostAfter: 3600, sessionS: -1},
		{name: "no admin access, the refresh token is shorter than the job", job: 2 * time.Hour,
			tokens: func(t *testing.T) keycloak.Tokens {
				return keycloak.Tokens{ExpiresIn: stated(300), Refresh: refreshToken(t, "Refresh"), RefreshExpiresIn: stated(1800)}
			},
			want: codes.JobDurationUnverified, inMessage: []string{"outlasts the refresh token (it lasts 30 min)", "give admin access"}, sessionS: -1},
		{name: "no admin access, the refresh token outlasts the job", job: 20 * time.Minute,
			tokens: func(t *testing.T) keycloak.Tokens {
				return keycloak.Tokens{ExpiresIn: stated(300), Refresh: refreshToken(t, "Refresh"), RefreshExpiresIn: stated(1800)}
			},
			inMessage: []string{"the refresh token alone lasts 30 min"}, sessionS: -1},
		{name: "admin access, the job outlasts SSO Session Max", job: 12 * time.Hour, admin: true,
			tokens: func(t *testing.T) keycloak.Tokens {
				return keycloak.Tokens{ExpiresIn: stated(300), Refresh: refreshToken(t, "Refresh"), RefreshExpiresIn: stated(1800)}
			},
			want: codes.JobOutlivesSession, inMessage: []string{"a job of 12 h loses access 10 h into it", "raise", "to 13 h"},
			inHint: "to 46800 s (13 h: the job's 12 h", lostAfter: 36000, sessionS: 36000},
		{name: "admin access, the job as long as SSO Session Max", job: 10 * time.Hour, admin: true,
			tokens: func(t *testing.T) keycloak.Tokens {
				return keycloak.Tokens{ExpiresIn: stated(300), Refresh: refreshToken(t, "Refresh"), RefreshExpiresIn: stated(1800)}
			},
			inMessage: []string{"keeps access by refreshing: the session has a maximum of 10 h (admin API)", "at least every 30 min"}, sessionS: 36000},
		{name: "admin access, an offline token: no maximum", job: 12 * time.Hour, admin: true,
			tokens: func(t *testing.T) keycloak.Tokens {
				return keycloak.Tokens{ExpiresIn: stated(300), Refresh: refreshToken(t, "Offline"), RefreshExpiresIn: stated(0)}
			},
			inMessage: []string{"the session has no maximum lifespan (admin API)"}, sessionS: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			facts := jobFacts(t, tt.job, tt.admin, tt.tokens(t))
			got := judgeJob(context.Background(), facts, r)
			if got.Code != tt.want {
				t.Fatalf("code %v, want %v: %s", got.Code, tt.want, got.Message)
			}
			for _, s := range tt.inMessage {
				if !strings.Contains(got.Message, s) {
					t.Errorf("message %q lacks %q", got.Message, s)
				}
			}
			if !strings.Contains(got.Hint, tt.inHint) {
				t.Errorf("hint %q lacks %q", got.Hint, tt.inHint)
			}
			if tt.want == nil && got.Message == r.Message {
				if got.Details["k"] != 1 || got.Status != report.Pass {
					t.Errorf("r changed: %+v", got)
				}
				return
			}
			if got.Details["k"] != 1 || got.Details["job_duration_s"] != int64(tt.job/time.Second) {
				t.Errorf("details %v", got.Details)
			}
			lost, ok := got.Details["access_lost_after_s"]
			if tt.lostAfter == 0 && ok || tt.lostAfter != 0 && lost != tt.lostAfter {
				t.Errorf("access_lost_after_s %v, want %d", lost, tt.lostAfter)
			}
			if s, ok := got.Details["session_max_s"]; tt.sessionS < 0 && ok || tt.sessionS >= 0 && s != int(tt.sessionS) {
				t.Errorf("session_max_s %v, want %d", s, tt.sessionS)
			}
		})
	}
}

// A failing result stays failed: a lifetime finding replaces it only when
// it is a failure too, and then with the finding's own code.
func TestWithLifetimeFindingKeepsAFailure(t *testing.T) {
	failed := Result{Status: report.Fail, Code: codes.RefreshRejected, Message: "refresh refused"}
	short := &keycloak.Tokens{ExpiresIn: stated(30), RefreshExpiresIn: stated(1800)}
	if got := withLifetimeFinding(failed, short, "the refresh"); got.Code != codes.RefreshRejected {
		t.Errorf("a warning replaced a failure: %v %s", got.Code, got.Message)
	}
	invalid := &keycloak.Tokens{ExpiresIn: stated(0), RefreshExpiresIn: stated(1800)}
	if got := withLifetimeFinding(failed, invalid, "the refresh"); got.Code != codes.TokenLifetimeInvalid || got.Status != report.Fail {
		t.Errorf("got %v %s %s", got.Status, got.Code, got.Message)
	}
}

// refreshTokenType reads the typ of a refresh token; "" for what is not a
// JWT.
func TestRefreshTokenType(t *testing.T) {
	if got := refreshTokenType(refreshToken(t, "Offline").Reveal()); got != "Offline" {
		t.Errorf("offline token: %q", got)
	}
	if got := refreshTokenType("not-a-jwt"); got != "" {
		t.Errorf("not a JWT: %q", got)
	}
}

// One minute is written in minutes; just under it, in seconds.
func TestHumanDurationMinute(t *testing.T) {
	if got := humanDuration(time.Minute); got != "1 min" {
		t.Errorf("1 min: %q", got)
	}
	if got := humanDuration(59*time.Second + 999*time.Millisecond); got != "59 s" {
		t.Errorf("59.999 s: %q", got)
	}
}

// A job that keeps access leaves the refresh check's own warning or
// failure as it was, with the job's verdict added to its message.
func TestJudgeJobKeepsTheCheckStatus(t *testing.T) {
	tokens := keycloak.Tokens{ExpiresIn: stated(300), Refresh: refreshToken(t, "Refresh"), RefreshExpiresIn: stated(1800)}
	for _, r := range []Result{
		{Status: report.Warn, Code: codes.ShortTokenLifetime, Message: "short", Hint: "raise it"},
		{Status: report.Fail, Code: codes.RefreshRejected, Message: "refused", Hint: "log in again"},
	} {
		got := judgeJob(context.Background(), jobFacts(t, 20*time.Minute, false, tokens), r)
		if got.Status != r.Status || got.Code != r.Code || got.Hint != r.Hint || !strings.Contains(got.Message, "the refresh token alone lasts 30 min") {
			t.Errorf("%s: got %s %v %q %q", r.Status, got.Status, got.Code, got.Message, got.Hint)
		}
	}
}
