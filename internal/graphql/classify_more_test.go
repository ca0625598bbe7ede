package graphql

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/internal/redact"
)

// These tests pin what mutation testing found unpinned in this package
// (see docs/mutation-testing.md).

// An answer that is no GraphQL answer: a server error (except 501, which
// is a server that does not take POST there) is a GraphQL server in
// trouble; anything else is not a GraphQL endpoint.
func TestClassifyNotAnAnswer(t *testing.T) {
	tests := []struct {
		status  int
		ctype   string
		want    *codes.Code
		message string
	}{
		{500, "text/plain", codes.GraphQLUnreachable, "https://api.example.com/v1/graphql answered 500 Internal Server Error"},
		{599, "", codes.GraphQLUnreachable, "answered 599"},
		{501, "text/html", codes.NotGraphQL, "answered 501 Not Implemented with text/html, not a GraphQL response"},
		{499, "", codes.NotGraphQL, "answered 499  with no code, not a GraphQL response"},
		{200, "text/html", codes.NotGraphQL, "answered 200 OK with text/html"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			ex := httpx.Exchange{Method: "POST", URL: "https://api.example.com/v1/graphql", Status: tt.status, Header: http.Header{}}
			if tt.ctype != "" {
				ex.Header.Set("Content-Type", tt.ctype)
			}
			p := Classify(ex, nil)
			if p == nil || p.Code != tt.want || !strings.Contains(p.Message, tt.message) {
				t.Fatalf("got %+v, want %s %q", p, tt.want, tt.message)
			}
		})
	}
}

// A GraphQL error is quoted with its code (or "no code") and message, and
// the hint is the one for Hasura's message.
func TestClassifyQuotesAndHints(t *testing.T) {
	tests := []struct {
		name, body, message, hint string
	}{
		{"no code", `{"errors":[{"message":"Unauthorized"}]}`, `answered 200 with no code: "Unauthorized"`, ""},
		{"code", hasuraError("access-denied", "Your requested role is not in allowed roles"), `answered 200 with access-denied: "Your requested role is not in allowed roles"`, ""},
		{"expired", hasuraError("invalid-jwt", "Could not verify JWT: JWTExpired"), "", "finds the token expired"},
		{"signature", hasuraError("invalid-jwt", "Could not verify JWT: JWSError JWSInvalidSignature"), "", "signature does not match"},
		{"no keys", hasuraError("invalid-jwt", "Could not verify JWT: JWSError NoUsableKeys"), "", "not in the key set"},
		{"issuer", hasuraError("invalid-jwt", "Could not verify JWT: JWTNotInIssuer"), "", "iss differs"},
		{"audience", hasuraError("invalid-jwt", "Could not verify JWT: JWTNotInAudience"), "", "aud does not contain"},
		{"not a JWT", hasuraError("invalid-jwt", "Could not verify JWT: CompactDecodeError Invalid number of parts"), "", "not a JWT"},
		{"no header", hasuraError("invalid-headers", "Missing 'Authorization' or 'Cookie' header in JWT authentication mode"), "", "proxy in between"},
		{"malformed header", hasuraError("invalid-headers", "Malformed Authorization header"), "", `exactly "Authorization: Bearer <token>"`},
		{"claims key", hasuraError("jwt-invalid-claims", "claims key: 'https://hasura.io/jwt/claims' not found"), "", "no Hasura claims: log in through"},
		{"claims path", hasuraError("jwt-invalid-claims", "claims not found at claims_namespace_path"), "", "configured claims_namespace_path"},
		{"not a list", hasuraError("jwt-invalid-claims", "invalid x-hasura-allowed-roles; should be a list of roles"), "", "not multivalued"},
		{"allowed roles", hasuraError("jwt-missing-role-claims", "JWT claim does not contain x-hasura-allowed-roles"), "", "lacks x-hasura-allowed-roles"},
		{"default role", hasuraError("jwt-missing-role-claims", "JWT claim does not contain x-hasura-default-role"), "", "lacks x-hasura-default-role"},
		{"session variable", hasuraError("not-found", `missing session variable: "x-hasura-tenant-id"`), "", "session variable the token does not carry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Classify(gqlExchange(200, "application/json", tt.body))
			if !strings.Contains(p.Message, tt.message) || tt.hint == "" && p.Hint != "" || !strings.Contains(p.Hint, tt.hint) {
				t.Fatalf("got %q hint %q; want %q hint %q", p.Message, p.Hint, tt.message, tt.hint)
			}
		})
	}
	p := Classify(gqlExchange(200, "application/json", hasuraError("access-denied", "denied")))
	if want := map[string]any{"status": 200, "graphql_code": "access-denied", "graphql_message": "denied"}; !reflect.DeepEqual(p.Details, want) {
		t.Fatalf("details %v", p.Details)
	}
}

// A server that echoes the token in its error never puts it in a problem.
func TestClassifyScrubsTheToken(t *testing.T) {
	set := redact.NewSet()
	set.Add("eyJ.the-access-token.sig")
	ex, ans := gqlExchange(200, "application/json", hasuraError("invalid-jwt", "Could not verify JWT eyJ.the-access-token.sig"))
	ex.Secrets = set
	if p := Classify(ex, ans); strings.Contains(p.Message, "the-access-token") || strings.Contains(fmt.Sprint(p.Details), "the-access-token") {
		t.Fatalf("got %+v", p)
	}
}

