package checks

import (
	"context"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/keycloak"
)

func checkRefresh(ctx context.Context, facts *Facts) Result {
	t := facts.Tokens
	if !t.Refresh.IsSet() {
		if facts.Config.Grant() == keycloak.GrantClientCredentials {
			return skip("the client-credentials grant gets no refresh token from Keycloak by default (client attribute client_credentials.use_refresh_token is off): a service account simply requests a new token")
		}
		return found(codes.NoRefreshToken, "Keycloak granted the password grant without a refresh token")
	}
	fresh, p := facts.Keycloak.RefreshTokens(ctx, facts.Config.Credentials, t.Refresh)
	if p != nil {
		r := fromProblem(p)
		r = refineWithEvents(ctx, facts, r, p, keycloak.EventRefreshTokenError, "")
		return r
	}
	return pass("refresh-token grant issued a new access token "+validFor(fresh.ExpiresIn),
		map[string]any{"expires_in": lifetimeDetail(fresh.ExpiresIn), "refresh_expires_in": lifetimeDetail(fresh.RefreshExpiresIn), "new_refresh_token": fresh.Refresh.IsSet()})
}
