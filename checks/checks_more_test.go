package checks

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/keycloak"
	"github.com/authdoctor/authdoctor/report"
)

// More of what mutation testing found unpinned in the checks (see
// docs/mutation-testing.md).

// The GraphQL check sends the introspection only when fields are required,
// notes a root type that is not Hasura's, and explains a rejected issuer
// with the token's own.
func TestCheckGraphQLRequestsAndNotes(t *testing.T) {
	var posts atomic.Int32
	answer := ""
	base := startSandbox(t, func(w http.ResponseWriter, r *http.Request, h http.Handler) bool {
		if !strings.HasSuffix(r.URL.Path, "/v1/graphql") {
			return false
		}
		posts.Add(1)
		if answer == "" {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, answer)
		return true
	})
	cfg := userConfig(base, "admin-portal", "ana", anaPassword)

	// One typename query each from the graphql and the clock check (whose
	// Date and verdict it reads: clock.go).
	r := expect(t, diagnose(t, cfg), codes.CheckGraphQL, report.Pass, nil)
	if posts.Load() != 2 || strings.Contains(r.Message, "not Hasura's query_root") {
		t.Fatalf("%d requests without required fields: %s", posts.Load(), r.Message)
	}
	posts.Store(0)
	cfg.RequireFields = []string{"get_upload_url"}
	expect(t, diagnose(t, cfg), codes.CheckGraphQL, report.Pass, nil)
	if posts.Load() != 3 {
		t.Fatalf("%d requests with a required field", posts.Load())
	}
	cfg.RequireFields = nil

	answer = `{"data":{"__typename":"Query"}}`
	expect(t, diagnose(t, cfg), codes.CheckGraphQL, report.Pass, nil, `__typename "Query"`, "; not Hasura's query_root, so Hasura-specific checks do not apply")

	answer = `{"errors":[{"extensions":{"path":"$","code":"invalid-jwt"},"message":"Could not verify JWT: JWTNotInIssuer"}]}`
	r = expect(t, diagnose(t, cfg), codes.CheckGraphQL, report.Fail, codes.GraphQLRejected, " (the token's iss is "+base+"/realms/tenant-")
	if r.Details["token_iss"] != base+"/realms/tenant-"+fixtures.TenantID {
		t.Fatalf("details %v", r.Details)
	}
	// The same words in a denial are not an issuer check.
	answer = `{"errors":[{"extensions":{"path":"$","code":"access-denied"},"message":"JWTNotInIssuer is not what this is"}]}`
	r = expect(t, diagnose(t, cfg), codes.CheckGraphQL, report.Fail, codes.GraphQLDenied)
	if strings.Contains(r.Message, "the token's iss") {
		t.Fatalf("a denial explained as an issuer: %s", r.Message)
	}
}

// checkFields names the role that cannot see a field, or the token when no
// role was asked for.
func TestCheckFieldsNamesTheRole(t *testing.T) {
	schema := `{"data":{"__schema":{"queryType":{"name":"query_root","fields":[{"name":"a"}]}}}}`
	for role, want := range map[string]string{"user": "role user does not see b", "": "this token does not see b"} {
		ex, ans := gqlExchange(200, "application/json", schema)
		r := checkFields(ex, ans, []string{"a", "b"}, role, "portal", "ok", map[string]any{})
		if r.Code != codes.GraphQLField || !strings.HasPrefix(r.Message, want) {
			t.Errorf("role %q: %s", role, r.Message)
		}
	}
	ex, ans := gqlExchange(200, "application/json", schema)
	if r := checkFields(ex, ans, []string{"a"}, "", "portal", "ok", map[string]any{}); r.Status != report.Pass || r.Message != "ok; required fields visible: a" {
		t.Errorf("visible: %+v", r)
	}
}

// signer issues ES256 tokens with any claims, and serves their key set.
type signer struct {
	key *ecdsa.PrivateKey
	url string
}

