package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"log"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authdoctor/authdoctor/checks"
	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/internal/iostreams"
)

// The fault-injection suite: the sandbox behind a server that misbehaves on
// purpose. Every case runs the real CLI twice, without and with -v, with a
// report in every format, and holds it to the same promises: the expected
// code on the expected check, a run that ends within its --timeout, complete
// reports, no secret or token anywhere, and no control character anywhere.

// hostile is the sandbox behind a hostile server.
type hostile struct {
	*httptest.Server
	real    http.Handler // the sandbox, recording the tokens it issues
	sandbox *sandbox
	mu      sync.Mutex
	planted []string // secrets the hostile server sent of its own (its tokens, decoys)
	hits    map[string]int
}

// serveFunc answers a request, or returns false to let the sandbox answer.
type serveFunc func(h *hostile, w http.ResponseWriter, r *http.Request) bool

// sharedSandbox is the sandbox behind every hostile server of a test: no
// case reaches it with a wrong password (the hostile server answers those
// itself), so one serves them all; it records every token it issues.
func sharedSandbox(t *testing.T) (*sandbox, http.Handler) {
	s := &sandbox{sb: newSandbox(t, fixtures.Options{})}
	return s, s.recordTokens(s.sb.Handler())
}

func startHostile(t *testing.T, s *sandbox, real http.Handler, serve serveFunc) *hostile {
	t.Helper()
	h := &hostile{real: real, sandbox: s, hits: map[string]int{}}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.hits[r.Host+r.URL.Path]++
		h.mu.Unlock()
		// Keep the form readable for both the hostile server and the sandbox.
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if serve == nil || !serve(h, w, r) {
			r.Body = io.NopCloser(bytes.NewReader(body))
			h.real.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hostile) plant(secrets ...string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.planted = append(h.planted, secrets...)
}

func (h *hostile) hitCount(hostPath string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.hits[hostPath]
}

// realAnswer is the sandbox's own answer to r (its tokens recorded).
func (h *hostile) realAnswer(r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.real.ServeHTTP(rec, r)
	return rec
}

// grantOf is the grant_type of a token request ("" for other requests).
func grantOf(r *http.Request) string {
	if !strings.HasSuffix(r.URL.Path, "/protocol/openid-connect/token") {
		return ""
	}
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	form, _ := url.ParseQuery(string(body))
	return form.Get("grant_type")
}

func isToken(r *http.Request) bool {
	return strings.HasSuffix(r.URL.Path, "/protocol/openid-connect/token")
}

// --- what a hostile server does -------------------------------------------

// answer serves a fixed answer to the requests whose path ends with suffix.
func answer(suffix string, status int, ctype, body string) serveFunc {
	return func(h *hostile, w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, suffix) {
			return false
		}
		if ctype != "" {
			w.Header().Set("Content-Type", ctype)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
		return true
	}
}

// rewriteToken passes the sandbox's own answer to a grant ("password",
// "refresh_token") through rewrite, and serves the result with ctype.
func rewriteToken(grant, ctype string, rewrite func(body []byte) []byte) serveFunc {
	return func(h *hostile, w http.ResponseWriter, r *http.Request) bool {
		if grantOf(r) != grant {
			return false
		}
		rec := h.realAnswer(r)
		if rec.Code != http.StatusOK {
			panic(fmt.Sprintf("the sandbox refused the %s grant: %d %s", grant, rec.Code, rec.Body.String()))
		}
		if ctype != "" {
			w.Header().Set("Content-Type", ctype)
		}
		_, _ = w.Write(rewrite(rec.Body.Bytes()))
		return true
	}
}

// mutateToken changes fields of the sandbox's own token answer: set (raw
// JSON values) and delete.
func mutateToken(grant string, set map[string]string, del ...string) serveFunc {
	return rewriteToken(grant, "application/json", func(body []byte) []byte {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(body, &fields); err != nil {
			panic(err)
		}
		for k, v := range set {
			fields[k] = json.RawMessage(v)
		}
		for _, k := range del {
			delete(fields, k)
		}
		out, err := json.Marshal(fields)
		if err != nil {
			panic(err)
		}
		return out
	})
}

// raw writes bytes on the connection as the whole answer: header values and
// status lines no well-behaved server library would send.
func raw(suffix, response string) serveFunc {
	return func(h *hostile, w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, suffix) {
			return false
		}
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			panic(err)
		}
		defer conn.Close()
		_, _ = buf.WriteString(response)
		_ = buf.Flush()
		return true
	}
}

// stall sends the status, the headers and the start of the body (if any),
// then nothing more until the client gives up.
func stall(suffix, start string) serveFunc {
	return func(h *hostile, w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, suffix) {
			return false
		}
		if start != "" {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "100000")
			_, _ = io.WriteString(w, start)
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-time.After(30 * time.Second):
		}
		return true
	}
}

