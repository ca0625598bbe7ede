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
		refined.Message += lockoutText(ctx, admin, username)
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
// user, and how long the lockout can last, when the admin token may read it.
func lockoutText(ctx context.Context, admin *keycloak.Admin, username string) string {
	u, ae := admin.FindUser(ctx, username)
	if ae != nil || u == nil {
		return ""
	}
	st, ae := admin.Lockout(ctx, u.ID)
	if ae != nil || st == nil {
		return ""
	}
	text := fmt.Sprintf("; Keycloak counts %d failures", st.Failures)
	if st.LastFailureMs > 0 {
		text += fmt.Sprintf(", the last at %s", time.UnixMilli(st.LastFailureMs).UTC().Format(time.RFC3339))
		if st.LastIP != "" {
			text += " from " + st.LastIP
		}
	}
	if !st.LockedUntil.IsZero() {
		// failedLoginNotBefore: the server's own clock says when it lifts.
		return text + fmt.Sprintf("; the lockout lifts at %s (server time), unless an administrator clears it first", st.LockedUntil.UTC().Format(time.RFC3339))
	}
	if policy, ae := admin.BruteForce(ctx); ae == nil && policy.Enabled {
		if policy.Permanent {
			text += "; the realm locks permanently: an administrator must enable the user again"
		} else if policy.MaxWaitSec > 0 {
			text += fmt.Sprintf("; the realm's lockout lasts at most %d s after a failure (Max wait)", policy.MaxWaitSec)
		}
	}
	return text
}

// traceRoles tells, for each required role missing from the token, whether
// the user holds it at all (ROLE_NOT_IN_TOKEN: a mapping problem) or not
// (ROLE_NOT_ASSIGNED), from the user's effective role mappings. Without
// admin access, or when they cannot be read, r is returned as it was.
func traceRoles(ctx context.Context, facts *Facts, r Result, missing []string) Result {
	admin, _ := facts.AdminSession(ctx)
	if admin == nil || len(missing) == 0 {
		return r
	}
	cfg := facts.Config
	var (
		user *keycloak.User
		ae   *keycloak.AdminError
		who  string
	)
	if cfg.Grant() == keycloak.GrantPassword {
		user, ae = admin.FindUser(ctx, cfg.Credentials.Username)
		who = "user " + cfg.Credentials.Username
	} else {
		user, ae = admin.ServiceAccountUser(ctx, cfg.Credentials.ClientID)
		who = "the service-account user of " + cfg.Credentials.ClientID
	}
	if ae != nil || user == nil {
		if ae != nil {
			r.Details["role_mappings"] = "not read: " + ae.Problem.Message
		}
		return r
	}
	held := map[string][]string{} // "" for realm roles, else the client id
	var assigned, notAssigned []string
	for _, want := range missing {
		client, role, isClient := strings.Cut(want, ":")
		if !isClient {
			client, role = "", want
		}
		if _, read := held[client]; !read {
			var roles []string
			if client == "" {
				roles, ae = admin.EffectiveRealmRoles(ctx, user.ID)
			} else {
				roles, ae = admin.EffectiveClientRoles(ctx, user.ID, client)
			}
			if ae != nil {
				r.Details["role_mappings"] = "not read: " + ae.Problem.Message
				return r
			}
			held[client] = roles
		}
		if contains(held[client], role) {
			assigned = append(assigned, want)
		} else {
			notAssigned = append(notAssigned, want)
		}
	}
	r.Details["effective_realm_roles"] = held[""]
	var traced Result
	if len(notAssigned) > 0 {
		traced = found(codes.RoleNotAssigned, fmt.Sprintf("%s does not hold %s, neither directly nor through a group, a composite or the default roles", who, strings.Join(notAssigned, ", ")))
	} else {
		traced = found(codes.RoleNotInToken, fmt.Sprintf("%s holds %s, but the token from client %s does not carry it", who, strings.Join(assigned, ", "), cfg.Credentials.ClientID))
	}
	if len(notAssigned) > 0 && len(assigned) > 0 {
		traced.Message += fmt.Sprintf("; %s is held but not in the token either (ROLE_NOT_IN_TOKEN)", strings.Join(assigned, ", "))
	}
	traced.Message += "; " + r.Message
	traced.Details = r.Details
	traced.Details["roles_not_assigned"] = notAssigned
	traced.Details["roles_not_in_token"] = assigned
	return traced
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
