package checks

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/keycloak"
)

// eventSlack is how far an event's time may lie from the Date of the
// answer it belongs to: the Date has one-second resolution and is written
// after the event, and both are the server's clock, so this machine's
// clock plays no part.
const eventSlack = 5 * time.Second

// noDateWindow is how far back an answer without a Date header is looked
// for: the attempt, then the admin login and the other checks, take
// seconds, not a minute.
const noDateWindow = time.Minute

// provenCode is the code the server's event proves for an attempt whose
// answer was classified as answer: the event's own code (eventCodes), or
// the answer's when the event tells nothing more.
func provenCode(answer *codes.Code, eventError string) *codes.Code {
	if answer == codes.InvalidUserCredentials && eventError == "user_disabled" {
		// "Invalid user credentials" for a user the attempt disabled: the
		// failure that triggered a permanent brute-force lockout.
		return codes.AccountLocked
	}
	if answer == codes.ClientNotFound && eventError == "invalid_client_credentials" {
		// Keycloak 17–19 record an unknown client id as
		// invalid_client_credentials (ClientAuthenticationFlow throws
		// INVALID_CREDENTIALS there); their answer already says which.
		return answer
	}
	if c := eventCodes[eventError]; c != nil {
		return c
	}
	return answer
}

// refineWithEvents reads the server's event of the attempt that p
// classified and, when the event tells more than the answer, reports the
// code it proves, with the event as evidence. Without admin access, or
// when no event can be read, r is returned as it was, with a note saying
// why the events could not help.
func refineWithEvents(ctx context.Context, facts *Facts, r Result, p *httpx.Problem, eventType, username string) Result {
	if _, oauthError := p.Details["error"].(string); !facts.Config.Events || !oauthError {
		// Only Keycloak's OAuth error answers come with an event; a
		// transport failure or an unexpected answer leaves none.
		return r
	}
	admin, ap := facts.AdminSession(ctx)
	if admin == nil {
		if ap != nil {
			r.Details["events"] = "not read: the admin login failed (see the events check)"
		}
		return r
	}
	// When the attempt happened, on the server's clock: the Date of its
	// answer or, since Keycloak 26.7.3 sends no Date (measured), this
	// moment on the server's clock as the admin login measured it, with a
	// window reaching back over the checks run since the attempt.
	at, slack, estimated := p.ServerTime, eventSlack, p.ServerTime.IsZero()
	if estimated {
		at, slack = admin.ServerNow(facts.Now()).Add(-noDateWindow/2), noDateWindow/2+eventSlack
	}
	cfg := facts.Config
	events, ae := admin.Events(ctx, keycloak.EventQuery{Types: []string{eventType}, Client: cfg.Credentials.ClientID, Since: at.Add(-slack - time.Minute), Max: 50})
	if ae != nil {
		r.Details["events"] = "not read: " + ae.Problem.Message
		return r
	}
	matches := keycloak.FindAttempt(events, []string{eventType}, cfg.Credentials.ClientID, username, at, slack)
	if len(matches) == 0 {
		r.Details["events"] = fmt.Sprintf("no %s event of client %s around %s (server time): the realm may not store it (see the events check)", eventType, cfg.Credentials.ClientID, at.UTC().Format(time.RFC3339))
		return r
	}
	r.Events = ReportEvents(matches)
	event := matches[0]
	if len(matches) > 1 {
		r.Details["events"] = fmt.Sprintf("%d events match this attempt (same client, user and time); the newest is taken", len(matches))
		if estimated {
			r.Details["events"] = fmt.Sprintf("%d events of this client and user in the last %s match this attempt (the answer had no Date to tell them apart); the newest is taken", len(matches), noDateWindow)
		}
	}
	to := provenCode(r.Code, event.Error)
	proof := fmt.Sprintf("the server's %s event for this attempt says %s", event.Type, event.Error)
	refined := r
	if to == r.Code {
		refined.Message += "; " + proof
	} else {
		refined = found(to, fmt.Sprintf("%s; %s", r.Message, proof))
		refined.Details, refined.Events = r.Details, r.Events
		refined.Details["answer_code"] = r.Code.ID
	}
	// What the admin API adds to the proven cause, whether the event
	// confirmed the answer's code or refined it.
	switch {
	case to == codes.InvalidUserCredentials && event.Error == "invalid_user_credentials":
		refined.Message += ": a wrong password for the existing user " + username
	case to == codes.AccountLocked:
		text, permanent := lockoutText(ctx, admin, username, cfg.Realm)
		refined.Message += text
		if permanent {
			// Only enabling the user lifts it: that fix leads.
			refined.Details[codes.DetailFixCase] = codes.CasePermanentLockout
		}
	case to == codes.AccountNotSetUp && username != "":
		// The event names no action; the user's required actions do (empty
		// when a missing user-profile attribute is the cause, on 24+).
		if u, _ := admin.FindUser(ctx, username); u != nil {
			if len(u.RequiredActions) > 0 {
				refined.Message += "; pending required actions: " + strings.Join(u.RequiredActions, ", ")
				refined.Details["required_actions"] = u.RequiredActions
			} else {
				refined.Message += "; the user has no pending required actions, so a required user-profile attribute is missing (email, first or last name by default, on Keycloak 24+)"
			}
		}
	}
	return refined
}

