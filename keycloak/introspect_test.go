package keycloak

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

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
