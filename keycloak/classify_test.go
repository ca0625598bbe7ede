package keycloak

import (
	"net/http"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/httpx"
)

func jsonAnswer(status int, body string) httpx.Exchange {
	return httpx.Exchange{Method: "POST", URL: "https://sso.example.com/realms/r/protocol/openid-connect/token", Status: status,
		Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(body)}
}

// The bodies below are Keycloak's token-endpoint answers per version, as
// recorded in fixtures/responses/kc-*.json.
func TestClassifyGrantAcrossVersions(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   *codes.Code
	}{
		{"wrong password ≤26.5", 401, `{"error":"invalid_grant","error_description":"Invalid user credentials"}`, codes.InvalidUserCredentials},
		{"wrong password 26.6+", 400, `{"error":"invalid_grant","error_description":"Invalid user credentials"}`, codes.InvalidUserCredentials},
		{"duplicate email", 401, `{"error":"invalid_request","error_description":"Invalid user credentials"}`, codes.InvalidUserCredentials},
		{"user disabled", 400, `{"error":"invalid_grant","error_description":"Account disabled"}`, codes.AccountDisabled},
		{"service account user disabled", 401, `{"error":"invalid_request","error_description":"User 'service-account-x' disabled"}`, codes.AccountDisabled},
		{"required actions", 400, `{"error":"invalid_grant","error_description":"Account is not fully set up"}`, codes.AccountNotSetUp},
		{"direct grants off", 400, `{"error":"unauthorized_client","error_description":"Client not allowed for direct access grants"}`, codes.DirectGrantsOff},
		{"consent", 400, `{"error":"invalid_client","error_description":"Client requires user consent"}`, codes.ConsentRequired},
		{"wrong secret 17-19", 401, `{"error":"unauthorized_client","error_description":"Invalid client secret"}`, codes.InvalidClientCredentials},
		{"wrong secret 20+", 401, `{"error":"unauthorized_client","error_description":"Invalid client or Invalid client credentials"}`, codes.InvalidClientCredentials},
		{"no secret 17-19", 401, `{"error":"unauthorized_client","error_description":"Client secret not provided in request"}`, codes.InvalidClientCredentials},
		{"unknown client 17-19", 400, `{"error":"invalid_client","error_description":"Invalid client credentials"}`, codes.ClientNotFound},
		{"unknown client 20+", 401, `{"error":"invalid_client","error_description":"Invalid client or Invalid client credentials"}`, codes.ClientNotFound},
		{"disabled client 17-19", 400, `{"error":"unauthorized_client","error_description":"Invalid client credentials"}`, codes.ClientDisabled},
		{"public client credentials", 401, `{"error":"unauthorized_client","error_description":"Public client not allowed to retrieve service account"}`, codes.ServiceAccountOff},
		{"service accounts off", 401, `{"error":"unauthorized_client","error_description":"Client not enabled to retrieve service account"}`, codes.ServiceAccountOff},
		{"bearer-only SA", 401, `{"error":"unauthorized_client","error_description":"Bearer-only client not allowed to retrieve service account"}`, codes.BearerOnlyClient},
		{"bearer-only", 400, `{"error":"invalid_client","error_description":"Bearer-only not allowed"}`, codes.BearerOnlyClient},
		{"https required", 403, `{"error":"invalid_request","error_description":"HTTPS required"}`, codes.HTTPSRequired},
		{"invalid scope", 400, `{"error":"invalid_scope","error_description":"Invalid scopes: openid admin"}`, codes.InvalidScope},
		{"offline not allowed", 400, `{"error":"not_allowed","error_description":"Offline tokens not allowed for the user or client"}`, codes.InvalidScope},
		{"realm disabled", 403, `{"error":"access_denied","error_description":"Realm not enabled"}`, codes.RealmDisabled},
		{"realm missing 26", 404, `{"error":"Realm does not exist"}`, codes.RealmNotFound},
		{"realm missing 24", 404, `{"error":"Realm does not exist","error_description":"For more on this error consult the server log at the debug level."}`, codes.RealmNotFound},
		{"unknown oauth error", 400, `{"error":"invalid_dpop_proof","error_description":"DPoP proof is missing"}`, codes.GrantRejected},
		{"unsupported grant", 400, `{"error":"unsupported_grant_type","error_description":"Unsupported grant_type"}`, codes.GrantRejected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ClassifyGrant(jsonAnswer(tt.status, tt.body))
			if p == nil || p.Code != tt.want {
				t.Fatalf("got %+v, want %s", p, tt.want)
			}
			e, _ := ParseOAuthError(jsonAnswer(tt.status, tt.body))
			if e.Description != "" && !strings.Contains(p.Message, e.Description) {
				t.Errorf("message %q does not quote the server's description %q", p.Message, e.Description)
			}
		})
	}
}

