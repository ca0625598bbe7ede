package httpx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/redact"
)

func testTransport() *Transport {
	return NewTransport(TransportOptions{RetryWait: time.Millisecond, Secrets: redact.NewSet()})
}

func TestRetriesOnlyTransientAnswers(t *testing.T) {
	tests := []struct {
		name      string
		statuses  []int // answered in turn; the last repeats
		wantCalls int32
		wantFinal int
	}{
		{"503 then ok", []int{503, 200}, 2, 200},
		{"502 twice then ok", []int{502, 502, 200}, 3, 200},
		{"504 forever gives up after 2 retries", []int{504}, 3, 504},
		{"401 never retried", []int{401}, 1, 401},
		{"400 never retried", []int{400, 200}, 1, 400},
		{"500 not retried", []int{500, 200}, 1, 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := int(calls.Add(1)) - 1
				if n >= len(tt.statuses) {
					n = len(tt.statuses) - 1
				}
				w.WriteHeader(tt.statuses[n])
			}))
			defer srv.Close()
			tr := testTransport()
			defer tr.Close()
			ctx, rec := Record(context.Background())
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, nil)
			resp, err := tr.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != tt.wantFinal || calls.Load() != tt.wantCalls || rec.Count() != int(tt.wantCalls) {
				t.Fatalf("status %d after %d calls (%d recorded); want %d after %d", resp.StatusCode, calls.Load(), rec.Count(), tt.wantFinal, tt.wantCalls)
			}
		})
	}
}

func TestRetriesRefusedConnection(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close() // nothing listens: refused
	tr := testTransport()
	defer tr.Close()
	ctx, rec := Record(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/", nil)
	_, err = tr.Client().Do(req)
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("want a typed refused error, got %v", err)
	}
	if rec.Count() != 1+maxRetries {
		t.Fatalf("want %d attempts, got %d", 1+maxRetries, rec.Count())
	}
	p := ClassifyTransport(addr, err)
	if p.Code != codes.Unreachable || p.Details["cause"] != "refused" {
		t.Fatalf("got %+v", p)
	}
}

func TestClassifyTransportCauses(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		wantCode  *codes.Code
		wantCause string
	}{
		{"dns", &net.DNSError{Err: "no such host", Name: "sso.invalid", IsNotFound: true}, codes.Unreachable, "dns"},
		{"deadline", fmt.Errorf("dial: %w", context.DeadlineExceeded), codes.Unreachable, "timeout"},
		{"reset", &net.OpError{Op: "read", Err: syscall.ECONNRESET}, codes.Unreachable, "reset"},
		{"refused", &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, codes.Unreachable, "refused"},
		{"scheme mismatch", http.ErrSchemeMismatch, codes.TLSHandshakeFailed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ClassifyTransport("sso.example.com:443", tt.err)
			if p.Code != tt.wantCode {
				t.Fatalf("got %s, want %s", p.Code, tt.wantCode)
			}
			if tt.wantCause != "" && p.Details["cause"] != tt.wantCause {
				t.Fatalf("cause %v, want %s", p.Details["cause"], tt.wantCause)
			}
		})
	}
}

func TestParseResolve(t *testing.T) {
	got, err := ParseResolve([]string{"sso.example.com:443:127.0.0.1"})
	if err != nil || got["sso.example.com:443"] != "127.0.0.1:443" {
		t.Fatalf("got %v, %v", got, err)
	}
	for _, bad := range []string{"sso.example.com:443", "sso.example.com:443:not-an-ip", "::", "h:99999:1.2.3.4", "h:0:1.2.3.4", "h:https:1.2.3.4"} {
		if _, err := ParseResolve([]string{bad}); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}
