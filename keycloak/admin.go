package keycloak

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/Nerzal/gocloak/v13"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/internal/redact"
)

// AdminCredentials give access to Keycloak's admin REST API. They are not
// the credentials under test, and are secrets like them: they are sent only
// to the admin realm's token endpoint and to the admin API, both on the same
// Keycloak as the realm under test.
type AdminCredentials struct {
	Realm        string // the realm that issues the admin token; "master" by default
	ClientID     string // "admin-cli" by default
	ClientSecret redact.Secret
	Username     string
	Password     redact.Secret
	Token        redact.Secret // a ready admin token: no login
}

// IsSet reports whether any admin access was given.
func (a AdminCredentials) IsSet() bool {
	return a.Token.IsSet() || a.Password.IsSet() || a.ClientSecret.IsSet()
}

// Admin is an authenticated session on the admin API of the Keycloak that
// serves the realm under test.
type Admin struct {
	c     *Client
	token redact.Secret
	// clockOffset is the server's clock minus this machine's, measured at
	// the admin login (0 for a ready token: nothing to measure it by).
	clockOffset time.Duration
}

// LoginAdmin obtains an admin token through the admin realm's token
// endpoint (the password grant with a username, else client credentials),
// or takes the ready one. A refused login is the grant's own diagnosis
// (INVALID_USER_CREDENTIALS, CLIENT_NOT_FOUND, …); the caller says that it
// concerns the admin credentials.
func (c *Client) LoginAdmin(ctx context.Context, cr AdminCredentials) (*Admin, *httpx.Problem) {
	if cr.Token.IsSet() {
		c.secrets.AddSecret(cr.Token)
		return &Admin{c: c, token: cr.Token}, nil
	}
	login := NewClient(c.base, cr.Realm, c.t, c.secrets)
	tokens, p := login.Token(ctx, Credentials{ClientID: cr.ClientID, ClientSecret: cr.ClientSecret, Username: cr.Username, Password: cr.Password})
	if p != nil {
		return nil, p
	}
	return &Admin{c: c, token: tokens.Access, clockOffset: serverClockOffset(tokens, time.Now())}, nil
}

// serverClockOffset estimates the server's clock minus this machine's from
// a token answer received at local time received: by its Date header, or,
// since Keycloak 26.7.3 sends none (measured), by the access token's iat,
// which the server stamps in whole seconds while it answers. Accurate to
// about a second; 0 when neither is there.
func serverClockOffset(t *Tokens, received time.Time) time.Duration {
	if !t.ServerTime.IsZero() {
		return t.ServerTime.Sub(received)
	}
	parts := strings.Split(t.Access.Reveal(), ".")
	if len(parts) != 3 {
		return 0
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return 0
	}
	var claims struct {
		IssuedAt float64 `json:"iat"`
	}
	if json.Unmarshal(payload, &claims) != nil || claims.IssuedAt <= 0 {
		return 0
	}
	return time.Unix(int64(claims.IssuedAt), 0).Sub(received)
}

// ServerNow is the server's time at this machine's time t, as estimated at
// the admin login.
func (a *Admin) ServerNow(t time.Time) time.Time { return t.Add(a.clockOffset) }

// adminURL is {base}/admin/realms/{realm}{path}: the admin API follows the
// layout of the realm URL in use (with /auth on legacy servers).
func (a *Admin) adminURL(path string, query url.Values) string {
	u := a.c.base + "/admin/realms/" + url.PathEscape(a.c.realm) + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	return u
}

// get performs one admin GET and returns its exact answer.
func (a *Admin) get(ctx context.Context, path string, query url.Values) httpx.Exchange {
	rawURL := a.adminURL(path, query)
	rctx, rec := httpx.Record(ctx)
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return httpx.Exchange{Method: http.MethodGet, URL: rawURL, Err: err}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+a.token.Reveal())
	resp, err := a.c.t.Client().Do(req)
	if resp != nil {
		_ = resp.Body.Close()
	}
	if ex, ok := rec.Last(); ok {
		return ex
	}
	return httpx.Exchange{Method: http.MethodGet, URL: rawURL, Err: err}
}

