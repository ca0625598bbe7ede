package keycloak

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/httpx"
)

// OAuthError is Keycloak's error body: {"error":"…","error_description":"…"}.
type OAuthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// ParseOAuthError reads an error body; ok is false when the answer is not
// JSON with an "error" field (an HTML page, a proxy's text, an empty body).
func ParseOAuthError(ex httpx.Exchange) (OAuthError, bool) {
	var e OAuthError
	if len(ex.Body) == 0 || json.Unmarshal(ex.Body, &e) != nil || e.Error == "" {
		return OAuthError{}, false
	}
	return e, true
}

// quote renders what the server said: `401 invalid_grant: "Invalid user credentials"`.
func (e OAuthError) quote(status int) string {
	s := fmt.Sprintf("%d %s", status, e.Error)
	if e.Description != "" {
		s += fmt.Sprintf(": %q", e.Description)
	}
	return s
}

// grantRule maps one documented Keycloak answer to a code. Rules match on the
// `error` code first, then on the description, never on the status: the
// status of the same failure differs between versions (Keycloak 26.6 moved
// invalid_grant from 401 to 400; see the 26.6 release notes and the recorded
// answers per version in fixtures/responses/kc-*.json).
type grantRule struct {
	error, description string // description "" matches any; a trailing "*" is a prefix
	code               *codes.Code
	hint               string
}

var grantRules = []grantRule{
	{"invalid_grant", "Invalid user credentials", codes.InvalidUserCredentials, ""},
	{"invalid_grant", "Account disabled", codes.AccountDisabled, ""},
	{"invalid_grant", "Account is not fully set up", codes.AccountNotSetUp, ""},
	{"unauthorized_client", "Client not allowed for direct access grants", codes.DirectGrantsOff, ""},
	{"unauthorized_client", "Public client not allowed to retrieve service account", codes.ServiceAccountOff, ""},
	{"unauthorized_client", "Client not enabled to retrieve service account", codes.ServiceAccountOff, ""},
	{"unauthorized_client", "Bearer-only client not allowed to retrieve service account", codes.BearerOnlyClient, ""},
	{"unauthorized_client", "Invalid client secret", codes.InvalidClientCredentials, ""},
	{"unauthorized_client", "Client secret not provided in request", codes.InvalidClientCredentials, "No secret was sent: set CLIENT_SECRET for this confidential client."},
	{"unauthorized_client", "Invalid client or Invalid client credentials", codes.InvalidClientCredentials, ""},
	{"unauthorized_client", "Invalid client credentials", codes.ClientDisabled, "Keycloak 17–19 answer this for a disabled client."},
	{"invalid_client", "Invalid client or Invalid client credentials", codes.ClientNotFound, ""}, // 20+: unknown or disabled
	{"invalid_client", "Invalid client credentials", codes.ClientNotFound, ""},                   // 17–19: unknown
	{"invalid_client", "Client requires user consent", codes.ConsentRequired, ""},
	{"invalid_client", "Bearer-only not allowed", codes.BearerOnlyClient, ""},
	{"invalid_request", "HTTPS required", codes.HTTPSRequired, ""},
	{"invalid_request", "Invalid user credentials", codes.InvalidUserCredentials,
		"Keycloak answers invalid_request here when the username matches more than one user (for example a duplicated email)."},
	{"invalid_request", "User '*", codes.AccountDisabled, "The client's service-account user is disabled."},
	{"invalid_scope", "", codes.InvalidScope, ""},
	{"not_allowed", "Offline tokens not allowed*", codes.InvalidScope, "offline_access needs the user's offline_access role and the client's offline_access scope."},
	{"access_denied", "Realm not enabled", codes.RealmDisabled, ""},
	{"Realm does not exist", "", codes.RealmNotFound, ""},
}

func (r grantRule) matches(e OAuthError) bool {
	if r.error != e.Error {
		return false
	}
	switch {
	case r.description == "":
		return true
	case strings.HasSuffix(r.description, "*"):
		return strings.HasPrefix(e.Description, strings.TrimSuffix(r.description, "*"))
	}
	return r.description == e.Description
}

