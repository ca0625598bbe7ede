package httpx

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/redact"
)

// The tests in this file pin what mutation testing found unpinned in this
// package (see docs/mutation-testing.md).

// learnTokens registers a token in each of its spellings on its own, so
// that the token is scrubbed wherever it is quoted, not only inside the
// body it came in.
func TestLearnTokensRegistersEachSpellingAlone(t *testing.T) {
	tests := []struct {
		name string
		body string
		// every one of these, quoted alone, must be scrubbed
		secrets []string
		// none of these may be scrubbed
		plain []string
	}{
		{"escaped value: decoded and as spelled", `{"access_token":"abc\u002edef-ghij","token_type":"Bearer"}`,
			[]string{"abc.def-ghij", `abc\u002edef-ghij`}, []string{"Bearer"}},
		{"value after other fields", `{"token_type":"Bearer", "refresh_token" : "r\u0065fresh-value-1"}`,
			[]string{"refresh-value-1", `r\u0065fresh-value-1`}, []string{"Bearer"}},
		{"a token of MinLength bytes", `{"access_token":"Zq9x"}`, []string{"Zq9x"}, nil},
		{"first element of a list", `{"id_token":["first-tok-1","second-tok-2"]}`, []string{"first-tok-1", "second-tok-2"}, nil},
		{"fields after a token list are not tokens", `{"id_token":["tok-in-a-list-123"],"scope":"openid profile"}`,
			[]string{"tok-in-a-list-123"}, []string{"openid profile", "scope"}},
		{"fields after a nested object are not tokens", `{"refresh_token":{"v":"nested-token-1"},"note":"plain words"}`,
			[]string{"nested-token-1"}, []string{"plain words", "note"}},
		{"answer cut right after the token", `{"access_token":"cut-tok-1234"`, []string{"cut-tok-1234"}, nil},
		// Form answers the text pattern cannot see: shorter than 16
		// characters, or with percent escapes.
		{"short form token", "access_token=Zq9x-short&token_type=bearer", []string{"Zq9x-short"}, []string{"bearer"}},
		{"form token with escapes", "access_token=ab%2Bcd%21ef&token_type=bearer", []string{"ab+cd!ef", "ab%2Bcd%21ef"}, []string{"bearer"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := redact.NewSet()
			learnTokens([]byte(tt.body), set)
			for _, s := range tt.secrets {
				if got := set.Scrub("<" + s + ">"); got != "<"+redact.Placeholder+">" {
					t.Errorf("%q is not scrubbed on its own: %q", s, got)
				}
			}
			for _, p := range tt.plain {
				if got := set.Scrub(p); got != p {
					t.Errorf("%q is not a token, but was scrubbed: %q", p, got)
				}
			}
		})
	}
}

// One answer registers at most maxLearned values: each token counts twice
// (as decoded and as spelled), so the first maxLearned/2 tokens exactly.
func TestLearnTokensBoundIsExact(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := range 100 {
		fmt.Fprintf(&b, `"access_token":"token-%06d",`, i)
	}
	b.WriteString(`"x":1}`)
	set := redact.NewSet()
	learnTokens([]byte(b.String()), set)
	learned := 0
	for i := range 100 {
		if v := fmt.Sprintf("token-%06d", i); set.Scrub(v) != v {
			learned++
		}
	}
	if learned != maxLearned/2 {
		t.Fatalf("%d tokens learned, want %d", learned, maxLearned/2)
	}
}