// AdminError is a refused admin request, in the terms the checks report:
// Forbidden means the token lacks a role (which one, the caller knows).
type AdminError struct {
	Status    int
	Forbidden bool
	Problem   *httpx.Problem
}

// classifyAdmin names a failed admin answer; nil for a 2xx JSON answer.
// Keycloak checks the token (401) before the realm (404) before the role
// (403): AdminRoot.authenticateRealmAdminRequest, then
// RealmsAdminResource.getRealmAdmin, then the resource's permission check.
func classifyAdmin(ex httpx.Exchange) *AdminError {
	switch {
	case ex.Err != nil:
		return &AdminError{Problem: httpx.ClassifyExchange(ex)}
	case ex.Status >= 200 && ex.Status < 300 && ex.ContentType() == "application/json":
		return nil
	case ex.Status == http.StatusForbidden:
		return &AdminError{Status: ex.Status, Forbidden: true, Problem: adminProblem(ex, "the admin token lacks the role this request needs")}
	case ex.Status == http.StatusUnauthorized:
		return &AdminError{Status: ex.Status, Problem: adminProblem(ex, "Keycloak refused the admin token (expired, from another Keycloak, or not a token)")}
	case ex.Status == http.StatusNotFound:
		return &AdminError{Status: ex.Status, Problem: adminProblem(ex, "not found")}
	}
	return &AdminError{Status: ex.Status, Problem: httpx.Unexpected(ex)}
}

func adminProblem(ex httpx.Exchange, what string) *httpx.Problem {
	msg := fmt.Sprintf("%s %s answered %d", ex.Method, ex.URL, ex.Status)
	if e, ok := ParseOAuthError(ex); ok {
		msg = fmt.Sprintf("%s %s answered %s", ex.Method, ex.URL, e.quote(ex.Status))
	}
	return &httpx.Problem{Code: codes.UnexpectedAnswer, Message: msg + ": " + what, Details: map[string]any{"status": ex.Status}}
}

// gocloakCall runs one gocloak admin call through the recording transport
// and classifies its exact answer (gocloak's own errors flatten it).
func (a *Admin) gocloakCall(ctx context.Context, call func(ctx context.Context, gc *gocloak.GoCloak, token string) error) *AdminError {
	rctx, rec := httpx.Record(ctx)
	err := call(rctx, a.c.gc, a.token.Reveal())
	ex, sent := rec.Last()
	if !sent {
		if err == nil {
			err = fmt.Errorf("no request was sent")
		}
		return &AdminError{Problem: &httpx.Problem{Code: codes.Unreachable, Message: err.Error()}}
	}
	if ae := classifyAdmin(ex); ae != nil {
		return ae
	}
	if err != nil {
		return &AdminError{Status: ex.Status, Problem: httpx.Unexpected(ex)}
	}
	return nil
}

// User is the part of a user the diagnosis reads.
type User struct {
	ID              string
	Username        string
	Enabled         bool
	RequiredActions []string
	// Attributes are the user's attributes as the admin API lists them
	// (e.g. tenant-id, which Sequent's mappers put into x-hasura-tenant-id).
	Attributes map[string][]string
}

// FindUser looks a user up by exact username; nil when there is none.
func (a *Admin) FindUser(ctx context.Context, username string) (*User, *AdminError) {
	var users []*gocloak.User
	exact := true
	ae := a.gocloakCall(ctx, func(ctx context.Context, gc *gocloak.GoCloak, token string) (err error) {
		users, err = gc.GetUsers(ctx, token, a.c.realm, gocloak.GetUsersParams{Username: &username, Exact: &exact})
		return err
	})
	if ae != nil {
		return nil, ae
	}
	for _, u := range users {
		if u != nil && u.Username != nil && strings.EqualFold(*u.Username, username) {
			return toUser(u), nil
		}
	}
	return nil, nil
}

