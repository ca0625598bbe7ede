package keycloak

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/Nerzal/gocloak/v13"
	"github.com/golang-jwt/jwt/v5"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/internal/safego"
)

// Grants authdoctor performs.
const (
	GrantPassword          = "password"
	GrantClientCredentials = "client_credentials"
	GrantRefreshToken      = "refresh_token"
)

// Credentials identify the client and, for the password grant, the user.
type Credentials struct {
	ClientID     string
	ClientSecret redact.Secret
	Username     string
	Password     redact.Secret
	Scope        string
}

// Grant is the grant these credentials call for.
func (c Credentials) Grant() string {
	if c.Username != "" && c.Password.IsSet() {
		return GrantPassword
	}
	return GrantClientCredentials
}

// Client talks to one realm of one Keycloak: gocloak for the protocol calls,
// the shared httpx.Transport underneath so every exchange is recorded exactly.
type Client struct {
	base    string // without trailing slash, e.g. https://sso.example.com or …/auth
	realm   string
	t       *httpx.Transport
	gc      *gocloak.GoCloak
	secrets *redact.Set
	// passwordSpent is set once Keycloak has evaluated the password: it is
	// never sent again in the run, because brute-force detection counts
	// every failure and would lock the account.
	passwordSpent atomic.Bool
}

// NewClient returns a client for realm at base.
func NewClient(base, realm string, t *httpx.Transport, secrets *redact.Set) *Client {
	base = strings.TrimRight(base, "/")
	gc := gocloak.NewClient(base)
	rc := gc.RestyClient()
	rc.SetTransport(t.Client().Transport)
	rc.SetHeader("Accept", "application/json")
	rc.SetRedirectPolicy(noRedirectPolicy{})
	return &Client{base: base, realm: realm, t: t, gc: gc, secrets: secrets}
}

// RealmURL returns {base}/realms/{realm}: the issuer Keycloak puts in tokens
// when it is reached under this URL.
func (c *Client) RealmURL() string { return c.base + "/realms/" + url.PathEscape(c.realm) }

// RealmInfo is what the realm's public endpoints say.
type RealmInfo struct {
	Realm         string
	Issuer        string // from discovery
	TokenEndpoint string
	JWKSURI       string
	GrantTypes    []string
}

// Realm reads the realm's public info and its discovery document side by side.
func (c *Client) Realm(ctx context.Context) (*RealmInfo, *httpx.Problem) {
	var (
		infoEx, discoveryEx httpx.Exchange
		info                *gocloak.IssuerResponse
	)
	// In goroutines of their own, so that a panic reaches the check's
	// goroutine (safego), where the runner makes it INTERNAL_ERROR.
	waitInfo := safego.Go(func() {
		rctx, rec := httpx.Record(ctx)
		info, _ = c.gc.GetIssuer(rctx, c.realm)
		infoEx, _ = rec.Last()
	})
	waitDiscovery := safego.Go(func() {
		discoveryEx = c.get(ctx, c.RealmURL()+"/.well-known/openid-configuration")
	})
	waitInfo()
	waitDiscovery()

	if p := classifyRealm(infoEx); p != nil {
		if p.Code == codeUnrouted {
			return nil, c.probeOtherLayout(ctx, infoEx)
		}
		return nil, p
	}
	ri := &RealmInfo{Realm: c.realm}
	if info != nil && info.Realm != nil {
		ri.Realm = *info.Realm
	}
	var disc struct {
		Issuer        string   `json:"issuer"`
		TokenEndpoint string   `json:"token_endpoint"`
		JWKSURI       string   `json:"jwks_uri"`
		GrantTypes    []string `json:"grant_types_supported"`
	}
	if discoveryEx.Err != nil {
		return nil, httpx.ClassifyExchange(discoveryEx)
	}
	if e, ok := ParseOAuthError(discoveryEx); ok && e.Error == "invalid_request" && e.Description == "HTTPS required" &&
		info != nil && info.TokenService != nil {
		// The realm requires HTTPS for this request (Require SSL "all", or
		// "external" from an address Keycloak does not consider local):
		// discovery and the JWKS refuse plain http, realm info does not
		// (checkSsl in RealmsResource's well-known method and in
		// OIDCLoginProtocolService.certs; recorded from Keycloak 26.7.3 in
		// fixtures/realkc_fidelity_test.go). The realm exists, and its
		// token-service names the same issuer; the token endpoint refuses
		// the same way, which the credentials check reports as
		// HTTPS_REQUIRED.
		oidc := *info.TokenService
		ri.Issuer = strings.TrimSuffix(oidc, "/protocol/openid-connect")
		ri.TokenEndpoint, ri.JWKSURI = oidc+"/token", oidc+"/certs"
		return ri, nil
	}
	if discoveryEx.Status != http.StatusOK || json.Unmarshal(discoveryEx.Body, &disc) != nil || disc.Issuer == "" {
		return nil, httpx.Unexpected(discoveryEx)
	}
	ri.Issuer, ri.TokenEndpoint, ri.JWKSURI, ri.GrantTypes = disc.Issuer, disc.TokenEndpoint, disc.JWKSURI, disc.GrantTypes
	return ri, nil
}

// Tokens is a granted token set. Every token is a Secret and is registered
// with the run's redaction set the moment it arrives.
type Tokens struct {
	Access, Refresh, ID redact.Secret
	ExpiresIn           Lifetime // of the access token
	RefreshExpiresIn    Lifetime // of the refresh token (0: no fixed expiry)
	Scope               string
	TokenType           string
	ServerTime          time.Time // the answer's Date header, else the access token's iat; zero when neither
	Exchange            httpx.Exchange
}

