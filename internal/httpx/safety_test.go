package httpx

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/redact"
)

const testToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbmEifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"

// Every spelling of a token answer a client could accept teaches the set
// the token before anything is written.
func TestLearnTokensInEverySpelling(t *testing.T) {
	escaped := strings.Replace(testToken, ".", `\u002e`, 1)
	bodies := map[string]string{
		"json":              `{"access_token":"` + testToken + `","token_type":"Bearer"}`,
		"escaped key":       `{"access\u005ftoken":"` + testToken + `"}`,
		"escaped value":     `{"access_token":"` + escaped + `"}`,
		"upper-case key":    `{"ACCESS_TOKEN":"` + testToken + `"}`,
		"duplicate key":     `{"access_token":"decoy","access_token":"` + testToken + `"}`,
		"nested":            `{"data":{"session":{"refresh_token":"` + testToken + `"}}}`,
		"in a list":         `{"id_token":["` + testToken + `"]}`,
		"xssi prefix":       ")]}'\n" + `{"access_token":"` + testToken + `"}`,
		"broken after":      `{"access_token":"` + testToken + `", oops`,
		"form":              "access_token=" + url.QueryEscape(testToken) + "&token_type=bearer",
		"text":              "access_token: " + testToken + "\n",
		"two json messages": `{"a":1}{"access_token":"` + testToken + `"}`,
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			set := redact.NewSet()
			learnTokens([]byte(body), set)
			if got := set.Scrub(body); strings.Contains(got, "c2lnbmF0dXJl") {
				t.Fatalf("the token survives in %q", got)
			}
		})
	}
	set := redact.NewSet()
	learnTokens([]byte(`{"token_type":"Bearer","scope":"openid","error_description":"refresh_token: invalid"}`), set)
	learnTokens([]byte("<p>Send access_token=required with every call</p>"), set)
	if got := set.Scrub("Bearer openid invalid required"); got != "Bearer openid invalid required" {
		t.Fatalf("values of other fields, and words in prose, are not secrets: %q", got)
	}
}

// A hostile answer cannot grow the set without bound.
func TestLearnTokensIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&b, `"access_token":"token-%06d",`, i)
	}
	b.WriteString(`"x":1}`)
	set := redact.NewSet()
	learnTokens([]byte(b.String()), set)
	if got := set.Scrub("token-000000 token-009999"); !strings.HasPrefix(got, redact.Placeholder) || strings.Count(got, redact.Placeholder) != 1 {
		t.Fatalf("got %q: the first values are learned, and no more than maxLearned", got)
	}
}

func TestScrubJSONFindsEscapedSecrets(t *testing.T) {
	set := redact.NewSet()
	set.Add("hunter2-password")
	var esc strings.Builder
	for _, r := range "hunter2-password" {
		fmt.Fprintf(&esc, `\u%04x`, r)
	}
	body := `{"error":"invalid_grant","error_description":"wrong password ` + esc.String() + `", "other": "kept \u00e9"}`
	got := string(scrubJSON([]byte(body), set))
	if strings.Contains(got, esc.String()) || !strings.Contains(got, `"wrong password [REDACTED]"`) || !strings.Contains(got, `"other": "kept \u00e9"`) {
		t.Fatalf("got %s", got)
	}
}

// The transcript (-v) learns tokens from the raw body whatever the content
// type, scrubs, and shows what the server sent with its control characters
// escaped and each body line marked as the server's.
func TestTranscriptIsSafe(t *testing.T) {
	for _, ctype := range []string{"application/json", "text/plain", "application/problem+json", "application/json; charset=utf-8", "application/vnd.x+json", ""} {
		t.Run(ctype, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", ctype)
				_, _ = fmt.Fprintf(w, "{\"access\\u005ftoken\":\"%s\",\n\"note\":\"\x1b]0;pwned\x07 \u009b2J\"}\n> POST https://forged.example/\n", testToken)
			}))
			defer srv.Close()
			var out bytes.Buffer
			set := redact.NewSet()
			tr := NewTransport(TransportOptions{Transcript: redact.NewWriter(&out, set), Secrets: set})
			defer tr.Close()
			resp, err := tr.Client().Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			got := out.String()
			if strings.Contains(got, "c2lnbmF0dXJl") {
				t.Errorf("the token leaks:\n%s", got)
			}
			if strings.ContainsAny(got, "\x1b\x07\u009b") {
				t.Errorf("control characters reach the terminal:\n%q", got)
			}
			if !strings.Contains(got, `\x1b]0;pwned\x07`) || !strings.Contains(got, "\n< > POST https://forged.example/\n") {
				t.Errorf("want the server's text escaped and its lines marked:\n%s", got)
			}
		})
	}
}

// A cut of a long body never leaves the first half of a secret: the body
// is scrubbed first, and the cut falls before a placeholder, not into it.
func TestExcerptScrubsBeforeRewriting(t *testing.T) {
	secrets := []string{"Zq  Xw\tQy<b>Vk</b>", "Jm@Wp%Rt+Fd&=/?", "Hb-Gn-Ys"}
	set := redact.NewSet()
	set.Add(secrets...)
	for shift := 0; shift < 60; shift++ {
		page := "<html><body>" + strings.Repeat("x", 100+shift) + " <pre>password=" + url.QueryEscape(secrets[1]) + "&amp;password=" + secrets[0] + "\n\n" + secrets[2] + "</pre></body></html>"
		ex := Exchange{Status: 502, Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte(page), Secrets: set}
		got := ex.Excerpt(maxQuoted)
		for _, leak := range []string{"Zq", "Xw", "Qy", "Vk", "Jm", "Wp", "Rt", "Fd", "Hb-"} {
			if strings.Contains(got, leak) {
				t.Fatalf("shift %d: %q leaks %q", shift, got, leak)
			}
		}
		if len(got) > maxQuoted+len("…") {
			t.Fatalf("excerpt of %d bytes", len(got))
		}
	}
}

// A stall in the middle of an answer ends with the deadline: the exchange
// is the server's silence, and net/http's log line "RoundTripper returned a
// response & error" never reaches the process's stderr.
func TestStalledBodyLogsNothing(t *testing.T) {
	var logged bytes.Buffer
	defer func(w io.Writer) { log.SetOutput(w) }(log.Writer())
	log.SetOutput(&logged)

	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "1000")
		_, _ = w.Write([]byte(`{"access_token":"`))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	tr := testTransport()
	defer tr.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	rctx, rec := Record(ctx)
	req, _ := http.NewRequestWithContext(rctx, http.MethodPost, srv.URL, strings.NewReader("grant_type=password"))
	resp, err := tr.Client().Do(req)
	if resp != nil {
		_ = resp.Body.Close()
		t.Errorf("a response with the error %v", err)
	}
	if err == nil {
		t.Fatal("want the deadline's error")
	}
	ex, _ := rec.Last()
	if p := ClassifyExchange(ex); p.Code != codes.AnswerTimeout {
		t.Fatalf("got %s: %s", p.Code, p.Message)
	}
	if strings.Contains(logged.String(), "RoundTripper returned a response & error") {
		t.Fatalf("net/http logged: %s", logged.String())
	}
}