// scrubJSON rewrites exactly the strings that hold a secret, keys
// included, and leaves every other byte of the body as it was sent.
func TestScrubJSONRewritesOnlyTheSecretStrings(t *testing.T) {
	set := redact.NewSet()
	set.Add("hunter2-password")
	tests := []struct{ name, body, want string }{
		{"secret in a value", `{"a" : "x", "d":"bad hunter2\u002dpassword"}`, `{"a" : "x", "d":"bad [REDACTED]"}`},
		{"secret in the first key", `{"hunter2\u002dpassword":1,"b":"\u00e9"}`, `{"[REDACTED]":1,"b":"\u00e9"}`},
		{"secret in a later key", `{"b":"\u00e9", "k hunter2\u002dpassword":1}`, `{"b":"\u00e9", "k [REDACTED]":1}`},
		{"secret in a list", `x=[ "\u0068unter2-password" ]`, `x=[ "[REDACTED]" ]`},
		{"no escape: left to the plain scrub", `{"d":"hunter2-password"}`, `{"d":"hunter2-password"}`},
		{"nothing secret", `{"d":"caf\u00e9"}`, `{"d":"caf\u00e9"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(scrubJSON([]byte(tt.body), set)); got != tt.want {
				t.Fatalf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
	if got := string(scrubJSON([]byte(`{"d":"\u0068"}`), nil)); got != `{"d":"\u0068"}` {
		t.Fatalf("without secrets: %s", got)
	}
}

func TestLiteralSpan(t *testing.T) {
	const doc = `{"ab":"cd"}`
	tests := []struct {
		name       string
		data       string
		from, end  int64
		start, got int
	}{
		{"key", doc, 1, 5, 1, 5},
		{"value after the colon", doc, 5, 10, 6, 10},
		{"literal ending the data", doc[:10], 5, 10, 6, 10},
		{"beyond the data", doc, 5, 12, -1, -1},
		{"negative start", doc, -1, 5, -1, -1},
		{"empty span", doc, 5, 5, -1, -1},
		{"no quote", doc, 0, 1, -1, -1},
		{"not ending in a quote", doc, 1, 4, -1, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, e := literalSpan([]byte(tt.data), tt.from, tt.end)
			if s != tt.start || e != tt.got {
				t.Fatalf("literalSpan(%q, %d, %d) = %d, %d; want %d, %d", tt.data, tt.from, tt.end, s, e, tt.start, tt.got)
			}
		})
	}
}

// Unexpected quotes what came: method, URL, status, type (or its absence)
// and either an excerpt or the reason it was refused, with a hint for a
// redirect, a server error and an HTML page.
func TestUnexpectedMessageAndHint(t *testing.T) {
	const u = "https://sso.example.com/realms/r/protocol/openid-connect/token"
	json := http.Header{"Content-Type": {"application/json"}}
	tests := []struct {
		name     string
		ex       Exchange
		reason   string
		wantMsg  string
		notInMsg string
		hint     string // "" for none
		ctype    string
	}{
		{"no content type, no body", Exchange{Method: "POST", URL: u, Status: 500},
			"", "POST " + u + " answered 500 Internal Server Error with no content type", `: "`, "A server or gateway error persisted", "no content type"},
		{"html login page", Exchange{Method: "POST", URL: u, Status: 200, Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}},
			Body: []byte("<html><body><h1>Sign in</h1></body></html>")},
			"", `answered 200 OK with text/html: "Sign in"`, "", "An HTML page instead of JSON", "text/html"},
		{"reason instead of the body", Exchange{Method: "POST", URL: u, Status: 200, Header: json, Body: []byte(`{"access_token":5}`)},
			"its field is a number", "with application/json, but its field is a number", "access_token", "", "application/json"},
		{"redirect", Exchange{Method: "POST", URL: u, Status: 302, Header: http.Header{"Location": {"https://login.example.com/"}}},
			"", "answered 302 Found", "", `The answer is a redirect to "https://login.example.com/"`, "no content type"},
		{"300 is a redirect", Exchange{Method: "GET", URL: u, Status: 300}, "", "answered 300", "", "a redirect to", "no content type"},
		{"399 is a redirect", Exchange{Method: "GET", URL: u, Status: 399}, "", "answered 399", "", "a redirect to", "no content type"},
		{"400 is neither", Exchange{Method: "GET", URL: u, Status: 400, Header: json, Body: []byte(`{"x":1}`)},
			"", `answered 400 Bad Request with application/json: "{\"x\":1}"`, "", "", "application/json"},
		{"299 is no redirect", Exchange{Method: "GET", URL: u, Status: 299, Header: http.Header{"Content-Type": {"text/plain"}}, Body: []byte("x")},
			"", "answered 299", "", "", "text/plain"},
		{"499 is no server error", Exchange{Method: "GET", URL: u, Status: 499}, "", "answered 499", "", "", "no content type"},
		{"a 5xx HTML page is a server error", Exchange{Method: "GET", URL: u, Status: 503, Header: http.Header{"Content-Type": {"text/html"}}},
			"", "answered 503", "", "A server or gateway error persisted", "text/html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := UnexpectedBecause(tt.ex, tt.reason)
			if p.Code != codes.UnexpectedAnswer {
				t.Fatalf("code %s", p.Code)
			}
			if !strings.Contains(p.Message, tt.wantMsg) || tt.notInMsg != "" && strings.Contains(p.Message, tt.notInMsg) {
				t.Errorf("message %q: want %q, not %q", p.Message, tt.wantMsg, tt.notInMsg)
			}
			if tt.hint == "" && p.Hint != "" || !strings.Contains(p.Hint, tt.hint) {
				t.Errorf("hint %q, want %q", p.Hint, tt.hint)
			}
			if p.Details["status"] != tt.ex.Status || p.Details["content_type"] != tt.ctype {
				t.Errorf("details %v", p.Details)
			}
		})
	}
	if p := Unexpected(Exchange{Method: "GET", URL: u, Status: 404, Header: http.Header{"Content-Type": {"text/plain"}}, Body: []byte("nope")}); !strings.HasSuffix(p.Message, `: "nope"`) {
		t.Errorf("Unexpected quotes the body: %q", p.Message)
	}
}

