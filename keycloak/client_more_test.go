package keycloak

import (
	"context"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/internal/redact"
)

// realmServer answers GET {prefix}/realms/r and its discovery document.
type realmServer struct {
	info, discovery func(w http.ResponseWriter, base string)
}

func (rs realmServer) start(t *testing.T, prefix string) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case prefix + "/realms/r":
			rs.info(w, srv.URL+prefix)
		case prefix + "/realms/r/.well-known/openid-configuration":
			rs.discovery(w, srv.URL+prefix)
		default:
			w.WriteHeader(404)
			_, _ = io.WriteString(w, `{"error":"Unable to find matching target resource method"}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func realmInfo(w http.ResponseWriter, base string) {
	_, _ = io.WriteString(w, `{"realm":"r","public_key":"MIIB","token-service":"`+base+`/realms/r/protocol/openid-connect"}`)
}

func discovery(w http.ResponseWriter, base string) {
	_, _ = io.WriteString(w, `{"issuer":"`+base+`/realms/r","token_endpoint":"`+base+`/realms/r/protocol/openid-connect/token",`+
		`"jwks_uri":"`+base+`/realms/r/protocol/openid-connect/certs","grant_types_supported":["password","refresh_token"]}`)
}

func answerWith(status int, body string) func(http.ResponseWriter, string) {
	return func(w http.ResponseWriter, _ string) {
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func TestRealmReadsInfoAndDiscovery(t *testing.T) {
	srv := realmServer{info: realmInfo, discovery: discovery}.start(t, "")
	tr := testTransport()
	defer tr.Close()
	ri, p := NewClient(srv.URL+"/", "r", tr, redact.NewSet()).Realm(context.Background())
	if p != nil {
		t.Fatal(p)
	}
	base := srv.URL + "/realms/r"
	if ri.Realm != "r" || ri.Issuer != base || ri.TokenEndpoint != base+"/protocol/openid-connect/token" ||
		ri.JWKSURI != base+"/protocol/openid-connect/certs" || strings.Join(ri.GrantTypes, ",") != "password,refresh_token" {
		t.Fatalf("got %+v", ri)
	}
}

// A realm that requires HTTPS refuses discovery over http, but not its
// public info: the endpoints are those of its token-service.
func TestRealmHTTPSRequiredUsesTheTokenService(t *testing.T) {
	httpsRequired := answerWith(403, `{"error":"invalid_request","error_description":"HTTPS required"}`)
	tests := []struct {
		name      string
		info      func(http.ResponseWriter, string)
		discovery func(http.ResponseWriter, string)
		wantCode  *codes.Code // nil: read from the token-service
	}{
		{"https required", realmInfo, httpsRequired, nil},
		{"https required, no token-service", answerWith(200, `{"realm":"r"}`), httpsRequired, codes.UnexpectedAnswer},
		{"another invalid_request", realmInfo, answerWith(400, `{"error":"invalid_request","error_description":"Something else"}`), codes.UnexpectedAnswer},
		{"another error, same words", realmInfo, answerWith(403, `{"error":"access_denied","error_description":"HTTPS required"}`), codes.UnexpectedAnswer},
		{"discovery without issuer", realmInfo, answerWith(200, `{"token_endpoint":"x"}`), codes.UnexpectedAnswer},
		{"discovery not JSON", realmInfo, answerWith(200, `<html>`), codes.UnexpectedAnswer},
		{"discovery 500 with a document", realmInfo, func(w http.ResponseWriter, base string) { w.WriteHeader(500); discovery(w, base) }, codes.UnexpectedAnswer},
		{"realm missing", answerWith(404, `{"error":"Realm does not exist"}`), answerWith(404, `{"error":"Realm does not exist"}`), codes.RealmNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := realmServer{info: tt.info, discovery: tt.discovery}.start(t, "")
			tr := testTransport()
			defer tr.Close()
			ri, p := NewClient(srv.URL, "r", tr, redact.NewSet()).Realm(context.Background())
			if tt.wantCode != nil {
				if p == nil || p.Code != tt.wantCode || ri != nil {
					t.Fatalf("got %+v, %+v; want %s", ri, p, tt.wantCode)
				}
				return
			}
			base := srv.URL + "/realms/r"
			if p != nil || ri.Issuer != base || ri.TokenEndpoint != base+"/protocol/openid-connect/token" || ri.JWKSURI != base+"/protocol/openid-connect/certs" {
				t.Fatalf("got %+v, %+v", ri, p)
			}
		})
	}
}

// The realm name Keycloak states wins over the one asked for.
func TestRealmNameAsKeycloakStatesIt(t *testing.T) {
	srv := realmServer{info: answerWith(200, `{"realm":"R-Name"}`), discovery: discovery}.start(t, "")
	tr := testTransport()
	defer tr.Close()
	ri, p := NewClient(srv.URL, "r", tr, redact.NewSet()).Realm(context.Background())
	if p != nil || ri.Realm != "R-Name" {
		t.Fatalf("got %+v, %+v", ri, p)
	}
	srv = realmServer{info: answerWith(200, `{"public_key":"x"}`), discovery: discovery}.start(t, "")
	ri, p = NewClient(srv.URL, "r", tr, redact.NewSet()).Realm(context.Background())
	if p != nil || ri.Realm != "r" {
		t.Fatalf("without a stated name: %+v, %+v", ri, p)
	}
}

// A realm path the router does not know: the other layout (with or without
// /auth) is tried, and named when it answers.
func TestRealmProbesTheOtherLayout(t *testing.T) {
	tests := []struct {
		name       string
		serverPath string // where the server has its realms
		urlSuffix  string // what the user configured
		info       func(http.ResponseWriter, string)
		wantCode   *codes.Code
		wantInMsg  string
		wantHint   string
	}{
		{"/auth on a server without it", "", "/auth", realmInfo, codes.BasePathMismatch, "/auth/realms/r is not a Keycloak path (404), but ", "Set KEYCLOAK_URL={base}."},
		{"no /auth on a server with it", "/auth", "", realmInfo, codes.BasePathMismatch, " is not a Keycloak path (404), but {base}/auth/realms/r answers", "Set KEYCLOAK_URL={base}/auth."},
		{"other layout, realm missing there too", "/auth", "", answerWith(404, `{"error":"Realm does not exist"}`), codes.BasePathMismatch,
			`(realm "r" does not exist there either)`, "Set KEYCLOAK_URL={base}/auth, then check the realm name."},
		{"other layout broken too", "/auth", "", answerWith(500, `{"error":"unknown_error"}`), codes.UnexpectedAnswer, "answered 404", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := realmServer{info: tt.info, discovery: discovery}.start(t, tt.serverPath)
			tr := testTransport()
			defer tr.Close()
			_, p := NewClient(srv.URL+tt.urlSuffix, "r", tr, redact.NewSet()).Realm(context.Background())
			want := strings.ReplaceAll(tt.wantInMsg, "{base}", srv.URL)
			hint := strings.ReplaceAll(tt.wantHint, "{base}", srv.URL)
			if p == nil || p.Code != tt.wantCode || !strings.Contains(p.Message, want) || p.Hint != hint {
				t.Fatalf("got %+v; want %s %q hint %q", p, tt.wantCode, want, hint)
			}
			if tt.wantCode == codes.BasePathMismatch && p.Details["use_url"] != strings.TrimSuffix(strings.TrimSuffix(hint, "."), ", then check the realm name")[len("Set KEYCLOAK_URL="):] {
				t.Fatalf("details %v", p.Details)
			}
		})
	}
}

// tokenServer answers every token request with body (and a Date when date
// is set), and keeps the requests.
func tokenServer(t *testing.T, status int, body, date string) (*httptest.Server, *[]*http.Request, *[]url.Values) {
	t.Helper()
	var reqs []*http.Request
	var forms []url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		reqs, forms = append(reqs, r.Clone(context.Background())), append(forms, r.PostForm)
		w.Header().Set("Content-Type", "application/json")
		if date != "" {
			w.Header().Set("Date", date)
		} else {
			w.Header()["Date"] = nil
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, &reqs, &forms
}

// keycloakReads is the client id and secret Keycloak reads from a token
// request (ClientIdAndSecretAuthenticator.authenticateClient): the HTTP
// Basic pair, split at its first ':' and each half form-decoded
// (BasicAuthHelper.RFC6749.parseHeader), then the form's client_id and
// client_secret, which win when present.
func keycloakReads(t *testing.T, r *http.Request, form url.Values) (id, secret string) {
	t.Helper()
	if h := r.Header.Get("Authorization"); h != "" {
		raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(h, "Basic "))
		if err != nil {
			t.Fatalf("not Basic: %q", h)
		}
		rawID, rawSecret, _ := strings.Cut(string(raw), ":")
		id, _ = url.QueryUnescape(rawID)
		secret, _ = url.QueryUnescape(rawSecret)
	}
	if form.Has("client_id") {
		id = form.Get("client_id")
	}
	if form.Has("client_secret") {
		secret = form.Get("client_secret")
	}
	return id, secret
}

// A client secret reaches Keycloak as it was given, whatever characters it
// holds, in the token and in the refresh grant; the scope is sent when set.
func TestClientSecretArrivesIntact(t *testing.T) {
	const answer = `{"access_token":"acc.ess.tok","refresh_token":"ref.resh.tok","id_token":"id.tok.en","token_type":"Bearer","expires_in":300,"refresh_expires_in":1800,"scope":"openid"}`
	for _, tc := range []struct{ id, secret string }{
		{"svc-reports", "plain-secret-123"},
		{"svc-reports", "a+b%c:d=e&f"},
		{"svc-reports", "ü ber/100%+"},
		{"svc-reports", "%2B already-encoded"},
		{"svc+reports v2", "a+b%c:d"},
	} {
		id, secret := tc.id, tc.secret
		t.Run(id+" "+secret, func(t *testing.T) {
			srv, reqs, forms := tokenServer(t, 200, answer, "")
			tr := testTransport()
			defer tr.Close()
			c := NewClient(srv.URL, "r", tr, redact.NewSet())
			cr := Credentials{ClientID: id, ClientSecret: redact.Secret(secret), Scope: "openid roles"}
			tokens, p := c.Token(context.Background(), cr)
			if p != nil {
				t.Fatal(p)
			}
			if _, p := c.RefreshTokens(context.Background(), cr, tokens.Refresh); p != nil {
				t.Fatal(p)
			}
			for i, r := range *reqs {
				gotID, got := keycloakReads(t, r, (*forms)[i])
				if gotID != id || got != secret {
					t.Fatalf("request %d: Keycloak reads client %q secret %q", i, gotID, got)
				}
				if (*forms)[i].Has("client_secret") {
					t.Fatalf("request %d: the secret is in the form too", i)
				}
			}
			if f := (*forms)[0]; f.Get("grant_type") != "client_credentials" || f.Get("scope") != "openid roles" {
				t.Fatalf("token form %v", f)
			}
			if f := (*forms)[1]; f.Get("grant_type") != "refresh_token" || f.Get("refresh_token") != "ref.resh.tok" {
				t.Fatalf("refresh form %v", f)
			}
		})
	}
}

// Without a secret (a public client) no Authorization is sent, and without
// a scope no scope.
func TestPublicClientSendsNoSecret(t *testing.T) {
	srv, reqs, forms := tokenServer(t, 200, `{"access_token":"acc.ess.tok","refresh_token":"ref.resh.tok"}`, "")
	tr := testTransport()
	defer tr.Close()
	c := NewClient(srv.URL, "r", tr, redact.NewSet())
	cr := Credentials{ClientID: "admin-portal", Username: "ana", Password: "ana-Pass-1"}
	tokens, p := c.Token(context.Background(), cr)
	if p != nil {
		t.Fatal(p)
	}
	if _, p := c.RefreshTokens(context.Background(), cr, tokens.Refresh); p != nil {
		t.Fatal(p)
	}
	for i, r := range *reqs {
		if r.Header.Get("Authorization") != "" || (*forms)[i].Has("scope") || (*forms)[i].Get("client_id") != "admin-portal" {
			t.Fatalf("request %d: %v %v", i, r.Header, (*forms)[i])
		}
	}
	if f := (*forms)[0]; f.Get("grant_type") != "password" || f.Get("username") != "ana" || f.Get("password") != "ana-Pass-1" {
		t.Fatalf("password form %v", f)
	}
}

// Every token of an answer joins the client's redaction set, whatever the
// transport below learned on its own, and the answer's fields and Date are
// read.
func TestGrantRegistersEveryTokenAndReadsTheAnswer(t *testing.T) {
	const answer = `{"access_token":"acc-ess-tok-1","refresh_token":"ref-resh-tok-2","id_token":"id-tok-en-3","token_type":"Bearer","expires_in":300,"refresh_expires_in":1800,"scope":"openid"}`
	srv, _, _ := tokenServer(t, 200, answer, "Tue, 25 Nov 2025 14:00:00 GMT")
	// A transport without secrets learns nothing: what is scrubbed below
	// was registered by the client.
	tr := httpx.NewTransport(httpx.TransportOptions{RetryWait: time.Millisecond})
	defer tr.Close()
	set := redact.NewSet()
	c := NewClient(srv.URL, "r", tr, set)
	for name, grant := range map[string]func() (*Tokens, *httpx.Problem){
		"token": func() (*Tokens, *httpx.Problem) {
			return c.Token(context.Background(), Credentials{ClientID: "svc", ClientSecret: "s3cret-value"})
		},
		"refresh": func() (*Tokens, *httpx.Problem) {
			return c.RefreshTokens(context.Background(), Credentials{ClientID: "svc"}, "old-refresh-tok")
		},
	} {
		t.Run(name, func(t *testing.T) {
			tokens, p := grant()
			if p != nil {
				t.Fatal(p)
			}
			for _, tok := range []string{"acc-ess-tok-1", "ref-resh-tok-2", "id-tok-en-3"} {
				if got := set.Scrub("x " + tok + " y"); got != "x [REDACTED] y" {
					t.Errorf("%s is not in the redaction set: %q", tok, got)
				}
			}
			if tokens.Access.Reveal() != "acc-ess-tok-1" || tokens.Refresh.Reveal() != "ref-resh-tok-2" || tokens.ID.Reveal() != "id-tok-en-3" ||
				tokens.ExpiresIn != (Lifetime{300, true}) || tokens.RefreshExpiresIn != (Lifetime{1800, true}) || tokens.Scope != "openid" || tokens.TokenType != "Bearer" ||
				!tokens.ServerTime.Equal(time.Date(2025, 11, 25, 14, 0, 0, 0, time.UTC)) || tokens.Exchange.Status != 200 {
				t.Fatalf("got %+v", tokens)
			}
		})
	}
	srv, _, _ = tokenServer(t, 200, answer, "")
	tokens, p := NewClient(srv.URL, "r", tr, redact.NewSet()).Token(context.Background(), Credentials{ClientID: "svc", ClientSecret: "s3cret-value"})
	if p != nil || !tokens.ServerTime.IsZero() {
		t.Fatalf("without a Date: %+v %+v", tokens, p)
	}
}

// A refresh that Keycloak refuses is a refresh diagnosis, with its hint.
func TestRefreshTokensClassifiesTheRefusal(t *testing.T) {
	srv, _, _ := tokenServer(t, 400, `{"error":"invalid_grant","error_description":"Session not active"}`, "")
	tr := testTransport()
	defer tr.Close()
	_, p := NewClient(srv.URL, "r", tr, redact.NewSet()).RefreshTokens(context.Background(), Credentials{ClientID: "svc"}, "old-refresh-tok")
	if p == nil || p.Code != codes.RefreshRejected || !strings.Contains(p.Hint, "session ended") {
		t.Fatalf("got %+v", p)
	}
}

// A request that cannot even be sent is UNREACHABLE, with the reason.
func TestGrantThatCannotBeSent(t *testing.T) {
	tr := testTransport()
	defer tr.Close()
	c := NewClient("http://[::1", "r", tr, redact.NewSet())
	if _, p := c.Token(context.Background(), Credentials{ClientID: "svc", ClientSecret: "s3cret-value"}); p == nil || p.Code != codes.Unreachable || !strings.Contains(p.Message, "missing ']' in host") {
		t.Fatalf("got %+v", p)
	}
}

// Get returns the exchange of a request that failed in transport, with
// its typed error.
func TestGetRefusedConnection(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	tr := testTransport()
	defer tr.Close()
	c := NewClient("http://"+addr, "r", tr, redact.NewSet())
	ex := c.Get(context.Background(), "http://"+addr+"/realms/r/protocol/openid-connect/certs")
	if ex.Err == nil || ex.Method != http.MethodGet || httpx.ClassifyExchange(ex).Details["cause"] != "refused" {
		t.Fatalf("got %+v", ex)
	}
	if ex := c.Get(context.Background(), "http://[::1"); ex.Err == nil || ex.URL != "http://[::1" {
		t.Fatalf("a URL that does not parse: %+v", ex)
	}
	if got := c.RealmURL(); got != "http://"+addr+"/realms/r" {
		t.Fatalf("RealmURL %s", got)
	}
	if got := NewClient("https://h/auth/", "a b", tr, nil).RealmURL(); got != "https://h/auth/realms/a%20b" {
		t.Fatalf("RealmURL %s", got)
	}
}
