package checks

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/keycloak"
	"github.com/authdoctor/authdoctor/report"
)

// shortAccessLifetime is the access-token lifetime below which a token is
// reported as SHORT_TOKEN_LIFETIME: under a minute, a few seconds of clock
// skew or a slow request make the API see it expired.
const shortAccessLifetime = 60

// withLifetimeFinding turns a passing token result into a finding when the
// answer's lifetimes are ones no usable token has (TOKEN_LIFETIME_INVALID)
// or the access token is short-lived (SHORT_TOKEN_LIFETIME). what names the
// grant, e.g. "the password grant". The details stay as they are.
func withLifetimeFinding(r Result, t *keycloak.Tokens, what string) Result {
	var f Result
	switch {
	case t.ExpiresIn.AccessInvalid():
		f = found(codes.TokenLifetimeInvalid, fmt.Sprintf("Keycloak issued an access token with expires_in %d (%s): it is expired on arrival, and an API rejects it", t.ExpiresIn.Seconds, strings.TrimPrefix(what, "the ")))
	case t.RefreshExpiresIn.RefreshInvalid():
		f = found(codes.TokenLifetimeInvalid, fmt.Sprintf("Keycloak issued a refresh token with refresh_expires_in %d (%s), a lifetime no token can have", t.RefreshExpiresIn.Seconds, strings.TrimPrefix(what, "the ")))
	case t.ExpiresIn.Stated && t.ExpiresIn.Seconds < shortAccessLifetime:
		f = found(codes.ShortTokenLifetime, fmt.Sprintf("%s; an access token valid for under %d s can expire before the API checks it (clock skew, a slow request)", r.Message, shortAccessLifetime))
	default:
		return r
	}
	f.Details = r.Details
	f.Hint = r.Hint
	if r.Status == report.Fail && f.Status != report.Fail {
		return r
	}
	return f
}

// judgeJob says whether a job of --job-duration keeps access with these
// tokens, given the result of the refresh check so far (r, passing or
// skipped): it returns r with the job's verdict, as a code when the job
// loses access or when that cannot be told. Only the public token answer
// and, with admin access, the realm's and client's session settings are
// read; nothing is sent with the user's credentials.
func judgeJob(ctx context.Context, facts *Facts, r Result) Result {
	d := facts.Config.JobDuration
	t := facts.Tokens
	if d <= 0 || t == nil {
		return r
	}
	job := humanDuration(d)
	details := map[string]any{}
	for k, v := range r.Details {
		details[k] = v
	}
	details["job_duration_s"] = int64(d / time.Second)
	verdict := func(code *codes.Code, msg string, lostAfter time.Duration) Result {
		if lostAfter > 0 {
			details["access_lost_after_s"] = int64(lostAfter / time.Second)
		}
		if code == nil {
			out := pass(r.Message+"; "+msg, details)
			if r.Status == report.Warn || r.Status == report.Fail {
				out.Status, out.Code, out.Hint = r.Status, r.Code, r.Hint
			}
			return out
		}
		if r.Status == report.Fail {
			return r
		}
		f := found(code, msg)
		f.Details = details
		return f
	}
	access := time.Duration(t.ExpiresIn.Seconds) * time.Second
	switch {
	case facts.Config.Grant() == keycloak.GrantClientCredentials:
		return verdict(nil, fmt.Sprintf("a job of %s keeps access: with the client secret it requests a new token whenever one expires, and has no session to outlive", job), 0)
	case !t.Refresh.IsSet():
		if t.ExpiresIn.Stated && access < d {
			return verdict(codes.JobOutlivesSession, fmt.Sprintf("a job of %s loses access %s into it: Keycloak issued no refresh token, so the job can use only its first access token (valid for %s) and must then log in again with the password",
				job, humanDuration(access), humanDuration(access)), access)
		}
		return r
	}
	offline := refreshTokenType(t.Refresh.Reveal()) == "Offline"
	details["offline"] = offline
	limits, why := sessionLimits(ctx, facts)
	if limits != nil {
		maxS, idleS := limits.MaxSeconds(offline), limits.IdleSeconds(offline)
		details["session_max_s"], details["session_idle_s"] = maxS, idleS
		if maxS > 0 && time.Duration(maxS)*time.Second < d {
			lost := time.Duration(maxS) * time.Second
			enough := sessionFor(d)
			out := verdict(codes.JobOutlivesSession, fmt.Sprintf("a job of %s loses access %s into it: refreshing cannot extend the session past its maximum (%s); raise %s to %s, log in again before then, or use a service account",
				job, humanDuration(lost), limits.MaxSource(offline), limits.MaxSetting(offline), humanDuration(enough)), lost)
			if out.Code == codes.JobOutlivesSession {
				out.Hint = fmt.Sprintf("Set %s to %d s (%s: the job's %s rounded up to the next whole hour, so that the session does not end at the job's last second), or have the job log in again before %s.",
					limits.MaxSetting(offline), int64(enough/time.Second), humanDuration(enough), job, humanDuration(lost))
			}
			return out
		}
		what := "no maximum lifespan"
		if maxS > 0 {
			what = fmt.Sprintf("a maximum of %s", humanDuration(time.Duration(maxS)*time.Second))
		}
		return verdict(nil, fmt.Sprintf("a job of %s keeps access by refreshing: the session has %s (admin API) and stays alive while the job refreshes at least every %s",
			job, what, humanDuration(time.Duration(idleS)*time.Second)), 0)
	}
	rs := t.RefreshExpiresIn
	switch {
	case offline && rs.Stated && rs.Seconds == 0:
		return verdict(nil, fmt.Sprintf("a job of %s keeps access by refreshing: the offline token has no fixed expiry (offline session idle applies)", job), 0)
	case rs.Stated && rs.Seconds > 0 && time.Duration(rs.Seconds)*time.Second >= d:
		return verdict(nil, fmt.Sprintf("a job of %s keeps access: the refresh token alone lasts %s", job, humanDuration(time.Duration(rs.Seconds)*time.Second)), 0)
	}
	stated := "its lifetime is not stated"
	if rs.Stated {
		stated = "it lasts " + humanDuration(time.Duration(rs.Seconds)*time.Second)
	}
	return verdict(codes.JobDurationUnverified, fmt.Sprintf("a job of %s outlasts the refresh token (%s); whether refreshing keeps access for the whole job depends on SSO Session Max and Client Session Max, which %s",
		job, stated, why), 0)
}

