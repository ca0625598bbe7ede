package checks

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/httpx"
)

// checkRoles verifies the access token against the realm's published keys
// and reads the roles it carries. The JWKS fetch is the only request, so it
// runs side by side with the graphql and refresh checks.
func checkRoles(ctx context.Context, facts *Facts) Result {
	certsURL := jwksURL(facts)
	ex := facts.Keycloak.Get(ctx, certsURL)
	if ex.Err != nil {
		return fromProblem(httpx.ClassifyExchange(ex))
	}
	kf, err := keyfunc.NewJWKSetJSON(ex.Body)
	if err != nil || ex.Status != 200 {
		r := found(codes.UnexpectedAnswer, fmt.Sprintf("the realm's key set %s answered %d and could not be read as a JWKS", certsURL, ex.Status))
		return r
	}

	claims := jwt.MapClaims{}
	now := facts.Now()
	_, err = jwt.ParseWithClaims(facts.Tokens.Access.Reveal(), claims, kf.Keyfunc,
		jwt.WithValidMethods([]string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}),
		jwt.WithTimeFunc(func() time.Time { return now }),
		jwt.WithExpirationRequired())
	details := tokenDetails(claims, facts.Config.HasuraClaims)
	if err != nil {
		r := found(codes.TokenInvalid, describeTokenError(err, claims, now))
		r.Details = details
		if errors.Is(err, jwt.ErrTokenExpired) || errors.Is(err, jwt.ErrTokenNotValidYet) {
			// A fresh token expired here: the clock check tells whether a
			// clock explains it (clock.go).
			r = clockConsequence(r)
		}
		return r
	}
	if typ, _ := claims["typ"].(string); typ != "" && !strings.EqualFold(typ, "Bearer") {
		r := found(codes.TokenInvalid, fmt.Sprintf("the access_token is a %q token, not a Bearer access token", typ))
		r.Details = details
		return r
	}

	roles := rolesOf(claims)
	if !roles.present {
		r := found(codes.RolesNotInToken, "the access token carries no role claims (no realm_access or resource_access): a lightweight access token, or the client lacks the roles client scope")
		r.Details = details
		if len(facts.Config.RequireRoles) > 0 {
			// A requirement the token cannot show is verified another
			// way, or fails (verify_roles.go).
			return verifyRolesElsewhere(ctx, facts, r)
		}
		return r
	}
	if missing := roles.missing(facts.Config.RequireRoles); len(missing) > 0 {
		r := found(codes.MissingRole, fmt.Sprintf("the access token lacks %s; it carries realm roles [%s]%s",
			strings.Join(missing, ", "), strings.Join(roles.realm, ", "), roles.describeClients()))
		r.Details = details
		return traceRoles(ctx, facts, r, roles.missingRaw(facts.Config.RequireRoles))
	}
	msg := fmt.Sprintf("token signed by the realm's key, valid until %s", expiry(claims))
	if len(facts.Config.RequireRoles) > 0 {
		msg += "; carries " + strings.Join(facts.Config.RequireRoles, ", ")
	} else {
		msg += fmt.Sprintf("; realm roles [%s]%s", strings.Join(roles.realm, ", "), roles.describeClients())
	}
	return pass(msg, details)
}

func describeTokenError(err error, claims jwt.MapClaims, now time.Time) string {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return "the access_token is not a well-formed JWT: " + err.Error()
	case errors.Is(err, jwt.ErrTokenExpired):
		exp, _ := claims.GetExpirationTime()
		if exp != nil {
			return fmt.Sprintf("the access token expired at %s, %s before this machine's time", exp.UTC().Format(time.RFC3339), now.Sub(exp.Time).Round(time.Second))
		}
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return "the access token is not valid yet by this machine's clock: " + err.Error()
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return "the access token's signature does not verify with the realm's published key"
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return "the access token cannot be verified with the realm's published keys (unknown key id or algorithm): " + err.Error()
	}
	return "the access token does not validate: " + err.Error()
}

func expiry(claims jwt.MapClaims) string {
	if exp, _ := claims.GetExpirationTime(); exp != nil {
		return exp.UTC().Format(time.RFC3339)
	}
	return "(no exp)"
}

