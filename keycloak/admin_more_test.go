package keycloak

import (
	"context"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/internal/redact"
)

// The tests in this file pin what mutation testing found unpinned in the
// admin API client (see docs/mutation-testing.md).

// fakeAdminAPI answers the admin API of realm tenant-x per path (status and
// body), 404 for any other path.
func fakeAdminAPI(t *testing.T, answers map[string]struct {
	status int
	body   string
}) (*Admin, *[]string) {
	t.Helper()
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.URL.RequestURI())
		w.Header().Set("Content-Type", "application/json")
		a, ok := answers[r.URL.Path]
		if !ok {
			w.WriteHeader(404)
			_, _ = io.WriteString(w, `{"error":"HTTP 404 Not Found"}`)
			return
		}
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body)
	}))
	t.Cleanup(srv.Close)
	tr := testTransport()
	t.Cleanup(tr.Close)
	admin, p := NewClient(srv.URL, "tenant-x", tr, redact.NewSet()).LoginAdmin(context.Background(), AdminCredentials{Token: "ready-admin-token-123456"})
	if p != nil {
		t.Fatal(p)
	}
	return admin, &seen
}

type answer = struct {
	status int
	body   string
}

const adminBase = "/admin/realms/tenant-x"

func TestAdminUsersClientsAndRoles(t *testing.T) {
	admin, seen := fakeAdminAPI(t, map[string]answer{
		adminBase + "/users":                                         {200, `[{"id":"u-2","username":"ana.maria"},{"id":"u-1","username":"Ana","enabled":true,"requiredActions":["UPDATE_PASSWORD"]}]`},
		adminBase + "/clients":                                       {200, `[{"id":"c-0","clientId":"svc-other"},{"id":"c-1","clientId":"svc"}]`},
		adminBase + "/clients/c-1/service-account-user":              {200, `{"id":"sa-1","username":"service-account-svc","enabled":true}`},
		adminBase + "/users/u-1/role-mappings/realm/composite":       {200, `[{"name":"admin-user"},{"id":"x"},{"name":"offline_access"}]`},
		adminBase + "/users/u-1/role-mappings/clients/c-1/composite": {200, `[{"name":"read"}]`},
		adminBase + "": {200, `{"realm":"tenant-x","bruteForceProtected":true,"permanentLockout":false,"failureFactor":3,"waitIncrementSeconds":60,"maxFailureWaitSeconds":900}`},
		adminBase + "/attack-detection/brute-force/users/u-1":              {200, `{"disabled":true,"failedLoginNotBefore":0,"numFailures":3,"lastIPFailure":"10.0.0.7","lastFailure":1795621900559}`},
		adminBase + "/attack-detection/brute-force/users/u-not-json":       {200, `[1,2]`},
		adminBase + "/users/u-1/role-mappings/clients/c-missing/composite": {200, `[]`},
	})
	ctx := context.Background()
	u, ae := admin.FindUser(ctx, "ana")
	if ae != nil || !reflect.DeepEqual(u, &User{ID: "u-1", Username: "Ana", Enabled: true, RequiredActions: []string{"UPDATE_PASSWORD"}}) {
		t.Fatalf("FindUser: %+v %+v", u, ae)
	}
	if (*seen)[0] != adminBase+"/users?exact=true&username=ana" {
		t.Fatalf("query %s", (*seen)[0])
	}
	if u, ae := admin.FindUser(ctx, "nobody"); u != nil || ae != nil {
		t.Fatalf("no such user: %+v %+v", u, ae)
	}
	sa, ae := admin.ServiceAccountUser(ctx, "svc")
	if ae != nil || sa.ID != "sa-1" || sa.Username != "service-account-svc" || !sa.Enabled || sa.RequiredActions != nil {
		t.Fatalf("ServiceAccountUser: %+v %+v", sa, ae)
	}
	if sa, ae := admin.ServiceAccountUser(ctx, "no-such-client"); sa != nil || ae != nil {
		t.Fatalf("no such client: %+v %+v", sa, ae)
	}
	roles, ae := admin.EffectiveRealmRoles(ctx, "u-1")
	if ae != nil || strings.Join(roles, ",") != "admin-user,offline_access" {
		t.Fatalf("realm roles %v %+v", roles, ae)
	}
	roles, ae = admin.EffectiveClientRoles(ctx, "u-1", "svc")
	if ae != nil || strings.Join(roles, ",") != "read" {
		t.Fatalf("client roles %v %+v", roles, ae)
	}
	if roles, ae := admin.EffectiveClientRoles(ctx, "u-1", "no-such-client"); roles != nil || ae != nil {
		t.Fatalf("no such client: %v %+v", roles, ae)
	}
	bf, ae := admin.BruteForce(ctx)
	if ae != nil || *bf != (BruteForcePolicy{Enabled: true, FailureFactor: 3, WaitIncrementSec: 60, MaxWaitSec: 900}) {
		t.Fatalf("BruteForce %+v %+v", bf, ae)
	}
	// A permanent lockout has no end: failedLoginNotBefore is 0.
	st, ae := admin.Lockout(ctx, "u-1")
	if ae != nil || !st.Locked || !st.LockedUntil.IsZero() || st.Failures != 3 || st.LastIP != "10.0.0.7" {
		t.Fatalf("Lockout %+v %+v", st, ae)
	}
	if _, ae := admin.Lockout(ctx, "u-not-json"); ae == nil || ae.Problem.Code != codes.UnexpectedAnswer {
		t.Fatalf("a body that is no status: %+v", ae)
	}
}