// ServiceAccountUser returns the service-account user of a client; nil when
// the client does not exist or has no service account.
func (a *Admin) ServiceAccountUser(ctx context.Context, clientID string) (*User, *AdminError) {
	id, ae := a.clientUUID(ctx, clientID)
	if ae != nil || id == "" {
		return nil, ae
	}
	var u *gocloak.User
	ae = a.gocloakCall(ctx, func(ctx context.Context, gc *gocloak.GoCloak, token string) (err error) {
		u, err = gc.GetClientServiceAccount(ctx, token, a.c.realm, id)
		return err
	})
	if ae != nil {
		if ae.Status == http.StatusBadRequest {
			return nil, nil // "Service account not enabled for the client"
		}
		return nil, ae
	}
	return toUser(u), nil
}

func toUser(u *gocloak.User) *User {
	out := &User{ID: gocloak.PString(u.ID), Username: gocloak.PString(u.Username), Enabled: gocloak.PBool(u.Enabled)}
	if u.RequiredActions != nil {
		out.RequiredActions = append(out.RequiredActions, *u.RequiredActions...)
	}
	if u.Attributes != nil {
		out.Attributes = *u.Attributes
	}
	return out
}

// clientUUID is the internal id of a client ("" when it does not exist).
func (a *Admin) clientUUID(ctx context.Context, clientID string) (string, *AdminError) {
	var clients []*gocloak.Client
	ae := a.gocloakCall(ctx, func(ctx context.Context, gc *gocloak.GoCloak, token string) (err error) {
		clients, err = gc.GetClients(ctx, token, a.c.realm, gocloak.GetClientsParams{ClientID: &clientID})
		return err
	})
	if ae != nil {
		return "", ae
	}
	for _, c := range clients {
		if c != nil && gocloak.PString(c.ClientID) == clientID {
			return gocloak.PString(c.ID), nil
		}
	}
	return "", nil
}

// LockoutStatus is Keycloak's brute-force record of one user.
type LockoutStatus struct {
	Locked        bool
	Failures      int
	LastFailureMs int64 // epoch milliseconds, 0 when none
	LastIP        string
	// LockedUntil is when a temporary lockout lifts (failedLoginNotBefore,
	// by the server's clock); zero when there is none.
	LockedUntil time.Time
	// Permanent: locked with no end (failedLoginNotBefore Long.MAX_VALUE,
	// AttackDetectionResource.bruteForceUserStatus in 26.x): the user was
	// disabled by a permanent lockout and is not also locked temporarily.
	Permanent bool
}

// Lockout reads the brute-force status of a user (needs view-users). It is
// read with its own type: gocloak's BruteForceStatus has no
// failedLoginNotBefore, the moment the lockout lifts.
func (a *Admin) Lockout(ctx context.Context, userID string) (*LockoutStatus, *AdminError) {
	ex := a.get(ctx, "/attack-detection/brute-force/users/"+url.PathEscape(userID), nil)
	if ae := classifyAdmin(ex); ae != nil {
		return nil, ae
	}
	// AttackDetectionResource.bruteForceUserStatus; "n/a" is the IP of a
	// user who never failed (recorded from Keycloak 26.7.3).
	var st struct {
		Disabled             bool        `json:"disabled"`
		NumFailures          int         `json:"numFailures"`
		LastFailure          int64       `json:"lastFailure"`
		LastIPFailure        string      `json:"lastIPFailure"`
		FailedLoginNotBefore json.Number `json:"failedLoginNotBefore"`
	}
	if err := json.Unmarshal(ex.Body, &st); err != nil {
		return nil, &AdminError{Status: ex.Status, Problem: httpx.Unexpected(ex)}
	}
	out := &LockoutStatus{Locked: st.Disabled, Failures: st.NumFailures, LastFailureMs: st.LastFailure, LastIP: st.LastIPFailure}
	if out.LastIP == "n/a" {
		out.LastIP = ""
	}
	// Keycloak's model keeps failedLoginNotBefore as an int of epoch
	// seconds; anything beyond that range is the Long.MAX_VALUE of a
	// permanent lockout.
	notBefore, _ := st.FailedLoginNotBefore.Float64()
	switch {
	case st.Disabled && notBefore > math.MaxInt32:
		out.Permanent = true
	case st.Disabled && notBefore > 0:
		out.LockedUntil = time.Unix(int64(notBefore), 0)
	}
	return out, nil
}