func TestClassifyGrantNotOAuth(t *testing.T) {
	tests := []struct {
		name string
		ex   httpx.Exchange
	}{
		{"html 200", httpx.Exchange{Status: 200, Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte("<html><body>Sign in</body></html>")}},
		{"json 200 without token", jsonAnswer(200, `{"token_type":"Bearer"}`)},
		{"proxy 502", httpx.Exchange{Status: 502, Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte("<h1>502 Bad Gateway</h1>")}},
		{"redirect", httpx.Exchange{Status: 302, Header: http.Header{"Location": {"https://login.example.com/"}}}},
		{"empty 500", httpx.Exchange{Status: 500}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ClassifyGrant(tt.ex)
			if p == nil || p.Code != codes.UnexpectedAnswer {
				t.Fatalf("got %+v, want %s", p, codes.UnexpectedAnswer)
			}
		})
	}
	if p := ClassifyGrant(jsonAnswer(200, `{"access_token":"a.b.c","token_type":"Bearer"}`)); p != nil {
		t.Fatalf("a token answer is not a problem: %+v", p)
	}
}

func TestClassifyRefreshQuotesReason(t *testing.T) {
	for _, desc := range []string{"Session not active", "Token is not active", "Invalid refresh token. Token client and authorized client don't match",
		"Invalid token issuer. Expected 'https://sso.example.com/realms/r'", "Stale token", "Invalid refresh token", "Refresh toked issued before the user session started"} {
		p := ClassifyRefresh(jsonAnswer(400, `{"error":"invalid_grant","error_description":"`+desc+`"}`))
		if p == nil || p.Code != codes.RefreshRejected || !strings.Contains(p.Message, desc) {
			t.Errorf("%s: got %+v", desc, p)
		}
	}
}

func TestClassifyRealm(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   *codes.Code
	}{
		{"found", 200, `{"realm":"r","public_key":"MIIB"}`, nil},
		{"unknown realm", 404, `{"error":"Realm does not exist"}`, codes.RealmNotFound},
		{"resteasy 17-22", 404, `{"error":"RESTEASY003210: Could not find resource for full path: http://h/auth/realms/r"}`, codeUnrouted},
		{"unrouted 23+", 404, `{"error":"Unable to find matching target resource method"}`, codeUnrouted},
		{"unrouted 24/25", 404, `{"error":"Unable to find matching target resource method","error_description":"For more on this error consult the server log at the debug level."}`, codeUnrouted},
		{"server error", 500, `{"error":"unknown_error"}`, codes.UnexpectedAnswer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := jsonAnswer(tt.status, tt.body)
			ex.Method, ex.URL = "GET", "https://h/realms/r"
			p := classifyRealm(ex)
			var got *codes.Code
			if p != nil {
				got = p.Code
			}
			if got != tt.want {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestOtherLayout(t *testing.T) {
	if got := otherLayout("https://h/auth"); got != "https://h" {
		t.Errorf("got %s", got)
	}
	if got := otherLayout("https://h"); got != "https://h/auth" {
		t.Errorf("got %s", got)
	}
}
