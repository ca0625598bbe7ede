package keycloak

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/internal/redact"
)

// These tests pin what mutation testing found unpinned in the classifiers
// (see docs/mutation-testing.md).

// Each refresh reason has its own hint, keyed on Keycloak's description
// (TokenManager.verifyRefreshToken, RefreshTokenGrantType): the specific
// "Invalid refresh token. …" reasons before the general one, and no hint
// for a reason Keycloak does not give.
func TestClassifyRefreshHintPerReason(t *testing.T) {
	tests := []struct {
		error, description, hint string
	}{
		{"invalid_grant", "Session not active", "The user session ended"},
		{"invalid_grant", "Token is not active", "The refresh token expired"},
		{"invalid_grant", "Invalid refresh token. Token client and authorized client don't match", "issued to another client"},
		{"invalid_grant", "Invalid token issuer. Expected 'https://sso.example.com/realms/r'", "checks the refresh token's issuer"},
		{"invalid_grant", "Stale token", "revoked (a not-before push)"},
		{"invalid_grant", "Maximum allowed refresh token reuse exceeded", "allows no more reuse"},
		{"invalid_grant", "Offline user session not found", "offline session ended"},
		{"invalid_grant", "Offline session not active", "offline session ended"},
		{"invalid_grant", "User disabled", "disabled after logging in"},
		{"invalid_grant", "Invalid refresh token", "not a refresh token of this realm"},
		// The reason decides, not the error code.
		{"unauthorized_client", "Session not active", "The user session ended"},
		{"invalid_grant", "Refresh toked issued before the user session started", ""},
		{"invalid_grant", "", ""},
		// A reason is matched at its start only.
		{"invalid_grant", "The Session not active", ""},
	}
	for _, tt := range tests {
		t.Run(tt.description, func(t *testing.T) {
			body := `{"error":"` + tt.error + `","error_description":"` + tt.description + `"}`
			if tt.description == "" {
				body = `{"error":"` + tt.error + `"}`
			}
			p := ClassifyRefresh(jsonAnswer(400, body))
			if p == nil || p.Code != codes.RefreshRejected {
				t.Fatalf("got %+v", p)
			}
			if tt.hint == "" && p.Hint != "" || !strings.Contains(p.Hint, tt.hint) {
				t.Fatalf("hint %q, want %q", p.Hint, tt.hint)
			}
		})
	}
	// Every hint is reachable: none is shadowed by an earlier prefix.
	for i, h := range refreshHints {
		p := ClassifyRefresh(jsonAnswer(400, `{"error":"invalid_grant","error_description":"`+h.prefix+`"}`))
		if p.Hint != refreshHints[i].hint {
			t.Errorf("%q gets the hint of another reason: %q", h.prefix, p.Hint)
		}
	}
}

// A problem's details name the status, the error, and the description only
// when there is one; a rule's hint comes along; the server's clock too.
func TestClassifyGrantDetailsHintAndDate(t *testing.T) {
	ex := jsonAnswer(401, `{"error":"unauthorized_client","error_description":"Client secret not provided in request"}`)
	ex.Header.Set("Date", "Tue, 25 Nov 2025 14:00:00 GMT")
	p := ClassifyGrant(ex)
	want := map[string]any{"status": 401, "error": "unauthorized_client", "error_description": "Client secret not provided in request"}
	if !reflect.DeepEqual(p.Details, want) || !strings.Contains(p.Hint, "No secret was sent") ||
		!p.ServerTime.Equal(time.Date(2025, 11, 25, 14, 0, 0, 0, time.UTC)) ||
		p.Message != `Keycloak answered 401 unauthorized_client: "Client secret not provided in request"` {
		t.Fatalf("got %+v", p)
	}
	p = ClassifyGrant(jsonAnswer(404, `{"error":"Realm does not exist"}`))
	if want := map[string]any{"status": 404, "error": "Realm does not exist"}; !reflect.DeepEqual(p.Details, want) ||
		p.Message != "Keycloak answered 404 Realm does not exist" || !p.ServerTime.IsZero() || p.Hint != "" {
		t.Fatalf("got %+v", p)
	}
	p = ClassifyGrant(jsonAnswer(400, `{"error":"invalid_dpop_proof"}`))
	if want := map[string]any{"status": 400, "error": "invalid_dpop_proof"}; p.Code != codes.GrantRejected || !reflect.DeepEqual(p.Details, want) {
		t.Fatalf("got %+v", p)
	}
}

