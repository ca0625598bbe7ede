package keycloak

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/internal/redact"
)

func testTransport() *httpx.Transport {
	return httpx.NewTransport(httpx.TransportOptions{Secrets: redact.NewSet(), RetryWait: time.Millisecond})
}

func TestSendsAcceptJSON(t *testing.T) {
	var accept string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { accept = r.Header.Get("Accept") }))
	defer srv.Close()
	tr := testTransport()
	defer tr.Close()
	c := NewClient(srv.URL, "r", tr, redact.NewSet())
	_ = c.Get(context.Background(), srv.URL)
	if accept != "application/json" {
		t.Fatalf("Accept %q: Keycloak answers HTML error pages without application/json", accept)
	}
}

func TestPasswordIsNeverSentTwice(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(401)
		_, _ = w.Write([]byte(`{"error":"invalid_grant","error_description":"Invalid user credentials"}`))
	}))
	defer srv.Close()
	tr := testTransport()
	defer tr.Close()
	c := NewClient(srv.URL, "r", tr, redact.NewSet())
	cr := Credentials{ClientID: "admin-portal", Username: "ana", Password: "wrong-password-123"}
	if _, p := c.Token(context.Background(), cr); p == nil || p.Code != codes.InvalidUserCredentials {
		t.Fatalf("first grant: %+v", p)
	}
	if _, p := c.Token(context.Background(), cr); p == nil || p.Code != codes.GrantRejected {
		t.Fatalf("second grant must be refused locally: %+v", p)
	}
	if calls.Load() != 1 {
		t.Fatalf("the password reached the server %d times", calls.Load())
	}
}

func TestTranscriptRedactsAndReplays(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"eyJ.secret.sig","expires_in":300,"refresh_token":"eyJ.refresh.sig","token_type":"Bearer"}`))
	}))
	defer srv.Close()
	var out strings.Builder
	tr := httpx.NewTransport(httpx.TransportOptions{Transcript: &out, Secrets: redact.NewSet()})
	defer tr.Close()
	c := NewClient(srv.URL, "r", tr, redact.NewSet())
	_, _ = c.Token(context.Background(), Credentials{ClientID: "svc", ClientSecret: "s3cret+value", Scope: "openid"})
	got := out.String()
	for _, leak := range []string{"eyJ.secret.sig", "eyJ.refresh.sig", "s3cret", "czNjcmV0"} {
		if strings.Contains(got, leak) {
			t.Errorf("transcript leaks %q:\n%s", leak, got)
		}
	}
	for _, want := range []string{`{"access_token":"[REDACTED]","expires_in":300,"refresh_token":"[REDACTED]","token_type":"Bearer"}`,
		"> Authorization: Basic [REDACTED]", `-u "$CLIENT_ID:$CLIENT_SECRET"`, "grant_type=client_credentials"} {
		if !strings.Contains(got, want) {
			t.Errorf("transcript lacks %q:\n%s", want, got)
		}
	}
}
