package checks

import (
	"context"
	"fmt"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/keycloak"
)

func checkRefresh(ctx context.Context, facts *Facts) Result {
	t := facts.Tokens
	if !t.Refresh.IsSet() {
		if facts.Config.Grant() == keycloak.GrantClientCredentials {
			return judgeJob(ctx, facts, skip("the client-credentials grant gets no refresh token from Keycloak by default (client attribute client_credentials.use_refresh_token is off): a service account simply requests a new token"))
		}
		return judgeJob(ctx, facts, found(codes.NoRefreshToken, "Keycloak granted the password grant without a refresh token"))
	}
	fresh, p := facts.Keycloak.RefreshTokens(ctx, facts.Config.Credentials, t.Refresh)
	if p != nil {
		r := fromProblem(p)
		r = refineWithEvents(ctx, facts, r, p, keycloak.EventRefreshTokenError, "")
		return r
	}
	details := map[string]any{"expires_in": lifetimeDetail(fresh.ExpiresIn), "refresh_expires_in": lifetimeDetail(fresh.RefreshExpiresIn), "new_refresh_token": fresh.Refresh.IsSet()}
	if fresh.ExpiresIn.AccessInvalid() || fresh.RefreshExpiresIn.RefreshInvalid() {
		r := withLifetimeFinding(pass("", details), fresh, "the refresh-token grant")
		return r
	}
	msg := "refresh-token grant issued a new access token " + validFor(fresh.ExpiresIn)
	if fresh.Refresh.IsSet() {
		msg += fmt.Sprintf(" and a new refresh token %s", refreshValidFor(fresh.RefreshExpiresIn))
	}
	return judgeJob(ctx, facts, pass(msg, details))
}
