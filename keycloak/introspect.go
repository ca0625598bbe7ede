package keycloak

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/internal/redact"
)

// Introspection is what the realm's token introspection endpoint (RFC 7662;
// Keycloak's TokenIntrospectionEndpoint) says of an access token.
type Introspection struct {
	Active bool
	// Claims are the token's claims as introspection shows them. For a
	// lightweight access token Keycloak rebuilds them with every mapper
	// whose introspection.token.claim is on, so the role claims the token
	// itself lacks are here.
	Claims map[string]any
}

// Introspect asks the introspection endpoint about token, authenticated as
// the client cr names (client_id and client_secret in the form, which
// Keycloak's ClientIdAndSecretAuthenticator reads like Basic credentials).
// A refusal (a public client, a wrong secret) is a problem whose message
// quotes Keycloak's answer; the token is never part of it.
func (c *Client) Introspect(ctx context.Context, cr Credentials, token redact.Secret) (*Introspection, *httpx.Problem) {
	rawURL := c.RealmURL() + "/protocol/openid-connect/token/introspect"
	form := url.Values{"token": {token.Reveal()}, "token_type_hint": {"access_token"}, "client_id": {cr.ClientID}}
	if cr.ClientSecret.IsSet() {
		form.Set("client_secret", cr.ClientSecret.Reveal())
	}
	rctx, rec := httpx.Record(ctx)
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, rawURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, &httpx.Problem{Message: err.Error()}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := c.t.Client().Do(req)
	if resp != nil {
		_ = resp.Body.Close()
	}
	ex, ok := rec.Last()
	if !ok {
		return nil, httpx.ClassifyExchange(httpx.Exchange{Method: http.MethodPost, URL: rawURL, Err: err})
	}
	if ex.Err != nil {
		return nil, httpx.ClassifyExchange(ex)
	}
	if ex.Status != http.StatusOK {
		var e struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		if json.Unmarshal(ex.Body, &e) != nil || e.Error == "" {
			return nil, httpx.Unexpected(ex)
		}
		msg := fmt.Sprintf("the introspection endpoint answered %d %s", ex.Status, e.Error)
		if e.Description != "" {
			msg += fmt.Sprintf(": %q", e.Description)
		}
		return nil, &httpx.Problem{Message: msg, Details: map[string]any{"status": ex.Status, "error": e.Error}}
	}
	claims := map[string]any{}
	if err := json.Unmarshal(ex.Body, &claims); err != nil {
		return nil, httpx.Unexpected(ex)
	}
	active, isBool := claims["active"].(bool)
	if !isBool {
		return nil, httpx.UnexpectedBecause(ex, `"active" is not a boolean`)
	}
	return &Introspection{Active: active, Claims: claims}, nil
}
