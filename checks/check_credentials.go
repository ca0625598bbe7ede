package checks

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/keycloak"
)

func checkCredentials(ctx context.Context, facts *Facts) Result {
	cfg := facts.Config
	cr := cfg.Credentials
	if blocked := plainHTTPBlocked(cfg); blocked != "" {
		return found(codes.PlainHTTPBlocked, blocked)
	}
	tokens, p := facts.Keycloak.Token(ctx, cr)
	if p != nil {
		r := fromProblem(p)
		r.Hint = strings.TrimSpace(strings.Join([]string{grantHint(cfg, p.Code), r.Hint}, " "))
		if status, _ := p.Details["status"].(int); status != http.StatusNotFound {
			// A 404 (no such realm, an unrouted path) comes before Keycloak
			// evaluates anything, so it leaves no event to look for; the
			// realm check, run alongside, explains it.
			r = refineWithEvents(ctx, facts, r, p, grantEventType(cfg), cr.Username)
		}
		return r
	}
	facts.Tokens = tokens

	who := "client " + cr.ClientID
	if cr.Grant() == keycloak.GrantPassword {
		who = fmt.Sprintf("user %s via client %s", cr.Username, cr.ClientID)
	}
	msg := fmt.Sprintf("%s grant for %s: %s token %s", cr.Grant(), who, tokens.TokenType, validFor(tokens.ExpiresIn))
	if tokens.Refresh.IsSet() {
		msg += ", refresh token " + refreshValidFor(tokens.RefreshExpiresIn)
	}
	if tokens.Scope != "" {
		msg += fmt.Sprintf(", scope %q", tokens.Scope)
	}
	return withLifetimeFinding(pass(msg, map[string]any{
		"grant": cr.Grant(), "token_type": tokens.TokenType, "expires_in": lifetimeDetail(tokens.ExpiresIn),
		"refresh_expires_in": lifetimeDetail(tokens.RefreshExpiresIn), "scope": tokens.Scope,
		"refresh_token_issued": tokens.Refresh.IsSet(), "id_token_issued": tokens.ID.IsSet(),
	}), tokens, "the "+cr.Grant()+" grant")
}

// grantHint adds what only authdoctor knows about the request it sent: which
// grant it chose and why, and whether a secret was sent at all.
func grantHint(cfg *Config, code *codes.Code) string {
	cr := cfg.Credentials
	switch {
	case code == codes.InvalidClientCredentials && !cr.ClientSecret.IsSet():
		return fmt.Sprintf("No client secret was sent: %s is a confidential client, so set CLIENT_SECRET.", cr.ClientID)
	case code == codes.ServiceAccountOff && cr.Grant() == keycloak.GrantClientCredentials:
		why := "USERNAME and PASSWORD are not set"
		if cfg.IgnoredUsername != "" {
			why = fmt.Sprintf("USERNAME is set (%s) but PASSWORD is not", cfg.IgnoredUsername)
		}
		return fmt.Sprintf("authdoctor used the client-credentials grant because %s; to log a user in, set both.", why)
	}
	return ""
}

// plainHTTPBlocked refuses to send a password or secret unencrypted across a
// network unless the user said so.
func plainHTTPBlocked(cfg *Config) string {
	u, err := url.Parse(cfg.KeycloakURL)
	if err != nil || u.Scheme != "http" || httpx.IsLoopback(u.Hostname()) || cfg.AllowPlainHTTP {
		return ""
	}
	if !cfg.Credentials.Password.IsSet() && !cfg.Credentials.ClientSecret.IsSet() {
		return ""
	}
	return fmt.Sprintf("not sent: %s is plain http:// to %s, which is not this machine, and the request would carry a password or client secret", cfg.KeycloakURL, u.Hostname())
}

// validFor describes an access token's lifetime as the answer stated it.
func validFor(l keycloak.Lifetime) string {
	switch {
	case !l.Stated:
		return "with no stated lifetime (the answer has no expires_in)"
	case l.AccessInvalid():
		return fmt.Sprintf("expired on arrival (expires_in %d)", l.Seconds)
	}
	return fmt.Sprintf("valid for %d s", l.Seconds)
}

// refreshValidFor describes a refresh token's lifetime: Keycloak states 0
// for a refresh token without a fixed expiry (an offline token).
func refreshValidFor(l keycloak.Lifetime) string {
	switch {
	case !l.Stated:
		return "with its lifetime not stated"
	case l.Seconds == 0:
		return "without a fixed expiry (refresh_expires_in 0)"
	case l.RefreshInvalid():
		return fmt.Sprintf("with an impossible lifetime (refresh_expires_in %d)", l.Seconds)
	}
	return fmt.Sprintf("for %d s", l.Seconds)
}

// lifetimeDetail is a lifetime in the report's details: seconds, or null
// when the answer did not state it.
func lifetimeDetail(l keycloak.Lifetime) any {
	if !l.Stated {
		return nil
	}
	return l.Seconds
}
