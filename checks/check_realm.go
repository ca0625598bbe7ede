package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/checks/codes"
)

func checkRealm(ctx context.Context, facts *Facts) Result {
	info, p := facts.Keycloak.Realm(ctx)
	if p != nil {
		r := fromProblem(p)
		if p.Code != codes.RealmNotFound {
			return r
		}
		if facts.Config.RealmFromTenant {
			r.Hint = strings.TrimSpace(fmt.Sprintf("The realm name %q was derived from TENANT_ID; check the tenant id (realm names are case-sensitive). %s", facts.Config.Realm, p.Hint))
		}
		return nameMissingRealm(ctx, facts, r)
	}
	facts.Realm = info
	details := map[string]any{"realm": info.Realm, "issuer": info.Issuer, "token_endpoint": info.TokenEndpoint, "grant_types_supported": info.GrantTypes}
	if want := facts.Keycloak.RealmURL(); info.Issuer != want {
		r := found(codes.IssuerMismatch, fmt.Sprintf("realm %s exists, but its discovery document names the issuer %s while you reach it at %s: tokens will carry iss=%s", info.Realm, info.Issuer, want, info.Issuer))
		r.Hint = fmt.Sprintf("An API that checks the issuer against %s (Hasura with \"issuer\" set) will reject these tokens with JWTNotInIssuer.", want)
		r.Details = details
		return r
	}
	return pass(fmt.Sprintf("realm %s exists; issuer %s", info.Realm, info.Issuer), details)
}