func TestHostOf(t *testing.T) {
	for in, want := range map[string]string{
		"https://sso.example.com:8443/realms/r": "sso.example.com:8443",
		"http://h?x=1":                          "h",
		"http://h#frag":                         "h",
		"https://h":                             "h",
		"http:///path":                          "",
		"://h/p":                                "h",
		"no-scheme/p":                           "no-scheme/p",
	} {
		if got := hostOf(in); got != want {
			t.Errorf("hostOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// An answer that is not HTTP at all is UNEXPECTED_ANSWER naming what is
// wrong; a transport failure is not.
func TestClassifyExchangeMalformedAnswer(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		wantCode   *codes.Code
		wantInText string
	}{
		{"bad header line", fmt.Errorf("net/http: HTTP/1.x transport connection broken: %w", textproto.ProtocolError("malformed MIME header line: \x1b[2J")), codes.UnexpectedAnswer, "malformed MIME header line"},
		{"garbled status line", errors.New(`net/http: HTTP/1.x transport connection broken: malformed HTTP response "HELLO"`), codes.UnexpectedAnswer, `malformed HTTP response "HELLO"`},
		{"protocol error without the word", textproto.ProtocolError("short response"), codes.UnexpectedAnswer, "short response"},
		{"reset", &net.OpError{Op: "read", Err: syscall.ECONNRESET}, codes.Unreachable, "connection reset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ClassifyExchange(Exchange{Method: "GET", URL: "https://sso.test/realms/r", Err: tt.err})
			if p.Code != tt.wantCode || !strings.Contains(p.Message, tt.wantInText) {
				t.Fatalf("got %s: %s", p.Code, p.Message)
			}
			if tt.wantCode == codes.UnexpectedAnswer && (p.Details["cause"] != "malformed answer" || !strings.Contains(p.Message, "GET https://sso.test/realms/r: the answer is not valid HTTP")) {
				t.Fatalf("got %s: %+v", p.Message, p.Details)
			}
		})
	}
}

// Every transport failure has its code, and the certificate failures
// carry the certificate's details.
func TestClassifyTransportEveryBranch(t *testing.T) {
	cert := &x509.Certificate{DNSNames: []string{"sso.example.com"}, IPAddresses: []net.IP{net.ParseIP("10.0.0.5")},
		NotAfter: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
	tests := []struct {
		name      string
		err       error
		wantCode  *codes.Code
		wantMsg   string
		wantNames bool
	}{
		{"unknown authority", x509.UnknownAuthorityError{Cert: cert}, codes.TLSUntrusted, "sso.example.com:443: x509:", true},
		{"hostname", x509.HostnameError{Certificate: cert, Host: "other.example.com"}, codes.TLSHostnameMismatch, "other.example.com", true},
		{"expired", x509.CertificateInvalidError{Cert: cert, Reason: x509.Expired}, codes.TLSExpired, "expired", true},
		{"invalid for another reason", x509.CertificateInvalidError{Cert: cert, Reason: x509.NotAuthorizedToSign}, codes.Unreachable, "not authorized", false},
		{"plain HTTP on a TLS port", tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}, codes.TLSHandshakeFailed, "does not speak TLS", false},
		{"macOS verifier", errors.New("x509: “sso.example.com” certificate is not trusted"), codes.TLSUntrusted, "not trusted", false},
		{"verification error", &tls.CertificateVerificationError{Err: errors.New("chain too long")}, codes.TLSHandshakeFailed, "chain too long", false},
		{"dial failure", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("network is unreachable")}, codes.Unreachable, "cannot connect to sso.example.com:443: network is unreachable", false},
		{"read failure", &net.OpError{Op: "read", Net: "tcp", Err: errors.New("no route")}, codes.Unreachable, "sso.example.com:443: read tcp", false},
		{"tls alert", errors.New("remote error: tls: handshake failure"), codes.TLSHandshakeFailed, "remote error", false},
		{"tls prefix", errors.New("tls: protocol version not supported"), codes.TLSHandshakeFailed, "protocol version", false},
		{"anything else", errors.New("something odd"), codes.Unreachable, "sso.example.com:443: something odd", false},
		{"eof", io.ErrUnexpectedEOF, codes.Unreachable, "connection reset", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ClassifyTransport("sso.example.com:443", tt.err)
			if p.Code != tt.wantCode || !strings.Contains(p.Message, tt.wantMsg) {
				t.Fatalf("got %s %q, want %s %q", p.Code, p.Message, tt.wantCode, tt.wantMsg)
			}
			if tt.wantNames {
				if p.Details["not_after"] != "2030-01-02T03:04:05Z" || fmt.Sprint(p.Details["names"]) != "[sso.example.com 10.0.0.5]" {
					t.Fatalf("details %v", p.Details)
				}
			}
		})
	}
	if certDetails(nil) != nil {
		t.Error("no certificate, no details")
	}
	if d := certDetails(&x509.Certificate{}); d["names"] != nil {
		t.Errorf("a certificate without names has no names entry: %v", d)
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LocalHost": true, "app.localhost": true, "APP.LOCALHOST": true,
		"127.0.0.1": true, "127.8.9.10": true, "::1": true, "[::1]": true,
		"example.com": false, "localhost.example.com": false, "10.0.0.1": false, "": false,
	} {
		if got := IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

// A problem scrubs the run's secrets from its text and details, and says
// its code first.
func TestProblemScrubbedAndError(t *testing.T) {
	set := redact.NewSet()
	set.Add("hunter2-password")
	p := &Problem{Code: codes.InvalidUserCredentials, Message: "said hunter2-password", Hint: "hint hunter2-password",
		Details: map[string]any{"s": "x hunter2-password", "l": []string{"hunter2-password", "ok"}, "n": 5}}
	got := p.Scrubbed(set)
	if got.Message != "said [REDACTED]" || got.Hint != "hint [REDACTED]" || got.Details["s"] != "x [REDACTED]" ||
		fmt.Sprint(got.Details["l"]) != "[[REDACTED] ok]" || got.Details["n"] != 5 {
		t.Fatalf("got %+v", got)
	}
	if p.Message != "said hunter2-password" || fmt.Sprint(p.Details["l"]) != "[hunter2-password ok]" {
		t.Fatalf("the original changed: %+v", p)
	}
	if got.Error() != "INVALID_USER_CREDENTIALS: said [REDACTED]" {
		t.Fatalf("Error() = %q", got.Error())
	}
	if p.Scrubbed(nil) != p {
		t.Error("without secrets, the problem itself")
	}
	var none *Problem
	if none.Scrubbed(set) != nil {
		t.Error("nil stays nil")
	}
	if q := (&Problem{Code: codes.InvalidUserCredentials, Message: "m"}).Scrubbed(set); q.Details != nil {
		t.Errorf("no details stay none: %v", q.Details)
	}
}

// The stack's defaults: a retry waits 200 ms, at most four times that,
// and every request says it is authdoctor and asks for JSON unless it
// asked for something else.
func TestTransportDefaults(t *testing.T) {
	rc := func(tr *Transport) *retryablehttp.Client {
		return tr.client.Transport.(*userAgent).next.(*retryablehttp.RoundTripper).Client
	}
	def := NewTransport(TransportOptions{})
	defer def.Close()
	if c := rc(def); c.RetryWaitMin != 200*time.Millisecond || c.RetryWaitMax != 800*time.Millisecond || c.RetryMax != maxRetries {
		t.Fatalf("default waits %s..%s, %d retries", c.RetryWaitMin, c.RetryWaitMax, c.RetryMax)
	}
	set := NewTransport(TransportOptions{RetryWait: 5 * time.Millisecond})
	defer set.Close()
	if c := rc(set); c.RetryWaitMin != 5*time.Millisecond || c.RetryWaitMax != 20*time.Millisecond {
		t.Fatalf("waits %s..%s", c.RetryWaitMin, c.RetryWaitMax)
	}

	var ua, accept []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua, accept = append(ua, r.Header.Get("User-Agent")), append(accept, r.Header.Get("Accept"))
	}))
	defer srv.Close()
	named := NewTransport(TransportOptions{UserAgent: "authdoctor/1.2.3"})
	defer named.Close()
	for _, tc := range []struct {
		tr     *Transport
		accept string
	}{{def, ""}, {named, "text/plain"}} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		if tc.accept != "" {
			req.Header.Set("Accept", tc.accept)
		}
		resp, err := tc.tr.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
	}
	if fmt.Sprint(ua) != "[authdoctor authdoctor/1.2.3]" || fmt.Sprint(accept) != "[application/json text/plain]" {
		t.Fatalf("User-Agent %q, Accept %q", ua, accept)
	}
}