// A service account that is not enabled is no user, not a failure; any
// other refusal is the caller's to report.
func TestServiceAccountUserRefusals(t *testing.T) {
	for _, tc := range []struct {
		status    int
		wantError bool
	}{{400, false}, {403, true}, {500, true}} {
		admin, _ := fakeAdminAPI(t, map[string]answer{
			adminBase + "/clients":                          {200, `[{"id":"c-1","clientId":"svc"}]`},
			adminBase + "/clients/c-1/service-account-user": {tc.status, `{"error":"Service account not enabled for the client 'svc'"}`},
		})
		sa, ae := admin.ServiceAccountUser(context.Background(), "svc")
		if sa != nil || (ae != nil) != tc.wantError || ae != nil && ae.Status != tc.status {
			t.Errorf("%d: %+v %+v", tc.status, sa, ae)
		}
	}
}

// Each refusal of the admin API, as the checks read it.
func TestClassifyAdminAnswers(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		ctype     string
		body      string
		want      *AdminError // Problem compared by code and message part
		wantInMsg string
	}{
		{"ok", 200, "application/json", `[]`, nil, ""},
		{"no content", 204, "application/json", ``, nil, ""},
		{"200 html", 200, "text/html", `<html>`, &AdminError{Status: 200}, "answered 200 OK with text/html"},
		{"300", 300, "application/json", `{}`, &AdminError{Status: 300}, "answered 300"},
		{"199", 199, "application/json", `{}`, &AdminError{Status: 199}, "answered 199"},
		{"forbidden", 403, "application/json", `{"error":"HTTP 403 Forbidden"}`, &AdminError{Status: 403, Forbidden: true}, "answered 403 HTTP 403 Forbidden: the admin token lacks the role"},
		{"unauthorized, no JSON", 401, "text/plain", `nope`, &AdminError{Status: 401}, "answered 401: Keycloak refused the admin token"},
		{"not found", 404, "application/json", `{"error":"Realm not found."}`, &AdminError{Status: 404}, "answered 404 Realm not found.: not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := httpx.Exchange{Method: "GET", URL: "https://sso/admin/realms/x/events", Status: tt.status,
				Header: http.Header{"Content-Type": {tt.ctype}}, Body: []byte(tt.body)}
			ae := classifyAdmin(ex)
			if tt.want == nil {
				if ae != nil {
					t.Fatalf("got %+v", ae)
				}
				return
			}
			if ae == nil || ae.Status != tt.want.Status || ae.Forbidden != tt.want.Forbidden || ae.Problem.Code != codes.UnexpectedAnswer || !strings.Contains(ae.Problem.Message, tt.wantInMsg) {
				t.Fatalf("got %+v (%+v), want %+v %q", ae, ae.Problem, tt.want, tt.wantInMsg)
			}
		})
	}
}