// A rule whose description ends in "*" matches that prefix; any other rule
// the whole description; a rule without one any description.
func TestGrantRuleMatches(t *testing.T) {
	tests := []struct {
		rule grantRule
		e    OAuthError
		want bool
	}{
		{grantRule{error: "invalid_scope"}, OAuthError{"invalid_scope", "Invalid scopes: x"}, true},
		{grantRule{error: "invalid_scope"}, OAuthError{"invalid_grant", "Invalid scopes: x"}, false},
		{grantRule{error: "invalid_request", description: "User '*"}, OAuthError{"invalid_request", "User 'svc' disabled"}, true},
		{grantRule{error: "invalid_request", description: "User '*"}, OAuthError{"invalid_request", "Users 'svc'"}, false},
		{grantRule{error: "invalid_grant", description: "Account disabled"}, OAuthError{"invalid_grant", "Account disabled"}, true},
		{grantRule{error: "invalid_grant", description: "Account disabled"}, OAuthError{"invalid_grant", "Account disabled for now"}, false},
		{grantRule{error: "invalid_grant", description: "Account disabled"}, OAuthError{"invalid_grant", "Account"}, false},
	}
	for _, tt := range tests {
		if got := tt.rule.matches(tt.e); got != tt.want {
			t.Errorf("%+v matches %+v: %v, want %v", tt.rule, tt.e, got, tt.want)
		}
	}
}

// A 200 must be a JSON token answer: an HTML page is refused even when its
// body would decode as a token (a proxy rewriting answers), and the hint
// says what an HTML page means; a JSON type with parameters is fine.
func TestTokenAnswerContentType(t *testing.T) {
	const token = `{"access_token":"a.b.c","token_type":"Bearer","expires_in":300}`
	tests := []struct {
		name, ctype string
		wantCode    *codes.Code
		wantHint    string
	}{
		{"html page holding a token", "text/html", codes.UnexpectedAnswer, "An HTML page instead of JSON"},
		{"html with a charset", "text/html; charset=UTF-8", codes.UnexpectedAnswer, "An HTML page instead of JSON"},
		{"plain text", "text/plain", codes.UnexpectedAnswer, ""},
		{"json with a charset", "application/json; charset=utf-8", nil, ""},
		{"json in capitals", "Application/JSON", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := httpx.Exchange{Method: "POST", URL: "https://sso.example.com/realms/r/protocol/openid-connect/token", Status: 200,
				Header: http.Header{"Content-Type": {tt.ctype}}, Body: []byte(token)}
			for _, classify := range []func(httpx.Exchange) *httpx.Problem{ClassifyGrant, ClassifyRefresh} {
				p := classify(ex)
				if tt.wantCode == nil {
					if p != nil {
						t.Fatalf("a token answer: %+v", p)
					}
					continue
				}
				if p == nil || p.Code != tt.wantCode || !strings.Contains(p.Hint, tt.wantHint) || !strings.Contains(p.Message, "answered 200 OK with "+strings.Split(tt.ctype, ";")[0]) {
					t.Fatalf("got %+v", p)
				}
			}
		})
	}
}

// A server that echoes a secret never puts it in a problem.
func TestClassifiersScrubTheExchangeSecrets(t *testing.T) {
	set := redact.NewSet()
	set.Add("hunter2-password")
	ex := jsonAnswer(401, `{"error":"invalid_grant","error_description":"Invalid password hunter2-password"}`)
	ex.Secrets = set
	for name, p := range map[string]*httpx.Problem{"grant": ClassifyGrant(ex), "refresh": ClassifyRefresh(ex)} {
		if strings.Contains(p.Message, "hunter2") || strings.Contains(p.Details["error_description"].(string), "hunter2") {
			t.Errorf("%s: the password is in the problem: %+v", name, p)
		}
	}
	ex.URL = "https://h/realms/hunter2-password"
	ex.Status = 404
	ex.Body = []byte(`{"error":"Realm does not exist"}`)
	if p := classifyRealm(ex); p == nil || strings.Contains(p.Message, "hunter2") {
		t.Errorf("realm: %+v", p)
	}
}