// endless answers 200 with a body that never ends: start, then chunk for
// ever, until the client hangs up.
func endless(suffix, ctype, start, chunk string) serveFunc {
	return func(h *hostile, w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, suffix) {
			return false
		}
		w.Header().Set("Content-Type", ctype)
		if _, err := io.WriteString(w, start); err != nil {
			return true
		}
		big := strings.Repeat(chunk, 64<<10/len(chunk))
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			if _, err := io.WriteString(w, big); err != nil {
				return true
			}
		}
		return true
	}
}

// hostileToken is a token the hostile server signs with its own key, whose
// key set it serves too: claims of any type pass the signature check.
func hostileToken(claims jwt.MapClaims) serveFunc {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = "hostile-key"
	signed, err := tok.SignedString(key)
	if err != nil {
		panic(err)
	}
	b64 := func(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
	jwks := fmt.Sprintf(`{"keys":[{"kty":"RSA","kid":"hostile-key","use":"sig","alg":"RS256","n":%q,"e":%q}]}`,
		b64(key.N.Bytes()), b64(big.NewInt(int64(key.E)).Bytes()))
	answer := fmt.Sprintf(`{"access_token":%q,"expires_in":300,"refresh_expires_in":1800,"refresh_token":"hostile-refresh-token-8d1f","token_type":"Bearer","scope":"openid"}`, signed)
	return func(h *hostile, w http.ResponseWriter, r *http.Request) bool {
		switch {
		case isToken(r):
			h.plant(signed, strings.Split(signed, ".")[2], "hostile-refresh-token-8d1f")
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, answer)
		case strings.HasSuffix(r.URL.Path, "/protocol/openid-connect/certs"):
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, jwks)
		default:
			return false
		}
		return true
	}
}

// --- the cases ----------------------------------------------------------------

// echoPassword is a password a server echoes back: double spaces, a tab, a
// line break, markup, and characters that form and JSON encodings change.
const echoPassword = "Zx9  Qv\t<b>Wk</b>\n&Yj%+Rm\"\\"

// echoSecret is a client secret echoed the same way.
const echoSecret = "Cs7 <i>Lp</i>\tNo%2Bq&Hd"

// escapes is what a hostile server puts in its text: clear the screen, set
// the window title, write the clipboard (OSC 52), an 8-bit CSI (as the C1
// character and as a raw byte), a right-to-left override, a forged line.
const escapes = "\x1b[2J\x1b]0;pwned\x07\x1b]52;c;cHduZWQ=\x07\u009b31m\u202e\r\nFAIL forged"

// jsonString spells s as a JSON string, escapes and all.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// unicodeEscaped spells s as a JSON string of \u escapes only.
func unicodeEscaped(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	b.WriteByte('"')
	return b.String()
}

type hostileCase struct {
	name     string
	serve    serveFunc
	env      map[string]string // set over Ana's environment; "" deletes
	args     []string
	timeout  time.Duration // --timeout; 0: 10s
	check    string
	status   string
	code     string
	inMsg    string            // the check's message contains this
	others   map[string]string // other checks: id → status
	after    func(t *testing.T, h *hostile)
	withHost func(h *hostile) (env map[string]string, args []string) // settings that need the server's address
}