// Token performs the grant the credentials call for.
func (c *Client) Token(ctx context.Context, cr Credentials) (*Tokens, *httpx.Problem) {
	grant := cr.Grant()
	opts := gocloak.TokenOptions{ClientID: &cr.ClientID, GrantType: &grant}
	if cr.ClientSecret.IsSet() {
		// RFC 6749 §2.3.1: the Basic credentials are form-encoded, and Keycloak
		// decodes them; gocloak v13 does not encode, so a secret with '+' or '%'
		// would arrive altered.
		s := url.QueryEscape(cr.ClientSecret.Reveal())
		opts.ClientSecret = &s
	}
	if cr.Scope != "" {
		opts.Scope = &cr.Scope
	}
	if grant == GrantPassword {
		if !c.passwordSpent.CompareAndSwap(false, true) {
			return nil, &httpx.Problem{Code: codes.GrantRejected, Message: "the password was already evaluated by Keycloak in this run; authdoctor does not send it twice"}
		}
		u, pw := cr.Username, cr.Password.Reveal()
		opts.Username, opts.Password = &u, &pw
		tokens, p, ex := c.grantEx(ctx, opts, ClassifyGrant)
		if notEvaluated(ex) {
			c.passwordSpent.Store(false)
		}
		return tokens, p
	}
	return c.grant(ctx, opts, ClassifyGrant)
}

// notEvaluated tells whether the token endpoint left the password
// unevaluated: no request was sent, or the answer is a 404 (no such realm,
// or a path Keycloak's router does not know), which Keycloak gives before
// it reads the form (RealmsResource resolves the realm, then the endpoint).
// The password may then be sent again in the run, since brute-force
// detection counted nothing. A request sent and left unanswered (a timeout,
// a reset) may have been evaluated, so it keeps the password spent.
func notEvaluated(ex *httpx.Exchange) bool {
	return ex == nil || ex.Err == nil && ex.Status == http.StatusNotFound
}

// RefreshTokens performs the refresh-token grant.
func (c *Client) RefreshTokens(ctx context.Context, cr Credentials, refresh redact.Secret) (*Tokens, *httpx.Problem) {
	grant, rt := GrantRefreshToken, refresh.Reveal()
	opts := gocloak.TokenOptions{ClientID: &cr.ClientID, GrantType: &grant, RefreshToken: &rt}
	if cr.ClientSecret.IsSet() {
		s := url.QueryEscape(cr.ClientSecret.Reveal())
		opts.ClientSecret = &s
	}
	return c.grant(ctx, opts, ClassifyRefresh)
}

func (c *Client) grant(ctx context.Context, opts gocloak.TokenOptions, classify func(httpx.Exchange) *httpx.Problem) (*Tokens, *httpx.Problem) {
	t, p, _ := c.grantEx(ctx, opts, classify)
	return t, p
}

// grantEx is grant that also returns the exchange it sent, nil when none
// was sent.
func (c *Client) grantEx(ctx context.Context, opts gocloak.TokenOptions, classify func(httpx.Exchange) *httpx.Problem) (*Tokens, *httpx.Problem, *httpx.Exchange) {
	rctx, rec := httpx.Record(ctx)
	// gocloak sends the request; its decoding of the answer is not used: it
	// takes a field of an unexpected type for an error and hands back no
	// token at all. The answer is read from the recorded exchange instead.
	_, gerr := c.gc.GetToken(rctx, c.realm, opts)
	ex, sent := rec.Last()
	if !sent {
		if gerr == nil {
			gerr = errors.New("no request was sent")
		}
		return nil, &httpx.Problem{Code: codes.Unreachable, Message: gerr.Error()}, nil
	}
	if p := classify(ex); p != nil {
		return nil, p, &ex
	}
	ans, err := DecodeTokenAnswer(ex.Body)
	if err != nil { // classify let through only what decodes; this is a bug
		return nil, httpx.UnexpectedBecause(ex, err.Error()), &ex
	}
	t := &Tokens{
		Access: redact.Secret(ans.AccessToken), Refresh: redact.Secret(ans.RefreshToken), ID: redact.Secret(ans.IDToken),
		ExpiresIn: ans.ExpiresIn, RefreshExpiresIn: ans.RefreshExpiresIn, Scope: ans.Scope, TokenType: ans.TokenType,
		Exchange: ex,
	}
	c.secrets.AddSecret(t.Access, t.Refresh, t.ID)
	if d, err := http.ParseTime(ex.Header.Get("Date")); err == nil {
		t.ServerTime = d
	} else {
		// Keycloak 26.7 sends no Date header (measured on 26.7.3): the
		// access token's iat is then the server's clock at issue time.
		t.ServerTime = issuedAt(ans.AccessToken)
	}
	return t, nil, &ex
}

// issuedAt reads a JWT's iat without verifying it (only as a clock
// reading; the roles check verifies the token); zero when there is none.
func issuedAt(token string) time.Time {
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(token, claims); err != nil {
		return time.Time{}
	}
	iat, err := claims.GetIssuedAt()
	if err != nil || iat == nil {
		return time.Time{}
	}
	return iat.Time
}

// Get performs a raw GET (JWKS, discovery) and returns the exchange.
func (c *Client) Get(ctx context.Context, rawURL string) httpx.Exchange { return c.get(ctx, rawURL) }

func (c *Client) get(ctx context.Context, rawURL string) httpx.Exchange {
	rctx, rec := httpx.Record(ctx)
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return httpx.Exchange{Method: http.MethodGet, URL: rawURL, Err: err}
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.t.Client().Do(req)
	if resp != nil {
		_ = resp.Body.Close()
	}
	if ex, ok := rec.Last(); ok {
		return ex
	}
	return httpx.Exchange{Method: http.MethodGet, URL: rawURL, Err: err}
}

type noRedirectPolicy struct{}

func (noRedirectPolicy) Apply(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
