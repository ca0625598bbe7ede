package keycloak

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/redact"
)

// Introspection answers as Keycloak 26.7.3 gives them (measured), read
// into what the roles check needs; the token goes in the form, never into
// a message.
func TestIntrospect(t *testing.T) {
	const token = "eyJhbGciOiJSUzI1NiJ9.secret-token-body.sig"
	for _, tt := range []struct {
		name        string
		status      int
		body        string
		wantActive  bool
		wantRoles   bool
		wantProblem string
	}{
		{"active", 200, `{"exp":1795631879,"iat":1795631579,"aud":["lightweight-service"],"realm_access":{"roles":["admin-user"]},"client_id":"lightweight-service","username":"ana","token_type":"Bearer","active":true}`, true, true, ""},
		{"inactive", 200, `{"active":false}`, false, false, ""},
		{"public client", 403, `{"error":"invalid_request","error_description":"Client not allowed."}`, false, false, `answered 403 invalid_request: "Client not allowed."`},
		{"wrong secret", 401, `{"error":"invalid_client","error_description":"Client authentication failed."}`, false, false, `answered 401 invalid_client: "Client authentication failed."`},
		{"active not a boolean", 200, `{"active":"yes"}`, false, false, `"active" is not a boolean`},
		{"not JSON", 200, `<html>`, false, false, "200"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var form string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_ = r.ParseForm()
				form = r.PostForm.Encode()
				if r.URL.Path != "/realms/tenant-x/protocol/openid-connect/token/introspect" || r.Method != http.MethodPost {
					t.Errorf("%s %s", r.Method, r.URL.Path)
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			tr := testTransport()
			defer tr.Close()
			c := NewClient(srv.URL, "tenant-x", tr, redact.NewSet())
			in, p := c.Introspect(context.Background(), Credentials{ClientID: "lightweight-service", ClientSecret: "s3cret+/="}, redact.Secret(token))
			if !strings.Contains(form, "client_secret=s3cret%2B%2F%3D") || !strings.Contains(form, "token_type_hint=access_token") {
				t.Errorf("form %s", form)
			}
			if tt.wantProblem != "" {
				if p == nil || !strings.Contains(p.Message, tt.wantProblem) || strings.Contains(p.Message, "secret-token-body") {
					t.Fatalf("problem %+v, want %q", p, tt.wantProblem)
				}
				return
			}
			if p != nil {
				t.Fatal(p)
			}
			_, hasRoles := in.Claims["realm_access"]
			if in.Active != tt.wantActive || hasRoles != tt.wantRoles {
				t.Errorf("%+v", in)
			}
		})
	}
}

// introspectAnswer26 is Keycloak 26.7.3's answer for an active lightweight
// token of ana introspected by lightweight-service (measured; the
// introspection rebuilds the role claims the token lacks).
const introspectAnswer26 = `{"exp":1795631879,"iat":1795631579,"jti":"onrtro:5b0f3c1e-0e6f-4a55-8e4f-9d1f5c2b7a10",` +
	`"iss":"http://127.0.0.1:8080/realms/tenant-x","aud":["lightweight-service","voting-portal","account"],"sub":"58c82cb7-360e-47d9-98d0-4bf8281c893f",` +
	`"typ":"Bearer","azp":"lightweight-service","sid":"2f6a0c4e-6d0b-4f7e-9a53-0c7e8d1b2a34","scope":"openid profile email",` +
	`"realm_access":{"roles":["offline_access","admin-user","uma_authorization"]},"resource_access":{"voting-portal":{"roles":["voter"]}},` +
	`"email_verified":true,"name":"Ana Silva","preferred_username":"ana","given_name":"Ana","family_name":"Silva","email":"ana@example.com",` +
	`"client_id":"lightweight-service","username":"ana","token_type":"Bearer","active":true}`