// lockoutText says what Keycloak's brute-force record holds about the
// user, and how long the lockout can last, when the admin token may read
// it; permanent when the lockout is (or the realm's is) permanent.
func lockoutText(ctx context.Context, admin *keycloak.Admin, username, realm string) (text string, permanent bool) {
	u, ae := admin.FindUser(ctx, username)
	if ae != nil || u == nil {
		return "", false
	}
	st, ae := admin.Lockout(ctx, u.ID)
	if ae != nil || st == nil {
		return "", false
	}
	text = fmt.Sprintf("; Keycloak counts %d failures", st.Failures)
	if st.LastFailureMs > 0 {
		text += fmt.Sprintf(", the last at %s", time.UnixMilli(st.LastFailureMs).UTC().Format(time.RFC3339))
		if st.LastIP != "" {
			text += " from " + st.LastIP
		}
	}
	if !u.Enabled || st.Permanent {
		// permanentUserLockOut disabled the user: nothing lifts it but an
		// administrator. Enabling the user also clears the lockout
		// (UserResource.updateUser calls
		// BruteForceProtector.cleanUpPermanentLockout); deleting the
		// brute-force record alone leaves the user disabled
		// (AttackDetectionResource.clearBruteForceForUser).
		return text + fmt.Sprintf("; the realm locks permanently and Keycloak has disabled the user (attribute disabledReason=permanentLockout): "+
			"it stays locked until an administrator enables %s again (Users > %s > Enabled on, or kcadm.sh update users/%s -r %s -s enabled=true)", username, username, u.ID, realm), true
	}
	if !st.LockedUntil.IsZero() {
		// failedLoginNotBefore: the server's own clock says when it lifts.
		return text + fmt.Sprintf("; the lockout lifts at %s (server time), unless an administrator clears it first", st.LockedUntil.UTC().Format(time.RFC3339)), false
	}
	if policy, ae := admin.BruteForce(ctx); ae == nil && policy.Enabled {
		if policy.Permanent {
			return text + "; the realm locks permanently: an administrator must enable the user again", true
		} else if policy.MaxWaitSec > 0 {
			text += fmt.Sprintf("; the realm's lockout lasts at most %d s after a failure (Max wait)", policy.MaxWaitSec)
		}
	}
	return text, false
}

// traceRoles tells, for each required role missing from the token, whether
// the user holds it at all (ROLE_NOT_IN_TOKEN: a mapping problem, with the
// client setting that keeps it out named) or not (ROLE_NOT_ASSIGNED), from
// the user's effective role mappings. Without admin access, or when they
// cannot be read, r is returned as it was.
func traceRoles(ctx context.Context, facts *Facts, r Result, missing []string) Result {
	admin, _ := facts.AdminSession(ctx)
	if admin == nil || len(missing) == 0 {
		return r
	}
	h := readHolding(ctx, facts, admin, &r, missing, false)
	if h == nil {
		return r
	}
	cause := notInTokenCause(ctx, facts, admin, h.assigned, nil)
	return h.result(facts, r, cause)
}