func newSigner(t *testing.T) *signer {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s := &signer{key: key}
	b64 := func(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
	// The uncompressed point is 0x04 || X || Y, 32 bytes each for P-256.
	point, err := key.PublicKey.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	jwks := fmt.Sprintf(`{"keys":[{"kty":"EC","crv":"P-256","kid":"k1","alg":"ES256","use":"sig","x":"%s","y":"%s"}]}`,
		b64(point[1:33]), b64(point[33:65]))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, jwks)
	}))
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

func (s *signer) token(t *testing.T, claims jwt.MapClaims) redact.Secret {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodES256, claims)
	tok.Header["kid"] = "k1"
	signed, err := tok.SignedString(s.key)
	if err != nil {
		t.Fatal(err)
	}
	return redact.Secret(signed)
}

// rolesFacts are the facts the roles check reads, for a token of s.
func (s *signer) rolesFacts(t *testing.T, access redact.Secret, require ...string) *Facts {
	t.Helper()
	tr := httpx.NewTransport(httpx.TransportOptions{RetryWait: time.Millisecond})
	t.Cleanup(tr.Close)
	return &Facts{
		Config:    &Config{RequireRoles: require},
		Transport: tr,
		Keycloak:  keycloak.NewClient(s.url, "r", tr, redact.NewSet()),
		Now:       time.Now,
		Tokens:    &keycloak.Tokens{Access: access},
	}
}

// The roles check takes a Bearer access token, or one that says nothing
// of its type; an ID or refresh token sent as the access token is invalid.
func TestCheckRolesTokenType(t *testing.T) {
	s := newSigner(t)
	exp := time.Now().Add(time.Hour).Unix()
	roles := map[string]any{"roles": []any{"admin-user"}}
	for _, tc := range []struct {
		typ    any
		status report.Status
		code   *codes.Code
	}{
		{"Bearer", report.Pass, nil},
		{"bearer", report.Pass, nil},
		{nil, report.Pass, nil},
		{"ID", report.Fail, codes.TokenInvalid},
		{"Refresh", report.Fail, codes.TokenInvalid},
	} {
		t.Run(fmt.Sprint(tc.typ), func(t *testing.T) {
			claims := jwt.MapClaims{"exp": exp, "realm_access": roles}
			if tc.typ != nil {
				claims["typ"] = tc.typ
			}
			r := checkRoles(context.Background(), s.rolesFacts(t, s.token(t, claims)))
			if r.Status != tc.status || r.Code != tc.code {
				t.Fatalf("got %s %v: %s", r.Status, r.Code, r.Message)
			}
			if tc.code != nil && !strings.Contains(r.Message, fmt.Sprintf("the access_token is a %q token, not a Bearer access token", tc.typ)) {
				t.Fatalf("message %s", r.Message)
			}
		})
	}
}

// Each way a token fails verification has its own words.
func TestDescribeTokenError(t *testing.T) {
	s := newSigner(t)
	other := newSigner(t)
	now := time.Now()
	tests := []struct {
		name  string
		token redact.Secret
		want  string
	}{
		{"not a JWT", "not-a-jwt", "the access_token is not a well-formed JWT"},
		{"expired", s.token(t, jwt.MapClaims{"exp": now.Add(-2 * time.Minute).Unix()}), "the access token expired at "},
		{"not yet valid", s.token(t, jwt.MapClaims{"exp": now.Add(time.Hour).Unix(), "nbf": now.Add(time.Hour / 2).Unix()}), "the access token is not valid yet by this machine's clock"},
		{"another key", other.token(t, jwt.MapClaims{"exp": now.Add(time.Hour).Unix()}), "the access token's signature does not verify with the realm's published key"},
		{"no exp", s.token(t, jwt.MapClaims{"sub": "x"}), "the access token does not validate: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := checkRoles(context.Background(), s.rolesFacts(t, tt.token))
			if r.Code != codes.TokenInvalid || !strings.HasPrefix(r.Message, tt.want) {
				t.Fatalf("got %v: %s", r.Code, r.Message)
			}
		})
	}
}