// Every answer of the introspection endpoint, as Keycloak gives it and as
// a hostile or broken server might: what the roles check is told.
func TestIntrospectAnswers(t *testing.T) {
	const token = "eyJhbGciOiJSUzI1NiJ9.intro-token-body-2f6a0c4e.sig"
	endless := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"active":true,"padding":"`)
		chunk := strings.Repeat("a", 32<<10)
		for r.Context().Err() == nil {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
	}
	tests := []struct {
		name        string
		status      int
		ctype       string
		body        string
		handler     http.HandlerFunc // instead of status, ctype and body
		wantClaims  map[string]any   // an answer: its claims (active among them)
		wantMessage string           // a problem: its message, {url} the endpoint's
		wantDetails map[string]any   // and its details, when a refusal
		wantCode    *codes.Code
	}{
		{name: "active", status: 200, body: introspectAnswer26, wantClaims: mustJSON(t, introspectAnswer26)},
		{name: "inactive", status: 200, body: `{"active":false}`, wantClaims: map[string]any{"active": false}},
		{name: "wrong client secret (401)", status: 401, body: `{"error":"invalid_client","error_description":"Client authentication failed."}`,
			wantMessage: `the introspection endpoint answered 401 invalid_client: "Client authentication failed."`, wantDetails: map[string]any{"status": 401, "error": "invalid_client"}},
		{name: "unknown client (401)", status: 401, body: `{"error":"invalid_client","error_description":"Invalid client or Invalid client credentials"}`,
			wantMessage: `the introspection endpoint answered 401 invalid_client: "Invalid client or Invalid client credentials"`, wantDetails: map[string]any{"status": 401, "error": "invalid_client"}},
		{name: "public client (403)", status: 403, body: `{"error":"invalid_request","error_description":"Client not allowed."}`,
			wantMessage: `the introspection endpoint answered 403 invalid_request: "Client not allowed."`, wantDetails: map[string]any{"status": 403, "error": "invalid_request"}},
		{name: "error without description", status: 400, body: `{"error":"invalid_request"}`,
			wantMessage: `the introspection endpoint answered 400 invalid_request`, wantDetails: map[string]any{"status": 400, "error": "invalid_request"}},
		{name: "error body without error", status: 401, body: `{"error_description":"Client authentication failed."}`,
			wantMessage: `POST {url} answered 401 Unauthorized with application/json: "{\"error_description\":\"Client authentication failed.\"}"`, wantCode: codes.UnexpectedAnswer},
		{name: "error of the wrong type", status: 403, body: `{"error":403}`,
			wantMessage: `POST {url} answered 403 Forbidden with application/json: "{\"error\":403}"`, wantCode: codes.UnexpectedAnswer},
		{name: "proxy error page", status: 502, ctype: "text/html", body: `<html><body><h1>502 Bad Gateway</h1></body></html>`,
			wantMessage: `POST {url} answered 502 Bad Gateway with text/html: "502 Bad Gateway"`, wantCode: codes.UnexpectedAnswer},
		{name: "active a string", status: 200, body: `{"active":"true","sub":"58c82cb7"}`,
			wantMessage: `POST {url} answered 200 OK with application/json, but "active" is not a boolean`, wantCode: codes.UnexpectedAnswer},
		{name: "active missing", status: 200, body: `{"sub":"58c82cb7","realm_access":{"roles":["admin-user"]}}`,
			wantMessage: `POST {url} answered 200 OK with application/json, but "active" is not a boolean`, wantCode: codes.UnexpectedAnswer},
		{name: "null", status: 200, body: `null`,
			wantMessage: `POST {url} answered 200 OK with application/json, but "active" is not a boolean`, wantCode: codes.UnexpectedAnswer},
		{name: "a list", status: 200, body: `[{"active":true}]`,
			wantMessage: `POST {url} answered 200 OK with application/json: "[{\"active\":true}]"`, wantCode: codes.UnexpectedAnswer},
		{name: "endless body", handler: endless, wantMessage: `POST {url} answered 200 OK with application/json: "{\"active\":true,\"padding\":\"aaaa`, wantCode: codes.UnexpectedAnswer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			handler := tt.handler
			if handler == nil {
				handler = func(w http.ResponseWriter, r *http.Request) {
					ct := tt.ctype
					if ct == "" {
						ct = "application/json"
					}
					w.Header().Set("Content-Type", ct)
					w.WriteHeader(tt.status)
					_, _ = io.WriteString(w, tt.body)
				}
			}
			srv := httptest.NewServer(handler)
			defer srv.Close()
			tr := testTransport()
			defer tr.Close()
			in, p := NewClient(srv.URL, "tenant-x", tr, redact.NewSet()).Introspect(context.Background(),
				Credentials{ClientID: "lightweight-service", ClientSecret: "s3cret+/="}, redact.Secret(token))
			if tt.wantClaims != nil {
				if p != nil {
					t.Fatalf("problem %+v", p)
				}
				if in.Active != tt.wantClaims["active"] || !reflect.DeepEqual(in.Claims, tt.wantClaims) {
					t.Fatalf("got %+v, want claims %v", in, tt.wantClaims)
				}
				return
			}
			if in != nil || p == nil {
				t.Fatalf("got %+v, %+v; want a problem", in, p)
			}
			want := strings.ReplaceAll(tt.wantMessage, "{url}", srv.URL+"/realms/tenant-x/protocol/openid-connect/token/introspect")
			if !strings.HasPrefix(p.Message, want) || (tt.handler == nil && p.Message != want) {
				t.Errorf("message %q\nwant      %q", p.Message, want)
			}
			if tt.wantDetails != nil && !reflect.DeepEqual(p.Details, tt.wantDetails) {
				t.Errorf("details %v, want %v", p.Details, tt.wantDetails)
			}
			if p.Code != tt.wantCode {
				t.Errorf("code %v, want %v", p.Code, tt.wantCode)
			}
			if strings.Contains(p.Message, "intro-token-body") || strings.Contains(p.Message, "s3cret") || len(p.Message) > 400 {
				t.Errorf("message leaks the token or secret, or quotes too much: %q", p.Message)
			}
		})
	}
}

func mustJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// What Introspect sends: a form POST with the token, its type hint and the
// client's credentials (no client_secret for a client without one, which
// Keycloak then refuses as public), asking for JSON.
func TestIntrospectRequest(t *testing.T) {
	for _, tt := range []struct {
		name     string
		cr       Credentials
		wantForm map[string][]string
	}{
		{"confidential", Credentials{ClientID: "svc a&b", ClientSecret: "s3cret+/=&x"},
			map[string][]string{"token": {"tok.en.sig"}, "token_type_hint": {"access_token"}, "client_id": {"svc a&b"}, "client_secret": {"s3cret+/=&x"}}},
		{"no secret", Credentials{ClientID: "portal"},
			map[string][]string{"token": {"tok.en.sig"}, "token_type_hint": {"access_token"}, "client_id": {"portal"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodPost || r.URL.RequestURI() != "/realms/tenant%20x/protocol/openid-connect/token/introspect" ||
					r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" || r.Header.Get("Accept") != "application/json" || r.Header.Get("Authorization") != "" {
					t.Errorf("%s %s %v", r.Method, r.URL.RequestURI(), r.Header)
				}
				_ = r.ParseForm()
				if !reflect.DeepEqual(map[string][]string(r.PostForm), tt.wantForm) || len(r.URL.Query()) != 0 {
					t.Errorf("form %v, query %v", r.PostForm, r.URL.Query())
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, `{"active":false}`)
			}))
			defer srv.Close()
			tr := testTransport()
			defer tr.Close()
			in, p := NewClient(srv.URL, "tenant x", tr, redact.NewSet()).Introspect(context.Background(), tt.cr, redact.Secret("tok.en.sig"))
			if p != nil || in.Active {
				t.Fatalf("%+v %+v", in, p)
			}
		})
	}
}

// From Keycloak 26.6.2 (keycloak#49113) a client may introspect only a
// token whose aud names it; any other token is {"active":false}, the same
// answer as for an expired one. The server below applies that rule to the
// client_id Introspect sends: the configured client's, never the token's
// azp.
func TestIntrospectAudienceRule(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		parts := strings.Split(r.PostForm.Get("token"), ".")
		var claims map[string]any
		if len(parts) == 3 {
			payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
			_ = json.Unmarshal(payload, &claims)
		}
		aud, _ := claims["aud"].([]any)
		for _, a := range aud {
			if a == r.PostForm.Get("client_id") {
				claims["active"] = true
				_ = json.NewEncoder(w).Encode(claims)
				return
			}
		}
		_, _ = io.WriteString(w, `{"active":false}`)
	}))
	defer srv.Close()
	tr := testTransport()
	defer tr.Close()
	c := NewClient(srv.URL, "tenant-x", tr, redact.NewSet())
	jwtWith := func(claims string) redact.Secret {
		return redact.Secret("eyJhbGciOiJSUzI1NiJ9." + base64.RawURLEncoding.EncodeToString([]byte(claims)) + ".c2ln")
	}
	for _, tt := range []struct {
		name, client, claims string
		wantActive           bool
	}{
		{"aud names the client", "lightweight-service", `{"azp":"lightweight-service","aud":["lightweight-service","account"],"realm_access":{"roles":["admin-user"]}}`, true},
		{"aud names others only", "lightweight-service", `{"azp":"lightweight-service","aud":["account"],"realm_access":{"roles":["admin-user"]}}`, false},
		{"another client introspects", "voting-portal", `{"azp":"lightweight-service","aud":["lightweight-service"],"realm_access":{"roles":["admin-user"]}}`, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in, p := c.Introspect(context.Background(), Credentials{ClientID: tt.client, ClientSecret: "s3cret"}, jwtWith(tt.claims))
			if p != nil {
				t.Fatal(p.Message)
			}
			if in.Active != tt.wantActive {
				t.Fatalf("active %v, want %v", in.Active, tt.wantActive)
			}
			// An inactive answer carries no claims: no roles to read.
			if _, has := in.Claims["realm_access"]; has != tt.wantActive {
				t.Errorf("claims %v", in.Claims)
			}
		})
	}
}

// No answer at all (nothing listens): a connection problem, not a panic.
func TestIntrospectNoServer(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	tr := testTransport()
	defer tr.Close()
	in, p := NewClient(base, "tenant-x", tr, redact.NewSet()).Introspect(context.Background(), Credentials{ClientID: "svc", ClientSecret: "s3cret"}, redact.Secret("tok.en.sig"))
	if in != nil || p == nil || p.Code == nil || p.Code.ID != "UNREACHABLE" || !strings.Contains(p.Message, strings.TrimPrefix(base, "http://")) {
		t.Fatalf("%+v %+v", in, p)
	}
	if _, err := http.NewRequest(http.MethodPost, "http://bad host/", nil); err == nil {
		t.Skip("URL accepted")
	}
	in, p = NewClient("http://bad host", "tenant-x", tr, redact.NewSet()).Introspect(context.Background(), Credentials{ClientID: "svc"}, redact.Secret("tok.en.sig"))
	if in != nil || p == nil || !strings.Contains(p.Message, "invalid character") {
		t.Fatalf("%+v %+v", in, p)
	}
}