// traceHasuraRole is traceRoles for a role the GraphQL server refused: the
// x-hasura-role asked for, or the token's default role. Hasura roles are
// Keycloak roles put into x-hasura-allowed-roles by a claims mapper: a realm
// role, or a client role of the login client (a client-role mapper, as on
// the voting portal), so both are looked for.
func traceHasuraRole(ctx context.Context, facts *Facts, r Result, role string) Result {
	admin, _ := facts.AdminSession(ctx)
	if admin == nil || role == "" {
		return r
	}
	h := readHolding(ctx, facts, admin, &r, []string{role}, true)
	if h == nil {
		return r
	}
	h.allowedFrom = allowedRolesClient(facts)
	allowed := hasuraAllowedRoles(facts)
	cause := notInTokenCause(ctx, facts, admin, h.assigned, allowed)
	traced := h.result(facts, r, cause)
	if traced.Code == codes.RoleNotInToken && mapperLeavesOut(facts, h.assigned, allowed) {
		// The fix is the mapper's, not the client's scope.
		traced.Details[codes.DetailFixCase] = codes.CaseHasuraMapper
	}
	return traced
}

// allowedRolesClient names the client whose client roles the token's
// x-hasura-allowed-roles are (a client-role mapper, as on the voting
// portal): they are exactly that client's roles in resource_access. ""
// when they are not, or cannot be told.
func allowedRolesClient(facts *Facts) string {
	allowed := stringList(hasuraAllowedRoles(facts))
	if len(allowed) == 0 {
		return ""
	}
	same := func(a, b []string) bool {
		if len(a) != len(b) {
			return false
		}
		for _, x := range a {
			if !contains(b, x) {
				return false
			}
		}
		return true
	}
	roles := rolesOf(decodeClaims(facts.Tokens.Access.Reveal()))
	if same(allowed, roles.realm) {
		return ""
	}
	for client, held := range roles.clients {
		if same(allowed, held) {
			return client
		}
	}
	return ""
}

// roleHolding is what the role mappings say of the roles looked for.
type roleHolding struct {
	who                   string
	assigned, notAssigned []string
	realmRoles            []string
	asClientRole          []string // held as client roles of the login client (Hasura lookups)
	// allowedFrom: the client whose client roles make up the token's
	// x-hasura-allowed-roles (Hasura lookups); "" for realm roles.
	allowedFrom string
}

// readHolding reads the effective role mappings of the user under test (or
// the client's service-account user) for roles ("role" or "client:role").
// With alsoLoginClient a plain role is also looked for among the login
// client's own roles. It returns nil, with the reason in r's details, when
// they cannot be read.
func readHolding(ctx context.Context, facts *Facts, admin *keycloak.Admin, r *Result, roles []string, alsoLoginClient bool) *roleHolding {
	cfg := facts.Config
	var (
		user *keycloak.User
		ae   *keycloak.AdminError
		h    = &roleHolding{}
	)
	if cfg.Grant() == keycloak.GrantPassword {
		user, ae = admin.FindUser(ctx, cfg.Credentials.Username)
		h.who = "user " + cfg.Credentials.Username
	} else {
		user, ae = admin.ServiceAccountUser(ctx, cfg.Credentials.ClientID)
		h.who = "the service-account user of " + cfg.Credentials.ClientID
	}
	if r.Details == nil {
		r.Details = map[string]any{}
	}
	if ae != nil || user == nil {
		if ae != nil {
			r.Details["role_mappings"] = "not read: " + ae.Problem.Message
		}
		return nil
	}
	held := map[string][]string{} // "" for realm roles, else the client id
	read := func(client string) bool {
		if _, done := held[client]; done {
			return true
		}
		var got []string
		if client == "" {
			got, ae = admin.EffectiveRealmRoles(ctx, user.ID)
		} else {
			got, ae = admin.EffectiveClientRoles(ctx, user.ID, client)
		}
		if ae != nil {
			return false
		}
		held[client] = got
		return true
	}
	for _, want := range roles {
		client, role, isClient := strings.Cut(want, ":")
		if !isClient {
			client, role = "", want
		}
		if !read(client) {
			r.Details["role_mappings"] = "not read: " + ae.Problem.Message
			return nil
		}
		switch {
		case contains(held[client], role):
			h.assigned = append(h.assigned, want)
		case !isClient && alsoLoginClient && read(cfg.Credentials.ClientID) && contains(held[cfg.Credentials.ClientID], role):
			// Without view-clients the login client's roles cannot be
			// read; the realm roles alone then decide.
			h.assigned = append(h.assigned, want)
			h.asClientRole = append(h.asClientRole, want)
		default:
			h.notAssigned = append(h.notAssigned, want)
		}
	}
	h.realmRoles = held[""]
	return h
}