// sessionLimits reads the session settings through the admin API when
// admin access was given; otherwise, or when it fails, it says why not.
func sessionLimits(ctx context.Context, facts *Facts) (*keycloak.SessionLimits, string) {
	admin, p := facts.AdminSession(ctx)
	switch {
	case admin == nil && p == nil:
		return nil, "only the admin API shows (give admin access to verify)"
	case p != nil:
		return nil, "the admin API would show, but the admin login failed (" + p.Code.ID + ")"
	}
	limits, ae := admin.SessionLimits(ctx, facts.Config.Credentials.ClientID)
	if ae != nil {
		if ae.Forbidden {
			return nil, "the admin API shows only with view-realm and view-clients, which the admin account lacks"
		}
		return nil, "the admin API would show, but reading them failed: " + ae.Problem.Message
	}
	return limits, ""
}

// refreshTokenType reads a refresh token's typ ("Refresh" or "Offline")
// without verifying it: Keycloak signs it with a realm HMAC key no client
// holds, and only the type is wanted here.
func refreshTokenType(token string) string {
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(token, claims); err != nil {
		return ""
	}
	typ, _ := claims["typ"].(string)
	return typ
}

// sessionFor is the session maximum a job of length d needs, as the
// message, the hint and the command (<seconds>) all state it: the job's
// length rounded up to the next whole hour after it, since a maximum equal
// to the job would end the session at its last second.
func sessionFor(d time.Duration) time.Duration {
	return (d/time.Hour + 1) * time.Hour
}

// humanDuration writes a duration for people: "10 h", "1 h 30 min", "45 s".
func humanDuration(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%d s", int64(d/time.Second))
	}
	h, m, s := int64(d/time.Hour), int64(d%time.Hour/time.Minute), int64(d%time.Minute/time.Second)
	var parts []string
	if h > 0 {
		parts = append(parts, fmt.Sprintf("%d h", h))
	}
	if m > 0 {
		parts = append(parts, fmt.Sprintf("%d min", m))
	}
	if s > 0 {
		parts = append(parts, fmt.Sprintf("%d s", s))
	}
	return strings.Join(parts, " ")
}