// ClassifyGrant names the failure of a password or client-credentials grant
// from the exact answer. It returns nil when the answer is a token.
func ClassifyGrant(ex httpx.Exchange) *httpx.Problem {
	return classifyTokenAnswer(ex, func(e OAuthError) *httpx.Problem {
		for _, r := range grantRules {
			if r.matches(e) {
				return &httpx.Problem{Code: r.code, Message: "Keycloak answered " + e.quote(ex.Status), Hint: r.hint, Details: e.details(ex.Status)}
			}
		}
		return &httpx.Problem{Code: codes.GrantRejected, Message: "Keycloak answered " + e.quote(ex.Status), Details: e.details(ex.Status)}
	})
}

// classifyTokenAnswer handles what every token-endpoint answer shares: a
// transport error, a 200 that must be a token, a body that must be an OAuth
// error; oauth names the OAuth error.
func classifyTokenAnswer(ex httpx.Exchange, oauth func(OAuthError) *httpx.Problem) *httpx.Problem {
	return classifyTokenAnswerRaw(ex, oauth).Scrubbed(ex.Secrets)
}

func classifyTokenAnswerRaw(ex httpx.Exchange, oauth func(OAuthError) *httpx.Problem) *httpx.Problem {
	if ex.Err != nil {
		return httpx.ClassifyExchange(ex)
	}
	var p *httpx.Problem
	if ex.Status == http.StatusOK {
		p = checkTokenAnswer(ex)
	} else if e, ok := ParseOAuthError(ex); ok {
		p = oauth(e)
	} else {
		p = httpx.Unexpected(ex)
	}
	if p != nil {
		p.ServerTime, _ = http.ParseTime(ex.Header.Get("Date"))
	}
	return p
}

func (e OAuthError) details(status int) map[string]any {
	d := map[string]any{"status": status, "error": e.Error}
	if e.Description != "" {
		d["error_description"] = e.Description
	}
	return d
}

// refreshHints explain Keycloak's refresh-grant reasons: the descriptions
// that TokenManager.verifyRefreshToken and RefreshTokenGrantType raise
// (services/src/main/java/org/keycloak/protocol/oidc/TokenManager.java).
var refreshHints = []struct{ prefix, hint string }{
	{"Session not active", "The user session ended: a logout or an administrator's sign-out, SSO Session Idle (default 30 min) or Max (default 10 h) passed, or a restart lost in-memory sessions. Log in again; raise the session timeouts if this happens during normal use."},
	{"Token is not active", "The refresh token expired (its lifetime is bounded by SSO Session Idle and Max). Log in again, or refresh before refresh_expires_in runs out."},
	{"Invalid refresh token. Token client and authorized client don't match", "The refresh token was issued to another client: refresh with the same client_id (and secret) that logged in."},
	{"Invalid token issuer", "Keycloak 26 checks the refresh token's issuer: call the token endpoint through the same public hostname that issued the token (check the server's --hostname)."},
	{"Stale token", "The token was revoked (a not-before push) or reused while the realm revokes refresh tokens: use the newest refresh token and never reuse one."},
	{"Maximum allowed refresh token reuse exceeded", "The realm's Revoke Refresh Token setting allows no more reuse: always use the refresh token from the latest answer."},
	{"Offline", "The offline session ended or was revoked: request a new offline token."},
	{"User disabled", "The user was disabled after logging in."},
	{"Invalid refresh token", "The token is not a refresh token of this realm (garbage, another realm, or an access token sent as refresh_token), or its user was deleted."},
}

// ClassifyRefresh names a failed refresh-token grant, quoting Keycloak's reason.
func ClassifyRefresh(ex httpx.Exchange) *httpx.Problem {
	return classifyTokenAnswer(ex, func(e OAuthError) *httpx.Problem {
		p := &httpx.Problem{Code: codes.RefreshRejected, Message: "Keycloak answered " + e.quote(ex.Status), Details: e.details(ex.Status)}
		for _, h := range refreshHints {
			if strings.HasPrefix(e.Description, h.prefix) {
				p.Hint = h.hint
				break
			}
		}
		return p
	})
}

// checkTokenAnswer catches a 200 that is not a token answer: an HTML login
// page (gocloak reports an empty token and no error for it), or JSON whose
// fields have the wrong types or nonsense values, which is quoted by field.
func checkTokenAnswer(ex httpx.Exchange) *httpx.Problem {
	if ex.ContentType() != "application/json" {
		return httpx.Unexpected(ex)
	}
	_, err := DecodeTokenAnswer(ex.Body)
	var fe *FieldError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fe):
		p := httpx.UnexpectedBecause(ex, "it is not a token answer: "+fe.Error())
		p.Details["field"] = fe.Field
		return p
	}
	return httpx.Unexpected(ex)
}