// A connection the server resets after reading the request is retried,
// like a refused one: it cannot have been evaluated.
func TestRetriesResetConnection(t *testing.T) {
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		t.Run(method, func(t *testing.T) {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			go func() {
				for n := 0; ; n++ {
					c, err := l.Accept()
					if err != nil {
						return
					}
					readRequest(c)
					if n == 0 {
						_ = c.(*net.TCPConn).SetLinger(0) // close with a RST
						_ = c.Close()
						continue
					}
					_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
					_ = c.Close()
				}
			}()
			tr := testTransport()
			defer tr.Close()
			ctx, rec := Record(context.Background())
			req, _ := http.NewRequestWithContext(ctx, method, "http://"+l.Addr().String()+"/token", strings.NewReader("grant_type=password"))
			resp, err := tr.Client().Do(req)
			if err != nil {
				t.Fatalf("the reset was not retried: %v", err)
			}
			body, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != 200 || string(body) != "ok" || rec.Count() != 2 {
				t.Fatalf("status %d %q after %d attempts; want 200 after 2", resp.StatusCode, body, rec.Count())
			}
			first := rec.exchanges[0]
			if p := ClassifyExchange(first); p.Details["cause"] != "reset" {
				t.Fatalf("the first attempt: %s %v", p.Message, p.Details)
			}
		})
	}
}