// tokenRoles are the roles an access token carries.
type tokenRoles struct {
	present bool                // any role claim at all
	realm   []string            // realm_access.roles
	clients map[string][]string // resource_access.<client>.roles
}

func rolesOf(claims jwt.MapClaims) tokenRoles {
	r := tokenRoles{clients: map[string][]string{}}
	if ra, ok := claims["realm_access"].(map[string]any); ok {
		r.present = true
		r.realm = stringList(ra["roles"])
	}
	if res, ok := claims["resource_access"].(map[string]any); ok {
		r.present = true
		for client, v := range res {
			if m, ok := v.(map[string]any); ok {
				r.clients[client] = stringList(m["roles"])
			}
		}
	}
	sort.Strings(r.realm)
	return r
}

// missing returns the required roles ("role" or "client:role") not carried.
func (r tokenRoles) missing(required []string) []string {
	var out []string
	for _, want := range required {
		have := r.realm
		client, role, isClient := strings.Cut(want, ":")
		if isClient {
			have = r.clients[client]
		} else {
			role = want
		}
		if !contains(have, role) {
			if isClient {
				out = append(out, fmt.Sprintf("client role %s of %s", role, client))
			} else {
				out = append(out, "realm role "+role)
			}
		}
	}
	return out
}

// missingRaw is missing as the user wrote the roles: "role" or "client:role".
func (r tokenRoles) missingRaw(required []string) []string {
	var out []string
	for _, want := range required {
		if len(r.missing([]string{want})) > 0 {
			out = append(out, want)
		}
	}
	return out
}

func (r tokenRoles) describeClients() string {
	if len(r.clients) == 0 {
		return ""
	}
	names := make([]string, 0, len(r.clients))
	for c := range r.clients {
		names = append(names, c)
	}
	sort.Strings(names)
	var parts []string
	for _, c := range names {
		parts = append(parts, fmt.Sprintf("%s: [%s]", c, strings.Join(r.clients[c], ", ")))
	}
	return " and client roles " + strings.Join(parts, "; ")
}

// hasuraNamespace is Hasura's default claims namespace.
const hasuraNamespace = "https://hasura.io/jwt/claims"

// tokenDetails keeps the claims that matter for a diagnosis, the Hasura
// claims read where Hasura reads them (at); the raw token never leaves.
func tokenDetails(claims jwt.MapClaims, at HasuraClaimsAt) map[string]any {
	d := map[string]any{}
	for _, k := range []string{"iss", "aud", "azp", "typ", "scope", "preferred_username", "sub"} {
		if v, ok := claims[k]; ok {
			d[k] = v
		}
	}
	for _, k := range []string{"exp", "iat"} {
		if v, ok := claims[k].(float64); ok {
			d[k] = time.Unix(int64(v), 0).UTC().Format(time.RFC3339)
		}
	}
	roles := rolesOf(claims)
	if roles.present {
		d["realm_roles"] = roles.realm
		if len(roles.clients) > 0 {
			d["client_roles"] = roles.clients
		}
	}
	if h, ok := at.lookup(claims); ok {
		d["hasura_claims"] = h
	}
	return d
}

func stringList(v any) []string {
	var out []string
	switch t := v.(type) {
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
	case string:
		out = append(out, t)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// decodeClaims reads a JWT's payload without verifying it (for GraphQL
// diagnosis details, after the roles check has verified it).
func decodeClaims(token string) jwt.MapClaims {
	claims := jwt.MapClaims{}
	_, _, _ = jwt.NewParser().ParseUnverified(token, claims)
	return claims
}

// jwksURL is the realm's key set: the jwks_uri of its discovery document
// when that is on the host authdoctor talks to. A discovery document built
// for another host name (Keycloak's --hostname, reported as
// ISSUER_MISMATCH) may name a host this machine cannot reach; the keys are
// the same, so they are then read through the URL in use.
func jwksURL(facts *Facts) string {
	realmURL := facts.Keycloak.RealmURL()
	if r := facts.Realm; r != nil && r.JWKSURI != "" && origin(r.JWKSURI) == origin(realmURL) {
		return r.JWKSURI
	}
	return realmURL + "/protocol/openid-connect/certs"
}