// result is r refined by the holding: ROLE_NOT_ASSIGNED when a role is held
// nowhere, else ROLE_NOT_IN_TOKEN with the cause.
func (h *roleHolding) result(facts *Facts, r Result, cause string) Result {
	cfg := facts.Config
	var traced Result
	if len(h.notAssigned) > 0 {
		what := describeRoles(h.notAssigned)
		if h.allowedFrom != "" {
			// The client's allowed-roles mapper lists that client's roles.
			what = fmt.Sprintf("client role %s of client %s, whose client roles this client's x-hasura-allowed-roles mapper lists", strings.Join(h.notAssigned, ", "), h.allowedFrom)
		}
		traced = found(codes.RoleNotAssigned, fmt.Sprintf("%s does not hold %s, neither directly nor through a group, a composite or the default roles: assign it (%s)",
			h.who, strings.Join(h.notAssigned, ", "), what))
	} else {
		traced = found(codes.RoleNotInToken, fmt.Sprintf("%s holds %s, but the token from client %s does not carry it: %s", h.who, strings.Join(h.assigned, ", "), cfg.Credentials.ClientID, cause))
	}
	if len(h.notAssigned) > 0 && len(h.assigned) > 0 {
		traced.Message += fmt.Sprintf("; %s is held but not in the token either (ROLE_NOT_IN_TOKEN: %s)", strings.Join(h.assigned, ", "), cause)
	}
	traced.Message += "; " + r.Message
	traced.Details = r.Details
	if h.realmRoles != nil {
		traced.Details["effective_realm_roles"] = h.realmRoles
	}
	traced.Details["roles_not_assigned"] = h.notAssigned
	traced.Details["roles_not_in_token"] = h.assigned
	if len(h.asClientRole) > 0 {
		traced.Details["held_as_client_role_of"] = cfg.Credentials.ClientID
	}
	if len(h.assigned) > 0 {
		traced.Details["not_in_token_because"] = cause
	}
	return traced
}

// describeRoles names each role as Keycloak's admin console does: a realm
// role, or a client role of its client.
func describeRoles(roles []string) string {
	var out []string
	for _, want := range roles {
		if client, role, ok := strings.Cut(want, ":"); ok {
			out = append(out, fmt.Sprintf("client role %s of client %s", role, client))
		} else {
			out = append(out, "realm role "+want)
		}
	}
	return strings.Join(out, ", ")
}