func hostileCases() []hostileCase {
	wrongType := func(name, grant, field, value, check, inMsg string) hostileCase {
		return hostileCase{name: name, serve: mutateToken(grant, map[string]string{field: value}),
			check: check, status: "fail", code: "UNEXPECTED_RESPONSE", inMsg: inMsg}
	}
	redirectTo := func(suffix string) serveFunc {
		return func(h *hostile, w http.ResponseWriter, r *http.Request) bool {
			if !strings.HasSuffix(r.URL.Path, suffix) {
				return false
			}
			// Another host: its name resolves to this machine, so a request
			// that followed the redirect would be counted.
			w.Header().Set("Location", "http://elsewhere.authdoctor.test:"+portOf(h.URL)+r.URL.Path)
			w.WriteHeader(http.StatusTemporaryRedirect)
			return true
		}
	}
	noRequestElsewhere := func(t *testing.T, h *hostile) {
		for hostPath, n := range h.hits {
			if strings.HasPrefix(hostPath, "elsewhere.") {
				t.Errorf("the redirect was followed: %d requests to %s", n, hostPath)
			}
		}
	}
	return []hostileCase{
		// Fields of the wrong type in the token answer: no panic, the field named.
		wrongType("expires_in string", "password", "expires_in", `"300"`, "credentials", `field "expires_in" is a string ("300")`),
		wrongType("expires_in float", "password", "expires_in", `300.5`, "credentials", `"expires_in" is a number (300.5)`),
		wrongType("expires_in bool", "password", "expires_in", `true`, "credentials", `"expires_in" is a boolean`),
		wrongType("expires_in list", "password", "expires_in", `[300]`, "credentials", `"expires_in" is a list`),
		wrongType("expires_in object", "password", "expires_in", `{"s":300}`, "credentials", `"expires_in" is an object`),
		wrongType("expires_in beyond int64", "password", "expires_in", `1e400`, "credentials", `"expires_in" is a number (1e400)`),
		wrongType("refresh_expires_in string", "password", "refresh_expires_in", `"1800"`, "credentials", `"refresh_expires_in" is a string`),
		wrongType("token_type number", "password", "token_type", `5`, "credentials", `"token_type" is a number (5)`),
		wrongType("scope list", "password", "scope", `["openid","email"]`, "credentials", `"scope" is a list`),
		wrongType("access_token number", "password", "access_token", `42`, "credentials", `"access_token" is a number`),
		wrongType("access_token null", "password", "access_token", `null`, "credentials", `"access_token" is missing`),
		wrongType("id_token object", "password", "id_token", `{"a":1}`, "credentials", `"id_token" is an object`),
		wrongType("refresh answer: expires_in string", "refresh_token", "expires_in", `"300"`, "refresh", `"expires_in" is a string`),
		wrongType("refresh answer: refresh_token list", "refresh_token", "refresh_token", `["x"]`, "refresh", `"refresh_token" is a list`),

		// Lifetimes no usable token has: a finding, never "valid for -1 s".
		{name: "expires_in negative", serve: mutateToken("password", map[string]string{"expires_in": `-1`}),
			check: "credentials", status: "fail", code: "TOKEN_LIFETIME_INVALID", inMsg: "Keycloak issued an access token with expires_in -1 (password grant): it is expired on arrival"},
		{name: "expires_in zero", serve: mutateToken("password", map[string]string{"expires_in": `0`}),
			check: "credentials", status: "fail", code: "TOKEN_LIFETIME_INVALID", inMsg: "Keycloak issued an access token with expires_in 0 (password grant): it is expired on arrival"},
		{name: "refresh_expires_in negative", serve: mutateToken("password", map[string]string{"refresh_expires_in": `-5`}),
			check: "credentials", status: "fail", code: "TOKEN_LIFETIME_INVALID", inMsg: "refresh_expires_in -5"},
		{name: "refresh answer: expires_in negative", serve: mutateToken("refresh_token", map[string]string{"expires_in": `-1`}),
			check: "refresh", status: "fail", code: "TOKEN_LIFETIME_INVALID", inMsg: "Keycloak issued an access token with expires_in -1 (refresh-token grant): it is expired on arrival"},
		{name: "expires_in missing", serve: mutateToken("password", nil, "expires_in"),
			check: "credentials", status: "pass", inMsg: "token with no stated lifetime"},
		{name: "refresh_expires_in missing", serve: mutateToken("password", nil, "refresh_expires_in"),
			check: "credentials", status: "pass", inMsg: "refresh token with its lifetime not stated"},
		{name: "refresh answer without expires_in", serve: mutateToken("refresh_token", nil, "expires_in"),
			check: "refresh", status: "pass", inMsg: "with no stated lifetime"},

		// Other answers with fields of the wrong type.
		{name: "discovery with an issuer of the wrong type", serve: answer("/.well-known/openid-configuration", 200, "application/json",
			`{"issuer":["https://sso.example.com"],"token_endpoint":5,"jwks_uri":{"x":1}}`),
			check: "realm", status: "fail", code: "UNEXPECTED_RESPONSE", inMsg: "openid-configuration"},
		{name: "key set of the wrong shape", serve: answer("/protocol/openid-connect/certs", 200, "application/json", `{"keys":"none","x":[1,2]}`),
			check: "roles", status: "fail", code: "UNEXPECTED_RESPONSE", inMsg: "could not be read as a JWKS"},

		// Control characters in everything a server says.
		{name: "escapes in the OAuth error", serve: answer("/token", 401, "application/json",
			`{"error":`+jsonString("invalid_grant"+escapes)+`,"error_description":`+jsonString("Invalid user credentials"+escapes)+`}`),
			check: "credentials", status: "fail", code: "GRANT_REJECTED", inMsg: `\x1b[2J\x1b]0;pwned\x07`},
		{name: "escapes in an HTML error page", serve: answer("/token", 500, "text/html",
			"<html><body><h1>Error "+escapes+"\x9b\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\</h1></body></html>"),
			check: "credentials", status: "fail", code: "UNEXPECTED_RESPONSE", inMsg: `\x1b[2J`},
		{name: "escapes in a GraphQL error", serve: answer("/v1/graphql", 200, "application/json",
			`{"errors":[{"message":`+jsonString("denied"+escapes)+`,"extensions":{"code":`+jsonString("access-denied"+escapes)+`}}]}`),
			check: "graphql", status: "fail", code: "GRAPHQL_ACCESS_DENIED", inMsg: `\u009b31m`},
		{name: "escapes in __typename", serve: answer("/v1/graphql", 200, "application/json",
			`{"data":{"__typename":`+jsonString("query_root"+escapes)+`,"__schema":{"queryType":{"name":"query_root","fields":[{"name":"get_upload_url"}]}}}}`),
			check: "graphql", status: "pass", inMsg: `\u202e`},
		{name: "escapes in the issuer", serve: func(h *hostile, w http.ResponseWriter, r *http.Request) bool {
			if !strings.HasSuffix(r.URL.Path, "/.well-known/openid-configuration") {
				return false
			}
			rec := h.realAnswer(r)
			var doc map[string]any
			_ = json.Unmarshal(rec.Body.Bytes(), &doc)
			doc["issuer"] = "https://sso.example.com/realms/x" + escapes
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(doc)
			return true
		}, check: "realm", status: "warn", code: "ISSUER_MISMATCH", inMsg: `\x1b]52;c;cHduZWQ=\x07`},
		{name: "escapes in a redirect's Location", serve: raw("/token",
			"HTTP/1.1 302 Found\r\nLocation: https://login.example.com/\x1b]0;pwned\x07\x9b2J\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
			check: "credentials", status: "fail", code: "UNEXPECTED_RESPONSE", inMsg: `not valid HTTP (malformed MIME header line: "Location: https://login.example.com/\x1b]0;pwned`},
		{name: "escapes in the status line", serve: raw("/token",
			"HTTP/1.1 400 Bad\x1b[2J\x9b Request\r\nContent-Type: text/plain\r\nContent-Length: 10\r\nConnection: close\r\n\r\nno\x1b[31mway"),
			check: "credentials", status: "fail", code: "UNEXPECTED_RESPONSE", inMsg: `no\x1b[31mway`},
		{name: "escapes in a GraphQL header", serve: raw("/v1/graphql",
			"HTTP/1.1 200 OK\r\nContent-Type: application/json\x1b]0;t\x07\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"),
			check: "graphql", status: "fail", code: "GRAPHQL_UNREACHABLE", inMsg: "not valid HTTP"},

		// Secrets echoed back, in every spelling and position.
		{name: "password echoed in the OAuth error", env: map[string]string{"PASSWORD": echoPassword},
			serve: func(h *hostile, w http.ResponseWriter, r *http.Request) bool {
				if !isToken(r) {
					return false
				}
				_ = r.ParseForm()
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(401)
				_, _ = io.WriteString(w, `{"error":"invalid_grant","error_description":`+jsonString("Invalid password: "+r.PostForm.Get("password")+" for ana")+`}`)
				return true
			}, check: "credentials", status: "fail", code: "GRANT_REJECTED", inMsg: "Invalid password: [REDACTED] for ana"},
		{name: "password echoed in \\u escapes", env: map[string]string{"PASSWORD": echoPassword},
			serve: answer("/token", 401, "application/json", `{"error":"invalid_grant","error_description":`+unicodeEscaped("bad "+echoPassword)+`}`),
			check: "credentials", status: "fail", code: "GRANT_REJECTED", inMsg: "bad [REDACTED]"},
		{name: "password echoed in an HTML page, cut at every position", env: map[string]string{"PASSWORD": echoPassword},
			serve: func(h *hostile, w http.ResponseWriter, r *http.Request) bool {
				if !isToken(r) {
					return false
				}
				body, _ := io.ReadAll(r.Body)
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(400)
				// The form as received (the password URL-encoded) falls across
				// the excerpt's cut; the password itself sits in markup.
				fmt.Fprintf(w, "<html><body><p>%s</p><pre>%s</pre><b>%s</b></body></html>", strings.Repeat("padding ", 12), body, echoPassword)
				return true
			}, check: "credentials", status: "fail", code: "UNEXPECTED_RESPONSE", inMsg: "password=[REDACTED]"},
		{name: "client secret echoed", env: map[string]string{"USERNAME": "", "PASSWORD": "", "CLIENT_ID": "svc-reports", "CLIENT_SECRET": echoSecret},
			serve: func(h *hostile, w http.ResponseWriter, r *http.Request) bool {
				if !isToken(r) {
					return false
				}
				user, pass, _ := r.BasicAuth()
				secret, _ := url.QueryUnescape(pass)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(401)
				_, _ = io.WriteString(w, `{"error":"unauthorized_client","error_description":`+jsonString(fmt.Sprintf("secret %s / %s / %s rejected for %s", secret, pass, r.Header.Get("Authorization"), user))+`}`)
				return true
			}, check: "credentials", status: "fail", code: "GRANT_REJECTED", inMsg: "secret [REDACTED] / [REDACTED] / Basic [REDACTED] rejected"},

		// Token answers of other media types, and JSON in other spellings.
		{name: "token answer as text/plain", serve: rewriteToken("password", "text/plain", nil2same),
			check: "credentials", status: "fail", code: "UNEXPECTED_RESPONSE", inMsg: "text/plain"},
		{name: "token answer as application/problem+json", serve: rewriteToken("password", "application/problem+json", nil2same),
			check: "credentials", status: "fail", code: "UNEXPECTED_RESPONSE", inMsg: "application/problem+json"},
		{name: "token answer as application/vnd.x+json", serve: rewriteToken("password", "application/vnd.x+json", nil2same),
			check: "credentials", status: "fail", code: "UNEXPECTED_RESPONSE", inMsg: "application/vnd.x+json"},
		{name: "token answer without a content type", serve: rewriteToken("password", "", nil2same),
			check: "credentials", status: "fail", code: "UNEXPECTED_RESPONSE"},
		{name: "token answer with a charset", serve: rewriteToken("password", "application/json; charset=UTF-8", nil2same),
			check: "credentials", status: "pass"},
		{name: "token answer form-encoded", serve: rewriteToken("password", "application/x-www-form-urlencoded", func(b []byte) []byte {
			var m map[string]any
			_ = json.Unmarshal(b, &m)
			form := url.Values{}
			for k, v := range m {
				form.Set(k, fmt.Sprint(v))
			}
			return []byte(form.Encode())
		}), check: "credentials", status: "fail", code: "UNEXPECTED_RESPONSE"},
		{name: "token answer after an XSSI prefix", serve: rewriteToken("password", "application/json", func(b []byte) []byte {
			return append([]byte(")]}'\n"), b...)
		}), check: "credentials", status: "fail", code: "UNEXPECTED_RESPONSE"},
		{name: "token key in a JSON escape", serve: rewriteToken("password", "application/json", func(b []byte) []byte {
			return bytes.ReplaceAll(b, []byte(`"access_token"`), []byte(`"access\u005ftoken"`))
		}), check: "credentials", status: "pass"},
		{name: "token value with JSON escapes", serve: rewriteToken("password", "application/json", func(b []byte) []byte {
			var m map[string]json.RawMessage
			_ = json.Unmarshal(b, &m)
			var tok string
			_ = json.Unmarshal(m["access_token"], &tok)
			m["access_token"] = json.RawMessage(`"` + strings.ReplaceAll(strings.ReplaceAll(tok, ".", `\u002e`), "-", `\u002d`) + `"`)
			out, _ := json.Marshal(m)
			return out
		}), check: "credentials", status: "pass"},
		{name: "token key twice, a decoy first", serve: func(h *hostile, w http.ResponseWriter, r *http.Request) bool {
			h.plant("decoy-Access-Token-4e1b77")
			return rewriteToken("password", "application/json", func(b []byte) []byte {
				return append([]byte(`{"access_token":"decoy-Access-Token-4e1b77",`), b[1:]...)
			})(h, w, r)
		}, check: "credentials", status: "pass"},

		// Enormous and endless bodies.
		{name: "enormous token answer", serve: func(h *hostile, w http.ResponseWriter, r *http.Request) bool {
			if !isToken(r) {
				return false
			}
			token := strings.Repeat("hUgE-t0ken-", 300_000) // 3.3 MB
			h.plant("hUgE-t0ken-hUgE-t0ken-")
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"access_token":"`+token+`","expires_in":300}`)
			return true
		}, check: "credentials", status: "fail", code: "UNEXPECTED_RESPONSE"},
		{name: "endless token answer", serve: func(h *hostile, w http.ResponseWriter, r *http.Request) bool {
			h.plant("eNdLeSs-eNdLeSs-")
			return endless("/token", "application/json", `{"access_token":"`, "eNdLeSs-")(h, w, r)
		}, check: "credentials", status: "fail", code: "UNEXPECTED_RESPONSE"},
		{name: "endless GraphQL answer", serve: endless("/v1/graphql", "application/json", `{"data":{"__typename":"`, "query_root"),
			check: "graphql", status: "fail", code: "NOT_GRAPHQL"},
		{name: "enormous error page echoing the password", env: map[string]string{"PASSWORD": echoPassword},
			serve: answer("/token", 502, "text/html", "<html><body>Bad gateway for "+echoPassword+" "+strings.Repeat("<p>filler</p>", 200_000)+echoPassword+"</body></html>"),
			check: "credentials", status: "fail", code: "UNEXPECTED_RESPONSE", inMsg: "Bad gateway for [REDACTED]"},

		// Stalls: the run ends at --timeout, with the request named.
		{name: "token answer stalls mid-body", serve: stall("/token", `{"access_token":"eyJ`), timeout: 2 * time.Second,
			check: "credentials", status: "fail", code: "ANSWER_TIMEOUT", inMsg: "no answer"},
		{name: "GraphQL stalls before answering", serve: stall("/v1/graphql", ""), timeout: 2 * time.Second,
			check: "graphql", status: "fail", code: "ANSWER_TIMEOUT", inMsg: "/v1/graphql"},
		{name: "key set stalls", serve: stall("/protocol/openid-connect/certs", ""), timeout: 2 * time.Second,
			check: "roles", status: "fail", code: "ANSWER_TIMEOUT", inMsg: "/certs"},

		// Redirects to another host are answers, never followed.
		{name: "token endpoint redirects elsewhere", serve: redirectTo("/token"),
			check: "credentials", status: "fail", code: "UNEXPECTED_RESPONSE", inMsg: "307", after: noRequestElsewhere},
		{name: "GraphQL redirects elsewhere", serve: redirectTo("/v1/graphql"),
			check: "graphql", status: "fail", code: "NOT_GRAPHQL", inMsg: "307", after: noRequestElsewhere},
		{name: "realm redirects elsewhere", serve: redirectTo("/realms/tenant-" + fixtures.TenantID),
			check: "realm", status: "fail", code: "UNEXPECTED_RESPONSE", inMsg: "307", after: noRequestElsewhere},

		// The bearer token over plain HTTP to another host.
		{name: "plain-HTTP GraphQL is blocked", withHost: plainHTTPGraphQL,
			check: "graphql", status: "fail", code: "PLAIN_HTTP_BLOCKED", inMsg: "would carry the access token",
			others: map[string]string{"tls": "warn"},
			after: func(t *testing.T, h *hostile) {
				if n := h.hitCount("api.authdoctor.test:" + portOf(h.URL) + "/v1/graphql"); n != 0 {
					t.Errorf("the token was sent over plain HTTP %d times", n)
				}
			}},
		{name: "plain-HTTP GraphQL with --allow-plain-http", withHost: plainHTTPGraphQL, args: []string{"--allow-plain-http"},
			check: "graphql", status: "pass", others: map[string]string{"tls": "warn"},
			after: func(t *testing.T, h *hostile) {
				if n := h.hitCount("api.authdoctor.test:" + portOf(h.URL) + "/v1/graphql"); n == 0 {
					t.Error("--allow-plain-http should send it")
				}
			}},

		// Tokens whose claims have odd types (the hostile server signs them).
		{name: "claims of odd types", serve: hostileToken(jwt.MapClaims{
			"exp": time.Now().Add(time.Hour).Unix(), "iat": "yesterday", "typ": "Bearer", "aud": map[string]any{"x": 1},
			"realm_access":                 map[string]any{"roles": []any{1, map[string]any{"x": 2}, "admin-user", nil}},
			"resource_access":              map[string]any{"admin-portal": "x", "other": map[string]any{"roles": "solo"}},
			"https://hasura.io/jwt/claims": []any{"not", "an", "object"}, "preferred_username": 7,
		}), check: "roles", status: "pass", others: map[string]string{"graphql": "fail", "refresh": "pass"}},
		{name: "claims with an exp of the wrong type", serve: hostileToken(jwt.MapClaims{"exp": "tomorrow", "typ": 5, "realm_access": "admin-user"}),
			check: "roles", status: "fail", code: "TOKEN_INVALID"},
	}
}

func nil2same(b []byte) []byte { return b }

func portOf(rawURL string) string {
	u, _ := url.Parse(rawURL)
	return u.Port()
}

// plainHTTPGraphQL points GRAPHQL_URL at the server under a name that is not
// a loopback name, resolved to it by --resolve.
func plainHTTPGraphQL(h *hostile) (map[string]string, []string) {
	port := portOf(h.URL)
	return map[string]string{"GRAPHQL_URL": "http://api.authdoctor.test:" + port + "/v1/graphql"},
		[]string{"--resolve", "api.authdoctor.test:" + port + ":127.0.0.1"}
}

// syncBuffer collects the process's log output across parallel runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestHostileServers(t *testing.T) {
	// What the standard library logs goes to the process's stderr, around
	// authdoctor's streams: "RoundTripper returned a response & error" must
	// never be among it. (The test servers log there too.)
	var logged syncBuffer
	defer func(w io.Writer) { log.SetOutput(w) }(log.Writer())
	log.SetOutput(&logged)
	t.Cleanup(func() {
		if strings.Contains(logged.String(), "RoundTripper returned a response & error") {
			t.Errorf("net/http logged to stderr:\n%s", logged.String())
		}
	})

	sb, real := sharedSandbox(t)
	for _, tc := range hostileCases() {
		t.Run(tc.name, func(t *testing.T) {
			// Not in parallel: urfave/cli keeps flags in package variables,
			// so two runs of the CLI in one process race.
			h := startHostile(t, sb, real, tc.serve)
			env := withEnv(anaEnv(), "KEYCLOAK_URL", h.URL, "GRAPHQL_URL", h.URL+"/v1/graphql")
			args := append([]string{"--require-role", "admin-user", "--require-field", "get_upload_url"}, tc.args...)
			if tc.withHost != nil {
				more, moreArgs := tc.withHost(h)
				for k, v := range more {
					env[k] = v
				}
				args = append(args, moreArgs...)
			}
			for k, v := range tc.env {
				if v == "" {
					delete(env, k)
				} else {
					env[k] = v
				}
			}
			timeout := tc.timeout
			if timeout == 0 {
				timeout = 10 * time.Second
			}
			for _, verbose := range []bool{false, true} {
				t.Run(map[bool]string{false: "quiet", true: "-v"}[verbose], func(t *testing.T) {
					runHostile(t, h, tc, env, args, timeout, verbose)
				})
			}
			if tc.after != nil {
				tc.after(t, h)
			}
		})
	}
}

