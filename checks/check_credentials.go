package checks

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/authdoctor/authdoctor/keycloak"
)

func checkCredentials(ctx context.Context, run *Run) Result {
	cfg := run.Config
	cr := cfg.Credentials
	if blocked := plainHTTPBlocked(cfg); blocked != "" {
		return fail(keycloak.CodePlainHTTPBlocked, blocked)
	}
	tokens, p := run.Keycloak.Token(ctx, cr)
	if p != nil {
		r := fromProblem(p)
		r.Hint = strings.TrimSpace(strings.Join([]string{grantHint(cfg, p.Code), r.Hint}, " "))
		return r
	}
	run.tokens = tokens

	who := "client " + cr.ClientID
	if cr.Grant() == keycloak.GrantPassword {
		who = fmt.Sprintf("user %s via client %s", cr.Username, cr.ClientID)
	}
	msg := fmt.Sprintf("%s grant for %s: %s token valid for %d s", cr.Grant(), who, tokens.TokenType, tokens.ExpiresIn)
	if tokens.Refresh.IsSet() {
		msg += fmt.Sprintf(", refresh token for %d s", tokens.RefreshExpiresIn)
	}
	if tokens.Scope != "" {
		msg += fmt.Sprintf(", scope %q", tokens.Scope)
	}
	return pass(msg, map[string]any{
		"grant": cr.Grant(), "token_type": tokens.TokenType, "expires_in": tokens.ExpiresIn,
		"refresh_expires_in": tokens.RefreshExpiresIn, "scope": tokens.Scope,
		"refresh_token_issued": tokens.Refresh.IsSet(), "id_token_issued": tokens.ID.IsSet(),
	})
}

// grantHint adds what only authdoctor knows about the request it sent: which
// grant it chose and why, and whether a secret was sent at all.
func grantHint(cfg *Config, code string) string {
	cr := cfg.Credentials
	switch {
	case code == keycloak.CodeInvalidClientCredentials && !cr.ClientSecret.IsSet():
		return fmt.Sprintf("No client secret was sent: %s is a confidential client, so set CLIENT_SECRET.", cr.ClientID)
	case code == keycloak.CodeServiceAccountOff && cr.Grant() == keycloak.GrantClientCredentials:
		why := "USERNAME and PASSWORD are not set"
		for _, s := range cfg.Settings {
			if s.Name == "username" && strings.Contains(s.Source, "ignored") {
				why = fmt.Sprintf("USERNAME is set (%s) but PASSWORD is not", s.Value)
			}
		}
		return fmt.Sprintf("authdoctor used the client-credentials grant because %s; to log a user in, set both.", why)
	}
	return ""
}

// plainHTTPBlocked refuses to send a password or secret unencrypted across a
// network unless the user said so.
func plainHTTPBlocked(cfg *Config) string {
	u, err := url.Parse(cfg.KeycloakURL)
	if err != nil || u.Scheme != "http" || keycloak.IsLoopback(u.Hostname()) || cfg.AllowPlainHTTP {
		return ""
	}
	if !cfg.Credentials.Password.IsSet() && !cfg.Credentials.ClientSecret.IsSet() {
		return ""
	}
	return fmt.Sprintf("not sent: %s is plain http:// to %s, which is not this machine, and the request would carry a password or client secret", cfg.KeycloakURL, u.Hostname())
}