// notInTokenCause names the setting that keeps roles the user holds out of
// the token: the Hasura claims mapper (when the token carries the role but
// x-hasura-allowed-roles does not: allowed is that claim, nil outside the
// GraphQL check), a lightweight access token, Full scope allowed off, or the
// roles client scope missing, read from the token and, when the admin token
// may read clients, from the client's settings.
func notInTokenCause(ctx context.Context, facts *Facts, admin *keycloak.Admin, held []string, allowed any) string {
	clientID := facts.Config.Credentials.ClientID
	claims := decodeClaims(facts.Tokens.Access.Reveal())
	roles := rolesOf(claims)
	if mapperLeavesOut(facts, held, allowed) {
		return fmt.Sprintf("the token carries %s in its role claims, but the Hasura claims mapper of client %s does not put it into x-hasura-allowed-roles (%v): "+
			"it maps other roles (a client-role mapper where a realm-role mapper is needed, or the other way round, or a hard-coded list); "+
			"fix the mapper (Clients > %s > Client scopes > %s-dedicated > Mappers)", strings.Join(held, ", "), clientID, allowed, clientID, clientID)
	}
	settings, _ := admin.ClientSettings(ctx, clientID)
	switch {
	case settings != nil && !roles.present && settings.Lightweight:
		return fmt.Sprintf("client %s issues lightweight access tokens, which carry no role claims; switch off Clients > %s > Advanced > Always use lightweight access token "+
			"(attribute client.use.lightweight.access.token.enabled)", clientID, clientID)
	case settings != nil && !settings.FullScopeAllowed:
		return fmt.Sprintf("client %s has Full scope allowed off and no scope mapping for %s; turn it on or add the scope mapping (Clients > %s > Client scopes > %s-dedicated > Scope)",
			clientID, strings.Join(held, ", "), clientID, clientID)
	case settings != nil && !roles.present:
		return fmt.Sprintf("the token has no realm_access or resource_access although client %s has full scope and no lightweight tokens: the roles client scope is not among its default client scopes "+
			"(Clients > %s > Client scopes, add roles as Default)", clientID, clientID)
	case settings != nil:
		return fmt.Sprintf("the scope of client %s does not let it through; check Clients > %s > Client scopes > Evaluate for this user", clientID, clientID)
	case !roles.present && claims["sub"] == nil:
		// A lightweight access token keeps only azp, exp, iat, iss, jti,
		// scope, sid and typ (measured on 26.7.1): no sub either.
		return fmt.Sprintf("the token has neither role claims nor sub, so client %s issues lightweight access tokens; switch off Clients > %s > Advanced > Always use lightweight access token "+
			"(attribute client.use.lightweight.access.token.enabled)", clientID, clientID)
	case !roles.present:
		return fmt.Sprintf("the token has no role claims at all: client %s has Full scope allowed off or lacks the roles client scope "+
			"(the admin token may not read the client's settings, view-clients, to tell which)", clientID)
	}
	return fmt.Sprintf("client %s has Full scope allowed off without a scope mapping for it, most likely (the admin token may not read the client's settings, view-clients, to confirm)", clientID)
}

// mapperLeavesOut reports whether the token carries the held roles in its
// role claims while x-hasura-allowed-roles (allowed; nil outside the
// GraphQL check) does not: the Hasura claims mapper keeps them out.
func mapperLeavesOut(facts *Facts, held []string, allowed any) bool {
	roles := rolesOf(decodeClaims(facts.Tokens.Access.Reveal()))
	return allowed != nil && len(held) > 0 && roles.present && len(roles.missing(held)) == 0
}

// eventCodes name, for the event errors that mean one thing whatever the
// answer was, the code whose documentation explains them
// (org.keycloak.events.Errors).
var eventCodes = map[string]*codes.Code{
	"invalid_user_credentials":   codes.InvalidUserCredentials,
	"user_not_found":             codes.UserNotFound,
	"user_temporarily_disabled":  codes.AccountLocked,
	"user_disabled":              codes.AccountDisabled,
	"resolve_required_actions":   codes.AccountNotSetUp,
	"client_not_found":           codes.ClientNotFound,
	"invalid_client_credentials": codes.InvalidClientCredentials,
	"client_disabled":            codes.ClientDisabled,
	"consent_denied":             codes.ConsentRequired,
	"invalid_token":              codes.RefreshRejected,
}

// EventCode is the code that explains an event's error, nil when none does.
func EventCode(eventError string) *codes.Code { return eventCodes[eventError] }

// claimsShowRoleRefusal reports whether the claims check finds, from the
// token alone, the role refusal Hasura answered (its first finding is
// HASURA_ROLE_NOT_ALLOWED), so that it reports the traced cause.
func claimsShowRoleRefusal(facts *Facts) bool {
	findings := readHasuraClaims(decodeClaims(facts.Tokens.Access.Reveal()), facts.Config.HasuraClaims).findings(facts.Config)
	return len(findings) > 0 && findings[0].code == codes.HasuraRoleNotAllowed
}