// An admin request that gets no answer is the transport's failure, and
// nothing panics on the way.
func TestAdminUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	tr := testTransport()
	defer tr.Close()
	admin, _ := NewClient("http://"+addr, "tenant-x", tr, redact.NewSet()).LoginAdmin(context.Background(), AdminCredentials{Token: "ready-admin-token-123456"})
	if _, ae := admin.Lockout(context.Background(), "u-1"); ae == nil || ae.Problem.Code != codes.Unreachable || ae.Status != 0 {
		t.Fatalf("Lockout: %+v", ae)
	}
	if _, ae := admin.FindUser(context.Background(), "ana"); ae == nil || ae.Problem.Code != codes.Unreachable {
		t.Fatalf("FindUser: %+v", ae)
	}
	bad, _ := NewClient("http://[::1", "tenant-x", tr, redact.NewSet()).LoginAdmin(context.Background(), AdminCredentials{Token: "ready-admin-token-123456"})
	if _, ae := bad.FindUser(context.Background(), "ana"); ae == nil || ae.Problem.Code != codes.Unreachable || !strings.Contains(ae.Problem.Message, "missing ']'") {
		t.Fatalf("a request that cannot be sent: %+v", ae)
	}
	if ex := bad.get(context.Background(), "/events", nil); ex.Err == nil || ex.URL != "http://[::1/admin/realms/tenant-x/events" {
		t.Fatalf("get: %+v", ex)
	}
}

func TestAdminURL(t *testing.T) {
	a := &Admin{c: &Client{base: "https://sso.example.com/auth", realm: "tenant x"}}
	for _, tc := range []struct {
		q    url.Values
		want string
	}{
		{nil, "https://sso.example.com/auth/admin/realms/tenant%20x/events"},
		{url.Values{}, "https://sso.example.com/auth/admin/realms/tenant%20x/events"},
		{url.Values{"max": {"5"}}, "https://sso.example.com/auth/admin/realms/tenant%20x/events?max=5"},
	} {
		if got := a.adminURL("/events", tc.q); got != tc.want {
			t.Errorf("adminURL(%v) = %s, want %s", tc.q, got, tc.want)
		}
	}
}

// The admin login: a ready token as is (and registered as a secret), else
// the admin realm's token endpoint, whose clock is measured.
func TestLoginAdmin(t *testing.T) {
	jwt := func(claims string) string {
		return "eyJhbGciOiJub25lIn0." + base64.RawURLEncoding.EncodeToString([]byte(claims)) + ".c2ln"
	}
	var form url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		form = r.PostForm
		w.Header().Set("Content-Type", "application/json")
		w.Header()["Date"] = nil
		if r.URL.Path != "/realms/master/protocol/openid-connect/token" {
			w.WriteHeader(404)
			return
		}
		if form.Get("password") == "wrong-admin-pw" {
			w.WriteHeader(401)
			_, _ = io.WriteString(w, `{"error":"invalid_grant","error_description":"Invalid user credentials"}`)
			return
		}
		_, _ = io.WriteString(w, `{"access_token":"`+jwt(`{"iat":1764079200}`)+`","token_type":"Bearer","expires_in":60}`)
	}))
	defer srv.Close()
	tr := testTransport()
	defer tr.Close()
	set := redact.NewSet()
	c := NewClient(srv.URL, "tenant-x", tr, set)

	admin, p := c.LoginAdmin(context.Background(), AdminCredentials{Realm: "master", ClientID: "admin-cli", Username: "admin", Password: "admin-pw-123"})
	if p != nil {
		t.Fatal(p)
	}
	if form.Get("grant_type") != "password" || form.Get("client_id") != "admin-cli" || form.Get("username") != "admin" {
		t.Fatalf("login form %v", form)
	}
	// The token says it was issued at 2025-11-25T14:00:00Z.
	if got := admin.ServerNow(time.Now()); got.Sub(time.Unix(1764079200, 0)).Abs() > time.Minute {
		t.Fatalf("the server's clock is read from iat: %s", got)
	}
	if _, p := c.LoginAdmin(context.Background(), AdminCredentials{Realm: "master", ClientID: "admin-cli", Username: "admin", Password: "wrong-admin-pw"}); p == nil || p.Code != codes.InvalidUserCredentials {
		t.Fatalf("a refused login is the grant's diagnosis: %+v", p)
	}
	ready, p := c.LoginAdmin(context.Background(), AdminCredentials{Token: "ready-admin-token-123456"})
	if p != nil || ready.ServerNow(time.Unix(100, 0)) != time.Unix(100, 0) || set.Scrub("ready-admin-token-123456") != redact.Placeholder {
		t.Fatalf("a ready token: %+v %+v", ready, p)
	}
	if (AdminCredentials{}).IsSet() || !(AdminCredentials{ClientSecret: "s"}).IsSet() || !(AdminCredentials{Password: "p"}).IsSet() || !(AdminCredentials{Token: "t"}).IsSet() {
		t.Fatal("IsSet")
	}
}

