package keycloak

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/redact"
)

// TestPasswordSpentOnlyWhenEvaluated: the token request now goes out while
// the realm is still being checked, so its answer may be a 404. A 404 (no
// such realm, or a path the router does not know) was given before Keycloak
// read the password, so the password is not spent by it; any other answer
// was an evaluation, and the password is never sent again.
func TestPasswordSpentOnlyWhenEvaluated(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		body      string
		firstCode *codes.Code
		wantSends int32 // after two Token calls
	}{
		{"realm missing", 404, `{"error":"Realm does not exist"}`, codes.RealmNotFound, 2},
		{"router 404", 404, `{"error":"Unable to find matching target resource method"}`, codes.GrantRejected, 2},
		{"wrong password", 401, `{"error":"invalid_grant","error_description":"Invalid user credentials"}`, codes.InvalidUserCredentials, 1},
		{"realm disabled", 403, `{"error":"access_denied","error_description":"Realm not enabled"}`, codes.RealmDisabled, 1},
		{"server error", 500, `{"error":"unknown_error"}`, codes.GrantRejected, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sends atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_ = r.ParseForm()
				if r.PostForm.Get("password") != "" {
					sends.Add(1)
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			tr := testTransport()
			defer tr.Close()
			c := NewClient(srv.URL, "r", tr, redact.NewSet())
			cr := Credentials{ClientID: "admin-portal", Username: "ana", Password: "some-password-123"}
			if _, p := c.Token(context.Background(), cr); p == nil || p.Code != tt.firstCode {
				t.Fatalf("first grant: %+v, want %s", p, tt.firstCode.ID)
			}
			_, _ = c.Token(context.Background(), cr)
			if got := sends.Load(); got != tt.wantSends {
				t.Fatalf("the password reached the server %d times, want %d", got, tt.wantSends)
			}
		})
	}
}
