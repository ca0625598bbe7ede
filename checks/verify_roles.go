package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/keycloak"
)

// verifyRolesElsewhere checks --require-role for a token that carries no
// role claims (r is its ROLES_NOT_IN_TOKEN warning). An unverified
// requirement must not pass a CI run, so the roles are read another way:
//
//  1. token introspection as the client itself (a confidential client:
//     Keycloak refuses public clients), which for a lightweight access
//     token shows the role claims the token leaves out. Present: the
//     warning stays (the server grants the roles; the JWT just does not
//     carry them). Absent: MISSING_ROLE, traced with admin access.
//  2. the user's role mappings with admin access (traceRoles):
//     ROLE_NOT_ASSIGNED or ROLE_NOT_IN_TOKEN naming the setting, or the
//     warning when the client's settings show a lightweight token with
//     full scope, which carries every role the user holds.
//  3. neither: ROLES_UNVERIFIABLE, saying why each way was closed.
func verifyRolesElsewhere(ctx context.Context, facts *Facts, r Result) Result {
	cfg := facts.Config
	required := cfg.RequireRoles
	client := cfg.Credentials.ClientID
	var closed []string // why each way was not possible

	switch {
	case !cfg.Credentials.ClientSecret.IsSet():
		closed = append(closed, fmt.Sprintf("token introspection: client %s has no secret here, and Keycloak lets only confidential clients introspect", client))
	default:
		in, p := facts.Keycloak.Introspect(ctx, cfg.Credentials, facts.Tokens.Access)
		switch {
		case p != nil:
			closed = append(closed, "token introspection as client "+client+": "+p.Message)
		case !in.Active:
			// From 26.6.2 (keycloak#49113) Keycloak introspects a token
			// only for a client its aud names.
			closed = append(closed, "token introspection as client "+client+` answered {"active":false}: since Keycloak 26.6.2 a client may introspect only tokens whose aud names it `+
				"(give client "+client+" an audience mapper for itself, with Add to lightweight access token on), unless the token is no longer valid")
		case !rolesOf(in.Claims).present:
			closed = append(closed, "token introspection as client "+client+" shows no role claims either (the roles client scope is missing, or its mappers have Add to token introspection off)")
		default:
			roles := rolesOf(in.Claims)
			r.Details["verified_by"] = "introspection"
			r.Details["introspected_realm_roles"] = roles.realm
			if missing := roles.missingRaw(required); len(missing) > 0 {
				m := found(codes.MissingRole, fmt.Sprintf("token introspection as client %s shows the token lacks %s; it grants realm roles [%s]%s (the token itself carries no role claims)",
					client, strings.Join(roles.missing(required), ", "), strings.Join(roles.realm, ", "), roles.describeClients()))
				m.Details = r.Details
				return traceRoles(ctx, facts, m, missing)
			}
			r.Message += fmt.Sprintf("; token introspection as client %s shows the server grants %s, so the requirement is met for APIs that introspect, "+
				"but an API that reads roles from the token itself (Hasura) sees none", client, strings.Join(required, ", "))
			return r
		}
	}

	admin, ap := facts.AdminSession(ctx)
	switch {
	case admin == nil && ap == nil:
		closed = append(closed, "role mappings: no admin access given (--admin-username and --admin-password, --admin-client-secret or --admin-token)")
	case admin == nil:
		closed = append(closed, "role mappings: the admin login failed ("+ap.Message+")")
	default:
		traced := traceRoles(ctx, facts, r, required)
		if traced.Code == codes.RoleNotInToken && grantsAllHeldRoles(ctx, admin, client) {
			r.Details = traced.Details
			r.Details["verified_by"] = "role mappings"
			r.Message += fmt.Sprintf("; the admin API shows the user holds %s, and client %s issues lightweight access tokens with full scope, which leave out role claims only", strings.Join(required, ", "), client)
			return r
		}
		if traced.Code != codes.RolesNotInToken {
			return traced
		}
		why, _ := traced.Details["role_mappings"].(string)
		closed = append(closed, "role mappings: "+orText(why, "not read"))
	}
	u := found(codes.RolesUnverifiable, fmt.Sprintf("the required roles %s cannot be verified: the access token carries no role claims (a lightweight access token, or the client lacks the roles client scope), and no other way worked: %s",
		strings.Join(required, ", "), strings.Join(closed, "; ")))
	u.Details = r.Details
	u.Details["not_verified_because"] = closed
	return u
}

// grantsAllHeldRoles reports whether the client's tokens would carry every
// role the user holds but for being lightweight: full scope allowed and
// lightweight access tokens on, read from the client's settings (nil
// without view-clients: then nothing is assumed).
func grantsAllHeldRoles(ctx context.Context, admin *keycloak.Admin, clientID string) bool {
	s, _ := admin.ClientSettings(ctx, clientID)
	return s != nil && s.Lightweight && s.FullScopeAllowed
}

func orText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