// A transport failure is GRAPHQL_UNREACHABLE, except a request sent and
// never answered, which the server received.
func TestClassifyTransportFailures(t *testing.T) {
	p := Classify(httpx.Exchange{Method: "POST", URL: "https://api.example.com/v1/graphql", Err: context.DeadlineExceeded, Sent: true, Duration: time.Second}, nil)
	if p.Code != codes.AnswerTimeout || p.Hint == "" {
		t.Fatalf("got %+v", p)
	}
	p = Classify(httpx.Exchange{Method: "POST", URL: "https://api.example.com/v1/graphql", Err: context.DeadlineExceeded}, nil)
	if p.Code != codes.GraphQLUnreachable || p.Details["cause"] != "timeout" {
		t.Fatalf("got %+v", p)
	}
}

// ParseAnswer takes JSON with data or errors, and nothing else.
func TestParseAnswer(t *testing.T) {
	tests := []struct {
		name, ctype, body string
		err               error
		ok                bool
	}{
		{"data", "application/json", `{"data":{"__typename":"query_root"}}`, nil, true},
		{"errors only", "application/json; charset=utf-8", `{"errors":[{"message":"x"}]}`, nil, true},
		{"empty object", "application/json", `{}`, nil, false},
		{"neither", "application/json", `{"error":"HTTP 404 Not Found"}`, nil, false},
		{"errors of another type", "application/json", `{"errors":"denied"}`, nil, false},
		{"not JSON", "application/json", `<html>`, nil, false},
		{"another type", "text/plain", `{"data":{}}`, nil, false},
		{"transport error", "application/json", `{"data":{}}`, io.ErrUnexpectedEOF, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := httpx.Exchange{Status: 200, Header: http.Header{"Content-Type": {tt.ctype}}, Body: []byte(tt.body), Err: tt.err}
			if got := ParseAnswer(ex) != nil; got != tt.ok {
				t.Fatalf("parsed %v, want %v", got, tt.ok)
			}
		})
	}
}

// Post sends the query as JSON with the bearer token, and the role header
// only when a role is asked for.
func TestPostSendsQueryTokenAndRole(t *testing.T) {
	type seen struct {
		auth, role, ctype string
		hasRole           bool
		query             string
	}
	var got []seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		_, hasRole := r.Header["X-Hasura-Role"]
		got = append(got, seen{r.Header.Get("Authorization"), r.Header.Get("X-Hasura-Role"), r.Header.Get("Content-Type"), hasRole, body["query"]})
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"data":{"__typename":"query_root"}}`)
	}))
	defer srv.Close()
	tr := httpx.NewTransport(httpx.TransportOptions{RetryWait: time.Millisecond})
	defer tr.Close()
	ex, ans := Post(context.Background(), tr.Client(), srv.URL, "eyJ.tok.sig", "user", TypenameQuery)
	if ex.Status != 200 || ans == nil || ans.Typename() != "query_root" {
		t.Fatalf("got %+v %+v", ex, ans)
	}
	_, _ = Post(context.Background(), tr.Client(), srv.URL, "eyJ.tok.sig", "", IntrospectionQuery)
	want := []seen{
		{"Bearer eyJ.tok.sig", "user", "application/json", true, TypenameQuery},
		{"Bearer eyJ.tok.sig", "", "application/json", false, IntrospectionQuery},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v", got)
	}
}

// A request that cannot be made, or gets no answer, is an exchange with
// its error and no answer.
func TestPostFailures(t *testing.T) {
	tr := httpx.NewTransport(httpx.TransportOptions{RetryWait: time.Millisecond})
	defer tr.Close()
	if ex, ans := Post(context.Background(), tr.Client(), "http://[::1", "t", "", TypenameQuery); ex.Err == nil || ans != nil || ex.URL != "http://[::1" || ex.Method != http.MethodPost {
		t.Fatalf("bad URL: %+v %+v", ex, ans)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	ex, ans := Post(context.Background(), tr.Client(), "http://"+addr+"/v1/graphql", "t", "", TypenameQuery)
	if ex.Err == nil || ans != nil {
		t.Fatalf("refused: %+v %+v", ex, ans)
	}
	if p := Classify(ex, ans); p.Code != codes.GraphQLUnreachable || p.Details["cause"] != "refused" {
		t.Fatalf("refused: %+v", p)
	}
	// No recorder, no transport error: a client whose transport sends
	// nothing at all.
	none := &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, io.ErrClosedPipe })}
	if ex, ans := Post(context.Background(), none, "http://h/v1/graphql", "t", "", TypenameQuery); ex.Err == nil || ans != nil || ex.URL != "http://h/v1/graphql" {
		t.Fatalf("nothing sent: %+v %+v", ex, ans)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestRootFieldsShapes(t *testing.T) {
	for _, tc := range []struct {
		data   string
		fields []string
		ok     bool
	}{
		{`{"__schema":{"queryType":{"fields":[{"name":"a"}]},"mutationType":{"fields":[{"name":"b"}]}}}`, []string{"a", "b"}, true},
		{`{"__schema":{"queryType":{"fields":[{"name":"a"}]},"mutationType":null}}`, []string{"a"}, true},
		{`{"__schema":{"queryType":null}}`, nil, false},
		{`{"__schema":"x"}`, nil, false},
	} {
		fields, ok := (&Answer{Data: json.RawMessage(tc.data)}).RootFields()
		if ok != tc.ok || len(fields) != len(tc.fields) {
			t.Errorf("%s: %v %v", tc.data, fields, ok)
		}
		for _, f := range tc.fields {
			if !fields[f] {
				t.Errorf("%s: lacks %s", tc.data, f)
			}
		}
	}
}