// BruteForcePolicy is the realm's brute-force detection setting.
type BruteForcePolicy struct {
	Enabled          bool
	Permanent        bool
	FailureFactor    int // failures before a lockout
	WaitIncrementSec int
	MaxWaitSec       int
}

// BruteForce reads the realm's brute-force detection setting (needs view-realm).
func (a *Admin) BruteForce(ctx context.Context) (*BruteForcePolicy, *AdminError) {
	var rr *gocloak.RealmRepresentation
	ae := a.gocloakCall(ctx, func(ctx context.Context, gc *gocloak.GoCloak, token string) (err error) {
		rr, err = gc.GetRealm(ctx, token, a.c.realm)
		return err
	})
	if ae != nil {
		return nil, ae
	}
	return &BruteForcePolicy{
		Enabled: gocloak.PBool(rr.BruteForceProtected), Permanent: gocloak.PBool(rr.PermanentLockout),
		FailureFactor: gocloak.PInt(rr.FailureFactor), WaitIncrementSec: gocloak.PInt(rr.WaitIncrementSeconds),
		MaxWaitSec: gocloak.PInt(rr.MaxFailureWaitSeconds),
	}, nil
}

// EffectiveRealmRoles lists the realm roles a user holds, expanded as
// Keycloak expands them: direct, through groups, composites and the realm's
// default roles (needs view-users).
func (a *Admin) EffectiveRealmRoles(ctx context.Context, userID string) ([]string, *AdminError) {
	var roles []*gocloak.Role
	ae := a.gocloakCall(ctx, func(ctx context.Context, gc *gocloak.GoCloak, token string) (err error) {
		roles, err = gc.GetCompositeRealmRolesByUserID(ctx, token, a.c.realm, userID)
		return err
	})
	return roleNames(roles), ae
}

// EffectiveClientRoles lists the roles of one client a user holds,
// expanded likewise; nil when the client does not exist.
func (a *Admin) EffectiveClientRoles(ctx context.Context, userID, clientID string) ([]string, *AdminError) {
	id, ae := a.clientUUID(ctx, clientID)
	if ae != nil || id == "" {
		return nil, ae
	}
	var roles []*gocloak.Role
	ae = a.gocloakCall(ctx, func(ctx context.Context, gc *gocloak.GoCloak, token string) (err error) {
		roles, err = gc.GetCompositeClientRolesByUserID(ctx, token, a.c.realm, id, userID)
		return err
	})
	return roleNames(roles), ae
}

func roleNames(roles []*gocloak.Role) []string {
	var out []string
	for _, r := range roles {
		if r != nil && r.Name != nil {
			out = append(out, *r.Name)
		}
	}
	return out
}

// ClientSettings are the settings of a client that decide which of a
// user's roles its access tokens carry.
type ClientSettings struct {
	// FullScopeAllowed off: tokens carry only the roles of the client's
	// scope mappings (Client scopes > <client>-dedicated > Scope).
	FullScopeAllowed bool
	// Lightweight: "Always use lightweight access token", whose tokens
	// carry no role claims (attribute
	// client.use.lightweight.access.token.enabled).
	Lightweight bool
}

// ClientSettings reads a client's token settings (needs view-clients: with
// query-clients alone Keycloak lists only id and clientId, and then nil is
// returned, as for a client that does not exist).
func (a *Admin) ClientSettings(ctx context.Context, clientID string) (*ClientSettings, *AdminError) {
	var clients []*gocloak.Client
	ae := a.gocloakCall(ctx, func(ctx context.Context, gc *gocloak.GoCloak, token string) (err error) {
		clients, err = gc.GetClients(ctx, token, a.c.realm, gocloak.GetClientsParams{ClientID: &clientID})
		return err
	})
	if ae != nil {
		return nil, ae
	}
	for _, c := range clients {
		if c == nil || gocloak.PString(c.ClientID) != clientID || c.FullScopeAllowed == nil {
			continue
		}
		out := &ClientSettings{FullScopeAllowed: *c.FullScopeAllowed}
		if c.Attributes != nil {
			out.Lightweight = (*c.Attributes)["client.use.lightweight.access.token.enabled"] == "true"
		}
		return out, nil
	}
	return nil, nil
}
