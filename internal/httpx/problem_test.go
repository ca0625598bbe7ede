package httpx

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
)

// A deadline is the server's silence only when the request had been sent.
func TestClassifyExchange(t *testing.T) {
	const token = "https://sso.test/realms/r/protocol/openid-connect/token"
	deadline := fmt.Errorf("Post %q: %w", token, context.DeadlineExceeded)
	tests := []struct {
		name      string
		ex        Exchange
		wantCode  *codes.Code
		wantCause string
	}{
		{"sent, then the deadline", Exchange{Method: "POST", URL: token, Err: deadline, Sent: true, Duration: time.Second}, codes.AnswerTimeout, "no answer"},
		{"deadline while connecting", Exchange{Method: "POST", URL: token, Err: deadline}, codes.Unreachable, "timeout"},
		{"sent, then reset", Exchange{Method: "POST", URL: token, Err: syscall.ECONNRESET, Sent: true}, codes.Unreachable, "reset"},
		{"refused", Exchange{Method: "GET", URL: "https://sso.test/realms/r", Err: syscall.ECONNREFUSED}, codes.Unreachable, "refused"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := ClassifyExchange(tc.ex)
			if p.Code != tc.wantCode || p.Details["cause"] != tc.wantCause {
				t.Fatalf("got %s (cause %v): %s; want %s (cause %s)", p.Code, p.Details["cause"], p.Message, tc.wantCode, tc.wantCause)
			}
		})
	}
}

// The hint names what makes each endpoint slow.
func TestSlowEndpointHint(t *testing.T) {
	for url, want := range map[string]string{
		"https://sso.test/realms/r/protocol/openid-connect/token": "LDAP",
		"https://sso.test/realms/r/protocol/openid-connect/certs": "starting",
		"https://api.test/v1/graphql":                             "GraphQL",
	} {
		if got := slowEndpointHint(url); !strings.Contains(got, want) {
			t.Errorf("%s: hint %q should mention %q", url, got, want)
		}
	}
}
