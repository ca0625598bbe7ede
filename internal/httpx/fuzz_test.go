package httpx

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/authdoctor/authdoctor/internal/fuzzseed"
	"github.com/authdoctor/authdoctor/internal/redact"
)

const fuzzPassword = "fuzz-Pa55word-7c1e"

type fixedAnswer struct {
	status int
	ctype  string
	body   []byte
}

func (a fixedAnswer) RoundTrip(req *http.Request) (*http.Response, error) {
	h := http.Header{}
	if a.ctype != "" {
		h.Set("Content-Type", a.ctype)
	}
	return &http.Response{StatusCode: a.status, Status: http.StatusText(a.status), Proto: "HTTP/1.1", Header: h,
		Body: io.NopCloser(bytes.NewReader(a.body)), Request: req}, nil
}

// tokenValues are the token values of a JSON body as encoding/json reads
// them: what a client would take for the tokens.
func tokenValues(body []byte) []string {
	var fields map[string]any
	if json.Unmarshal(body, &fields) != nil {
		return nil
	}
	var out []string
	for k, v := range fields {
		if s, ok := v.(string); ok && isTokenKey(k) && len(s) >= redact.MinLength && !strings.ContainsAny(s, " \t\r\n<>") {
			out = append(out, s)
		}
	}
	return out
}

// What a server sends, through the -v transcript and the excerpt an
// UNEXPECTED_RESPONSE quotes: never a token the answer carries, never the
// password, never a control character.
func FuzzAnswerText(f *testing.F) {
	answers, err := fuzzseed.Answers()
	if err != nil {
		f.Fatal(err)
	}
	for _, a := range answers {
		f.Add(a.Status, a.ContentType, a.Body)
	}
	f.Add(200, "text/plain", []byte(`{"access\u005ftoken":"eyJ.tok\u0065n.sig","refresh_token":"r1","access_token":"dup-value"}`))
	f.Add(200, "application/x-www-form-urlencoded", []byte("access_token=abc%2Edef&token_type=bearer"))
	f.Add(502, "text/html", []byte("<html>\x1b]0;t\x07 password="+fuzzPassword+" <b>"+fuzzPassword+"</b>\u009b</html>"))
	f.Add(401, "application/json", []byte(`{"error":"invalid_grant","error_description":"\u0066uzz-Pa55word-7c1e"}`))
	f.Fuzz(func(t *testing.T, status int, ctype string, body []byte) {
		if status < 100 || status > 999 {
			status = 200
		}
		set := redact.NewSet()
		set.Add(fuzzPassword)
		var out bytes.Buffer
		w := redact.NewWriter(&out, set)
		rt := recordingTransport{next: &transcriptTransport{next: bodyTransport{next: fixedAnswer{status, ctype, body}, secrets: set}, out: w, secrets: set}, secrets: set}
		ctx, rec := Record(t.Context())
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "https://sso.example.com/realms/r/protocol/openid-connect/token", strings.NewReader("grant_type=password&password="+fuzzPassword))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := rt.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		_ = w.Flush()
		ex, _ := rec.Last()
		texts := map[string]string{"transcript": out.String(), "excerpt": ex.Excerpt(maxQuoted), "problem": Unexpected(ex).Message}
		for where, text := range texts {
			for _, secret := range append(tokenValues(body), fuzzPassword) {
				if strings.Contains(text, secret) {
					t.Fatalf("the %s shows %q:\n%s", where, secret, text)
				}
			}
		}
		for i := 0; i < len(texts["transcript"]); {
			r, size := utf8.DecodeRuneInString(texts["transcript"][i:])
			if (r == utf8.RuneError && size == 1) || (unicode.IsControl(r) && r != '\n') {
				t.Fatalf("the transcript carries %U at %d", r, i)
			}
			i += size
		}
	})
}