// The roles check reads the key set the discovery document names when it
// is on the host in use, else the realm's usual path on that host.
func TestJWKSURL(t *testing.T) {
	tr := httpx.NewTransport(httpx.TransportOptions{})
	defer tr.Close()
	kc := keycloak.NewClient("http://127.0.0.1:8080", "r", tr, redact.NewSet())
	def := "http://127.0.0.1:8080/realms/r/protocol/openid-connect/certs"
	for _, tc := range []struct {
		name  string
		realm *keycloak.RealmInfo
		want  string
	}{
		{"no realm facts", nil, def},
		{"no jwks_uri", &keycloak.RealmInfo{}, def},
		{"another host", &keycloak.RealmInfo{JWKSURI: "https://sso.example.com/realms/r/protocol/openid-connect/certs"}, def},
		{"same origin, its path", &keycloak.RealmInfo{JWKSURI: "http://127.0.0.1:8080/realms/r/keys"}, "http://127.0.0.1:8080/realms/r/keys"},
	} {
		if got := jwksURL(&Facts{Keycloak: kc, Realm: tc.realm}); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

// Two warnings of the tls check: the first is the result's code, the
// others are listed; one warning lists no others.
func TestCheckTLSListsOtherWarnings(t *testing.T) {
	base := startSandbox(t, nil)
	port := base[strings.LastIndex(base, ":")+1:]
	cfg := userConfig("http://sso.example.test:"+port, "admin-portal", "ana", anaPassword)
	cfg.Resolve = map[string]string{"sso.example.test:" + port: "127.0.0.1:" + port, "api.example.test:" + port: "127.0.0.1:" + port}
	cfg.AllowPlainHTTP = true
	cfg.GraphQLURL = ""
	r := expect(t, diagnose(t, cfg), codes.CheckTLS, report.Warn, codes.PlainHTTP)
	if _, ok := r.Details["other_warnings"]; ok {
		t.Fatalf("one warning, others listed: %v", r.Details)
	}
	cfg.GraphQLURL = "http://api.example.test:" + port + "/v1/graphql"
	r = expect(t, diagnose(t, cfg), codes.CheckTLS, report.Warn, codes.PlainHTTP, "sso.example.test:"+port+" uses plain http://", "; api.example.test:"+port+" uses plain http://")
	if got, _ := r.Details["other_warnings"].([]string); !slices.Equal(got, []string{"PLAIN_HTTP"}) {
		t.Fatalf("details %v", r.Details)
	}
}

// Diagnose registers every token with the caller's set, and makes its own
// when given none.
func TestDiagnoseSecrets(t *testing.T) {
	var issued []string
	base := startSandbox(t, func(w http.ResponseWriter, r *http.Request, h http.Handler) bool {
		if !strings.HasSuffix(r.URL.Path, "/token") {
			return false
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		var tok struct {
			Access string `json:"access_token"`
		}
		_ = json.Unmarshal(rec.Body.Bytes(), &tok)
		issued = append(issued, tok.Access)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
		return true
	})
	set := redact.NewSet()
	rep := Diagnose(context.Background(), userConfig(base, "admin-portal", "ana", anaPassword), Options{RetryWait: time.Millisecond, Secrets: set})
	if rep.ExitCode != 0 || len(issued) == 0 {
		t.Fatalf("%s", summary(rep))
	}
	for _, tok := range issued {
		if set.Scrub(tok) != redact.Placeholder {
			t.Fatalf("the caller's set did not learn a token")
		}
	}
	rep = Diagnose(context.Background(), userConfig(base, "admin-portal", "ana", anaPassword), Options{RetryWait: time.Millisecond})
	if rep.ExitCode != 0 {
		t.Fatalf("without a set: %s", summary(rep))
	}
}

// An event names its user by username, else by the user's id.
func TestReportEventsNamesTheUser(t *testing.T) {
	got := ReportEvents([]keycloak.Event{
		{UserID: "u-1", Details: map[string]string{}},
		{UserID: "u-2", Details: map[string]string{"username": "ana"}},
	})
	if len(got) != 2 || got[0].User != "u-1" || got[1].User != "ana" {
		t.Fatalf("got %+v", got)
	}
}