// readRequest reads one HTTP/1.1 request (headers and a Content-Length
// body) from c.
func readRequest(c net.Conn) {
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	r := textproto.NewReader(bufio.NewReader(c))
	if _, err := r.ReadLine(); err != nil {
		return
	}
	h, err := r.ReadMIMEHeader()
	if err != nil {
		return
	}
	var n int
	_, _ = fmt.Sscan(h.Get("Content-Length"), &n)
	_, _ = io.ReadFull(r.R, make([]byte, n))
}

// The -v transcript shows a request body only when there is one, the
// answer's type only when it has one, a body only when it is not empty,
// and a curl replay that repeats the method, the body and its encoding.
func TestTranscriptSections(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/empty":
			w.WriteHeader(http.StatusNoContent)
		case "/typed":
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"ok":true}`)
		default:
			w.Header()["Content-Type"] = nil
			_, _ = io.WriteString(w, "plain")
		}
	}))
	defer srv.Close()
	tests := []struct {
		name, method, path, ctype, body string
		want, not                       []string
	}{
		{"GET without a body, empty answer", http.MethodGet, "/empty", "", "",
			[]string{"> GET " + srv.URL + "/empty\n", "< HTTP/1.1 204 No Content (", "  replay: curl -sS " + srv.URL + "/empty -H 'Accept: application/json'\n"},
			[]string{">\n", "<\n", "Content-Type", "-X", "--data"}},
		{"form POST, typed answer", http.MethodPost, "/typed", "application/x-www-form-urlencoded", "grant_type=password&password=hunter2-pw&username=ana",
			[]string{">\n> grant_type=password&password=%5BREDACTED%5D&username=ana\n", "< Content-Type: application/json\n", "<\n< {\"ok\":true}\n",
				"  replay: curl -sS -X POST " + srv.URL + `/typed -H 'Accept: application/json' --data-urlencode grant_type=password --data-urlencode "password=$PASSWORD" --data-urlencode username=ana` + "\n"},
			[]string{"hunter2", "--data-raw", "-H 'Content-Type"}},
		{"JSON POST, untyped answer", http.MethodPost, "/other", "application/json", `{"query":"{ __typename }"}`,
			[]string{">\n> {\"query\":\"{ __typename }\"}\n", "<\n< plain\n", `-X POST`, `-H 'Content-Type: application/json'`, `--data-raw '{"query":"{ __typename }"}'`},
			[]string{"< Content-Type", "--data-urlencode"}},
		{"unparseable form", http.MethodPost, "/typed", "application/x-www-form-urlencoded", "a=%zz",
			[]string{"> [unparseable form body omitted]\n"}, []string{"%zz\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			tr := NewTransport(TransportOptions{Transcript: &out, Secrets: redact.NewSet(), RetryWait: time.Millisecond})
			defer tr.Close()
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, body)
			if tt.ctype != "" {
				req.Header.Set("Content-Type", tt.ctype)
			}
			resp, err := tr.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			got := out.String()
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("transcript lacks %q:\n%s", w, got)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("transcript has %q:\n%s", n, got)
				}
			}
		})
	}
}

// The transcript shows a transport error, scrubbed and on one line.
func TestTranscriptShowsTransportError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	var out bytes.Buffer
	tr := NewTransport(TransportOptions{Transcript: &out, Secrets: redact.NewSet(), RetryWait: time.Millisecond})
	defer tr.Close()
	if _, err := tr.Client().Get("http://" + addr + "/"); err == nil {
		t.Fatal("want an error")
	}
	if got := out.String(); !strings.Contains(got, "< error after ") || !strings.Contains(got, "connection refused") {
		t.Fatalf("got %s", got)
	}
}

// Authorization headers show their scheme only.
func TestHeaderValue(t *testing.T) {
	for _, tc := range []struct{ name, value, want string }{
		{"Authorization", "Bearer eyJ.a.b", "Bearer [REDACTED]"},
		{"authorization", "Basic c3ZjOnNlY3JldA==", "Basic [REDACTED]"},
		{"Accept", "application/json", "application/json"},
	} {
		if got := headerValue(tc.name, tc.value); got != tc.want {
			t.Errorf("headerValue(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// Hosts whose TLS check negotiated HTTP/2 go through the transport that
// dials one connection at a time; every other request through the other.
func TestHostRouterPicksTheTransport(t *testing.T) {
	d := newDialer(&tls.Config{}, nil)
	d.h2["h2.example.com:443"] = true
	used := ""
	via := func(name string) *http.Transport {
		return &http.Transport{
			DialContext: func(context.Context, string, string) (net.Conn, error) {
				used = name
				return nil, errors.New("stop")
			},
			DialTLSContext: func(context.Context, string, string) (net.Conn, error) {
				used = name
				return nil, errors.New("stop")
			},
		}
	}
	r := &hostRouter{dialer: d, h1: via("h1"), h2: via("h2")}
	for url, want := range map[string]string{
		"https://h2.example.com/x":     "h2",
		"https://h2.example.com:443/x": "h2",
		"http://h2.example.com:443/x":  "h1",
		"https://h1.example.com/x":     "h1",
	} {
		used = ""
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		_, _ = r.RoundTrip(req)
		if used != want {
			t.Errorf("%s went through %q, want %q", url, used, want)
		}
	}
}

func TestParseResolvePortRange(t *testing.T) {
	for _, tc := range []struct {
		entry string
		ok    bool
	}{
		{"h:1:127.0.0.1", true}, {"h:65535:127.0.0.1", true}, {"h:0:127.0.0.1", false}, {"h:65536:127.0.0.1", false},
		{"h:443:[::1]", true},
	} {
		got, err := ParseResolve([]string{tc.entry})
		if (err == nil) != tc.ok {
			t.Errorf("%q: err %v, want ok=%v", tc.entry, err, tc.ok)
		}
		if tc.ok && len(got) != 1 {
			t.Errorf("%q: %v", tc.entry, got)
		}
	}
	got, _ := ParseResolve([]string{"h:443:[::1]"})
	if got["h:443"] != "[::1]:443" {
		t.Errorf("IPv6: %v", got)
	}
}