// runHostile runs the CLI once and checks every promise.
func runHostile(t *testing.T, h *hostile, tc hostileCase, env map[string]string, args []string, timeout time.Duration, verbose bool) {
	t.Helper()
	reports := []string{"r.json", "r.md", "r.xml", "r.txt"}
	cmd := []string{"check", "--timeout", timeout.String()}
	if verbose {
		cmd = append(cmd, "-v", "-o", "table")
	} else {
		cmd = append(cmd, "-o", "json")
	}
	for _, r := range reports {
		cmd = append(cmd, "--report", r)
	}
	start := time.Now()
	run := runCLI(t, env, append(cmd, args...)...)
	took := time.Since(start)

	// Bounded: the run returned within its deadline, whatever the server
	// did. The margin is wide because this is not a speed test (a loaded
	// 2-core CI machine took 6 s to write the reports): it catches a run
	// that hangs on an endless body or a stalled connection, which would
	// otherwise take as long as the server likes.
	if took > timeout+30*time.Second {
		t.Errorf("the run took %s with --timeout %s", took, timeout)
	}
	if run.code != exitOK && run.code != exitFailed {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", run.code, run.stdout, run.stderr)
	}
	for _, crash := range []string{"goroutine ", "panic:", "internal error"} {
		if strings.Contains(run.stderr, crash) {
			t.Fatalf("stderr shows a crash (%q):\n%s", crash, run.stderr)
		}
	}

	// Complete reports, in every format.
	outputs := map[string]string{"stdout": run.stdout, "stderr": run.stderr}
	for _, name := range reports {
		b, err := os.ReadFile(filepath.Join(run.dir, name))
		if err != nil || len(b) == 0 {
			t.Fatalf("report %s: %v (%d bytes)", name, err, len(b))
		}
		outputs[name] = string(b)
	}
	var rep jsonReport
	if err := json.Unmarshal([]byte(outputs["r.json"]), &rep); err != nil {
		t.Fatalf("r.json is not JSON: %v\n%s", err, outputs["r.json"])
	}
	if rep.ExitCode != run.code || len(rep.Checks) < 6 {
		t.Fatalf("r.json: exit_code %d (process %d), %d checks", rep.ExitCode, run.code, len(rep.Checks))
	}
	if !verbose {
		var stdout jsonReport
		if err := json.Unmarshal([]byte(run.stdout), &stdout); err != nil || len(stdout.Checks) != len(rep.Checks) {
			t.Fatalf("stdout is not the JSON report: %v\n%s", err, run.stdout)
		}
	} else if !strings.Contains(run.stderr, "replay: curl") {
		t.Errorf("-v wrote no transcript:\n%s", run.stderr)
	}
	assertDiagnosis(t, rep, tc.check, tc.status, tc.code)
	_, _, msg, _ := rep.check(t, tc.check)
	if !strings.Contains(msg, tc.inMsg) {
		t.Errorf("%s: the message lacks %q:\n%s", tc.check, tc.inMsg, msg)
	}
	for id, status := range tc.others {
		if got, code, m, _ := rep.check(t, id); got != status {
			t.Errorf("%s: %s %s (%s), want %s", id, got, code, m, status)
		}
	}
	var suites struct {
		Suites []struct {
			Tests int `xml:"tests,attr"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(outputs["r.xml"]), &suites); err != nil || len(suites.Suites) != 1 || suites.Suites[0].Tests != len(rep.Checks) {
		t.Fatalf("r.xml: %v %+v", err, suites)
	}
	if tc.code != "" && (!strings.Contains(outputs["r.md"], tc.code) || !strings.Contains(outputs["r.txt"], tc.code)) {
		t.Errorf("the Markdown and short reports should name %s", tc.code)
	}

	// Nothing secret, nothing that drives a terminal.
	secrets := secretsOf(env, h)
	for where, text := range outputs {
		for name, secret := range secrets {
			if strings.Contains(text, secret) {
				t.Errorf("%s leaks %s", where, name)
			}
		}
		if bad := controlCharacters(text); len(bad) > 0 {
			t.Errorf("%s carries control characters, near %q", where, bad)
		}
	}
}

// secretsOf lists every secret of a run in every form it could be printed
// in, and the first bytes of each (a cut must never leave a piece).
func secretsOf(env map[string]string, h *hostile) map[string]string {
	out := map[string]string{}
	addForms := func(name, v string) {
		collapsed := strings.Join(strings.Fields(v), " ")
		stripped := strings.Join(strings.Fields(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(v, " ")), " ")
		forms := map[string]string{"": v, " (form-encoded)": url.QueryEscape(v), " (JSON)": strings.Trim(jsonString(v), `"`), " (quoted)": strings.Trim(strconv.Quote(v), `"`),
			" (white space collapsed)": collapsed, " (tags stripped)": stripped}
		for suffix, f := range forms {
			out[name+suffix] = f
			if len(f) > 12 {
				out[name+suffix+", first bytes"] = f[:6]
			}
		}
	}
	for _, k := range []string{"PASSWORD", "CLIENT_SECRET"} {
		if v := env[k]; v != "" {
			addForms(k, v)
		}
	}
	if env["CLIENT_SECRET"] != "" {
		out["Basic credentials"] = base64.StdEncoding.EncodeToString([]byte(env["CLIENT_ID"] + ":" + url.QueryEscape(env["CLIENT_SECRET"])))
	}
	tokens := h.sandbox.issued()
	h.mu.Lock()
	tokens = append(tokens, h.planted...)
	h.mu.Unlock()
	for i, tok := range tokens {
		out[fmt.Sprintf("token %d", i)] = tok
		if parts := strings.Split(tok, "."); len(parts) == 3 {
			// The signature, and the payload: a token cut short leaks it.
			out[fmt.Sprintf("signature of token %d", i)] = parts[2]
			out[fmt.Sprintf("payload of token %d", i)] = parts[1]
			if len(parts[1]) > 80 {
				out[fmt.Sprintf("first half of the payload of token %d", i)] = parts[1][:len(parts[1])/2]
			}
		}
	}
	return out
}

// controlCharacters finds the control characters in text other than line
// ends and tabs (JUnit's indentation), and bytes that are not UTF-8.
func controlCharacters(text string) []string {
	var bad []string
	for i := 0; i < len(text) && len(bad) < 5; {
		r, size := utf8.DecodeRuneInString(text[i:])
		if (r == utf8.RuneError && size == 1) || (unicode.IsControl(r) && r != '\n' && r != '\t') || r == 0x202e {
			bad = append(bad, text[max(0, i-30):min(len(text), i+10)])
		}
		i += size
	}
	return bad
}

// A check that panics (here on purpose, through the test hook that replaces
// the catalogue) fails with INTERNAL_ERROR; the other checks run and every
// report is written. No server answer can be used for this: every one that
// used to panic is now a diagnosis.
func TestPanicInACheckIsInternalError(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	var out, errOut bytes.Buffer
	dir := t.TempDir()
	a := newApp(iostreams.Streams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, srv.env(anaEnv()), dir)
	a.retryWait, a.onReport = time.Millisecond, recordCodes
	a.replaceChecks = func(catalogue []checks.Check) []checks.Check {
		for i, c := range catalogue {
			if c.ID == codes.CheckGraphQL {
				catalogue[i].Func = func(context.Context, *checks.Facts) checks.Result {
					var claims map[string]any // a JSON null decodes to a nil map
					_ = json.Unmarshal([]byte("null"), &claims)
					claims["x-hasura-role"] = "user" // assignment to entry in nil map
					return checks.Result{}
				}
			}
		}
		return catalogue
	}
	code := a.execute(context.Background(), []string{"authdoctor", "check", "-o", "json", "--report", "r.md", "--report", "r.xml", "--report", "r.txt"})
	if code != exitFailed || strings.Contains(errOut.String(), "goroutine") {
		t.Fatalf("exit %d\n%s", code, errOut.String())
	}
	var rep jsonReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	assertDiagnosis(t, rep, "graphql", "fail", "INTERNAL_ERROR")
	_, _, msg, fix := rep.check(t, "graphql")
	if !strings.Contains(msg, "assignment to entry in nil map") || !strings.Contains(fix, "Report it") {
		t.Fatalf("message %q, fix %q", msg, fix)
	}
	for _, c := range rep.Checks {
		if at, _ := c.Details["at"].(string); c.ID == "graphql" && !strings.Contains(at, "e2e_hostile_test.go") {
			t.Errorf("details.at %q should name the panicking line", at)
		}
	}
	for _, id := range []string{"roles", "refresh"} {
		assertDiagnosis(t, rep, id, "pass", "")
	}
	for _, name := range []string{"r.md", "r.xml", "r.txt"} {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || !strings.Contains(string(b), "INTERNAL_ERROR") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