func TestServerClockOffset(t *testing.T) {
	received := time.Unix(1764079300, 0)
	jwt := func(claims string) redact.Secret {
		return redact.Secret("eyJhbGciOiJub25lIn0." + base64.RawURLEncoding.EncodeToString([]byte(claims)) + ".c2ln")
	}
	tests := []struct {
		name string
		t    Tokens
		want time.Duration
	}{
		{"Date header", Tokens{ServerTime: time.Unix(1764079250, 0), Access: jwt(`{"iat":1}`)}, -50 * time.Second},
		{"iat", Tokens{Access: jwt(`{"iat":1764079320}`)}, 20 * time.Second},
		{"no iat", Tokens{Access: jwt(`{"sub":"x"}`)}, 0},
		{"iat zero", Tokens{Access: jwt(`{"iat":0}`)}, 0},
		{"iat negative", Tokens{Access: jwt(`{"iat":-5}`)}, 0},
		{"not a JWT", Tokens{Access: "opaque-token"}, 0},
		{"payload not base64", Tokens{Access: "a.!!!.c"}, 0},
		{"payload not JSON", Tokens{Access: redact.Secret("a." + base64.RawURLEncoding.EncodeToString([]byte("nope")) + ".c")}, 0},
	}
	for _, tt := range tests {
		if got := serverClockOffset(&tt.t, received); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

// The events query carries only what was asked: no user, no max, no date
// when they are not set.
func TestEventsQueryOnlyWhatWasAsked(t *testing.T) {
	tests := []struct {
		q    EventQuery
		want string
	}{
		{EventQuery{}, ""},
		{EventQuery{Max: 0, UserID: ""}, ""},
		{EventQuery{Max: 1, UserID: "u-1", Types: []string{EventLoginError}}, "max=1&type=LOGIN_ERROR&user=u-1"},
	}
	for _, tt := range tests {
		admin, seen := fakeAdminAPI(t, map[string]answer{adminBase + "/events": {200, `[]`}})
		if _, ae := admin.Events(context.Background(), tt.q); ae != nil {
			t.Fatal(ae.Problem)
		}
		u, _ := url.Parse((*seen)[0])
		if u.RawQuery != tt.want {
			t.Errorf("%+v: query %q, want %q", tt.q, u.RawQuery, tt.want)
		}
	}
	admin, _ := fakeAdminAPI(t, map[string]answer{adminBase + "/events": {200, `{"not":"a list"}`}})
	if _, ae := admin.Events(context.Background(), EventQuery{}); ae == nil || ae.Problem.Code != codes.UnexpectedAnswer {
		t.Fatalf("a body that is no list: %+v", ae)
	}
	admin, _ = fakeAdminAPI(t, map[string]answer{adminBase + "/events/config": {200, `[]`}})
	if _, ae := admin.EventsConfig(context.Background()); ae == nil || ae.Problem.Code != codes.UnexpectedAnswer {
		t.Fatalf("a config that is no object: %+v", ae)
	}
}

// An event exactly slack away from the answer is still the attempt's.
func TestFindAttemptSlackIsInclusive(t *testing.T) {
	at := time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)
	const slack = 5 * time.Second
	for offset, want := range map[time.Duration]bool{-slack: true, slack: true, -slack - time.Millisecond: false, slack + time.Millisecond: false, 0: true} {
		e := Event{Time: at.Add(offset), Type: EventLoginError, ClientID: "c"}
		if got := len(FindAttempt([]Event{e}, []string{EventLoginError}, "c", "", at, slack)) == 1; got != want {
			t.Errorf("offset %s: kept %v, want %v", offset, got, want)
		}
	}
}

func TestEventFieldsAsText(t *testing.T) {
	events, err := decodeEvents([]byte(`[{"time":1764079205000,"type":"LOGIN_ERROR","details":{"b":true,"f":1.5,"n":null,"o":{}}}]`))
	if err != nil || len(events) != 1 {
		t.Fatal(events, err)
	}
	if d := events[0].Details; d["b"] != "true" || d["f"] != "1.5" || d["n"] != "" || d["o"] != "" {
		t.Fatalf("details %v", d)
	}
	if got := events[0].String(); got != "2025-11-25T14:00:05Z LOGIN_ERROR client= user= error=" {
		t.Fatalf("String() = %q", got)
	}
}
