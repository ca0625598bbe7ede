package keycloak

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/httpx"
)

// codeUnrouted marks a 404 from Keycloak's router (no such path), as opposed
// to a 404 for an unknown realm; it never leaves this package.
var codeUnrouted = &codes.Code{ID: "unrouted"}

// unroutedErrors are the bodies of Keycloak's router 404 across versions:
// RESTEASY003210 (17–22), "Unable to find matching target resource method"
// (23+), "HTTP 404 Not Found" (26, known realm, unknown sub-path).
var unroutedErrors = []string{"RESTEASY003210", "Unable to find matching target resource method", "HTTP 404 Not Found"}

// classifyRealm reads the answer to GET {base}/realms/{realm}.
func classifyRealm(ex httpx.Exchange) *httpx.Problem {
	return classifyRealmRaw(ex).Scrubbed(ex.Secrets)
}

func classifyRealmRaw(ex httpx.Exchange) *httpx.Problem {
	if ex.Err != nil {
		return httpx.ClassifyExchange(ex)
	}
	if ex.Status == http.StatusOK && ex.ContentType() == "application/json" {
		return nil
	}
	e, isJSON := ParseOAuthError(ex)
	if ex.Status == http.StatusNotFound {
		if isJSON && e.Error == "Realm does not exist" {
			return &httpx.Problem{Code: codes.RealmNotFound, Message: "Keycloak answered " + e.quote(ex.Status) + " for " + ex.URL,
				Details: map[string]any{"status": ex.Status, "error": e.Error}}
		}
		if !isJSON || containsAny(e.Error, unroutedErrors) {
			return &httpx.Problem{Code: codeUnrouted}
		}
	}
	return httpx.Unexpected(ex)
}

// probeOtherLayout is called when the realm path is not routed at all: the
// URL probably has /auth where the server has none (Quarkus 17+), or lacks it
// where the server has one (WildFly ≤16, or --http-relative-path=/auth).
func (c *Client) probeOtherLayout(ctx context.Context, first httpx.Exchange) *httpx.Problem {
	other := otherLayout(c.base)
	ex := c.get(ctx, other+"/realms/"+c.realm)
	p := classifyRealm(ex)
	if p == nil || p.Code == codes.RealmNotFound {
		msg := fmt.Sprintf("%s is not a Keycloak path (%d), but %s/realms/%s answers", first.URL, first.Status, other, c.realm)
		hint := fmt.Sprintf("Set KEYCLOAK_URL=%s", other)
		if p != nil {
			msg += fmt.Sprintf(" (realm %q does not exist there either)", c.realm)
			hint += ", then check the realm name"
		}
		return &httpx.Problem{Code: codes.BasePathMismatch, Message: msg, Hint: hint + ".", Details: map[string]any{"use_url": other}}
	}
	return httpx.Unexpected(first)
}

func otherLayout(base string) string {
	if strings.HasSuffix(base, "/auth") {
		return strings.TrimSuffix(base, "/auth")
	}
	return base + "/auth"
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// RealmExists asks whether a realm of another name exists on this server,
// with GET {base}/realms/{name}: the realm's public info, which needs no
// credentials, so a guessed name never receives any. exists is true for a
// realm document, false for Keycloak's 404 "Realm does not exist"; known is
// false for any other answer (an error, a timeout), which proves nothing.
func (c *Client) RealmExists(ctx context.Context, name string) (exists, known bool) {
	ex := c.get(ctx, c.base+"/realms/"+url.PathEscape(name))
	p := classifyRealm(ex)
	switch {
	case p == nil:
		return true, true
	case p.Code == codes.RealmNotFound:
		return false, true
	}
	return false, false
}