func TestParseOAuthError(t *testing.T) {
	for body, ok := range map[string]bool{
		`{"error":"invalid_grant"}`:            true,
		`{"error":"","error_description":"x"}`: false,
		`{"error_description":"x"}`:            false,
		`<html>error</html>`:                   false,
		``:                                     false,
		`["error"]`:                            false,
	} {
		if _, got := ParseOAuthError(jsonAnswer(400, body)); got != ok {
			t.Errorf("%q: %v, want %v", body, got, ok)
		}
	}
}

// The realm answer: 200 JSON is the realm; a 404 is a missing realm, the
// router's "no such path" in every version's words (or no JSON at all), or
// else something unexpected; any other answer is unexpected.
func TestClassifyRealmMore(t *testing.T) {
	tests := []struct {
		name, ctype, body string
		status            int
		want              *codes.Code
	}{
		{"200 html", "text/html", "<html>realm</html>", 200, codes.UnexpectedAnswer},
		{"404 html", "text/html", "<html>Not Found</html>", 404, codeUnrouted},
		{"404 empty", "", "", 404, codeUnrouted},
		{"404 HTTP 404 Not Found (26)", "application/json", `{"error":"HTTP 404 Not Found"}`, 404, codeUnrouted},
		{"404 other JSON error", "application/json", `{"error":"Client not found"}`, 404, codes.UnexpectedAnswer},
		{"403", "application/json", `{"error":"Realm does not exist"}`, 403, codes.UnexpectedAnswer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := httpx.Exchange{Method: "GET", URL: "https://h/realms/r", Status: tt.status, Header: http.Header{}, Body: []byte(tt.body)}
			if tt.ctype != "" {
				ex.Header.Set("Content-Type", tt.ctype)
			}
			p := classifyRealm(ex)
			if p == nil || p.Code != tt.want {
				t.Fatalf("got %+v, want %v", p, tt.want)
			}
		})
	}
	p := classifyRealm(jsonAnswer(404, `{"error":"Realm does not exist"}`))
	if p.Message != `Keycloak answered 404 Realm does not exist for https://sso.example.com/realms/r/protocol/openid-connect/token` ||
		!reflect.DeepEqual(p.Details, map[string]any{"status": 404, "error": "Realm does not exist"}) {
		t.Fatalf("got %+v", p)
	}
}

func TestLifetimeString(t *testing.T) {
	for l, want := range map[Lifetime]string{{300, true}: "300 s", {0, true}: "0 s", {0, false}: "not stated", {5, false}: "not stated"} {
		if got := l.String(); got != want {
			t.Errorf("%+v: %q, want %q", l, got, want)
		}
	}
}

// A token answer's fields, each of the kinds a server might send.
func TestDecodeTokenAnswerFields(t *testing.T) {
	got, err := DecodeTokenAnswer([]byte(`{"access_token":"a.b.c","id_token":"i.d.t","refresh_token":"","token_type":null,"refresh_expires_in":7}`))
	if err != nil || got.IDToken != "i.d.t" || got.RefreshToken != "" || got.TokenType != "" || got.RefreshExpiresIn != (Lifetime{7, true}) {
		t.Fatalf("got %+v, %v", got, err)
	}
	for raw, want := range map[string]string{`"x"`: "a string", `{}`: "an object", `[]`: "a list", `true`: "a boolean", `false`: "a boolean",
		`null`: "null", `5`: "a number", `-1`: "a number", ` `: "empty"} {
		if got := kind([]byte(raw)); got != want {
			t.Errorf("kind(%s) = %s, want %s", raw, got, want)
		}
	}
	long := `"` + strings.Repeat("y", maxQuotedValue-2) + `"`
	if got := describe([]byte(long), "scope"); got != "a string ("+long+")" {
		t.Errorf("a value of maxQuotedValue bytes is quoted: %s", got)
	}
	if got := describe([]byte(long[:len(long)-1]+`y"`), "scope"); got != "a string" {
		t.Errorf("a longer one is not: %s", got)
	}
	if got := describe([]byte(`"short"`), "id_token"); got != "a string" {
		t.Errorf("a token field's value is never quoted: %s", got)
	}
}
