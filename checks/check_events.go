package checks

import (
	"context"
	"fmt"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/keycloak"
	"github.com/authdoctor/authdoctor/report"
)

// checkEvents makes sure the server's own evidence can be read: the admin
// login works, the admin token may read the realm's events, and the realm
// stores the event type the grant under test leaves.
func checkEvents(ctx context.Context, facts *Facts) Result {
	cfg := facts.Config
	admin, p := facts.AdminSession(ctx)
	if p != nil {
		if p.Code == codes.PlainHTTPBlocked {
			return fromProblem(p)
		}
		r := found(codes.AdminLoginFailed, fmt.Sprintf("admin login %s: %s", adminWho(cfg.Admin), p.Message))
		r.Hint = p.Hint
		r.Details = map[string]any{"admin_realm": cfg.Admin.Realm, "admin_client_id": cfg.Admin.ClientID, "login_code": p.Code.ID}
		r.KeepGoing = true
		return r
	}
	conf, ae := admin.EventsConfig(ctx)
	if ae != nil {
		var r Result
		switch {
		case ae.Forbidden:
			r = found(codes.EventsForbidden, fmt.Sprintf("the admin login %s worked, but it may not read realm %s's events: %s; that needs view-events or manage-events of realm-management (view-realm and view-users do not grant it)",
				adminWho(cfg.Admin), cfg.Realm, ae.Problem.Message))
		case ae.Status == 401:
			r = found(codes.AdminLoginFailed, fmt.Sprintf("admin token %s: %s", adminWho(cfg.Admin), ae.Problem.Message))
		default:
			r = fromProblem(ae.Problem)
		}
		r.KeepGoing = true
		return r
	}
	needed := grantEventType(cfg)
	details := map[string]any{"events_enabled": conf.Enabled, "enabled_event_types": conf.EnabledTypes}
	if !conf.Saves(needed) {
		why := "Save events is off for user events"
		if conf.Enabled {
			why = fmt.Sprintf("Save events is on, but %s is not among the saved event types", needed)
		}
		r := found(codes.EventsDisabled, fmt.Sprintf("realm %s does not store %s events (%s): a failed %s grant cannot be traced to its cause", cfg.Realm, needed, why, cfg.Grant()))
		r.Details = details
		return r
	}
	msg := fmt.Sprintf("realm %s stores %s events, readable %s", cfg.Realm, needed, adminWho(cfg.Admin))
	if !conf.Saves(keycloak.EventRefreshTokenError) {
		msg += "; REFRESH_TOKEN_ERROR is not stored (not saved by default), so a failed refresh is explained by Keycloak's answer only"
	}
	return pass(msg, details)
}

// grantEventType is the event type a failure of the grant under test leaves.
func grantEventType(cfg *Config) string {
	if cfg.Grant() == keycloak.GrantPassword {
		return keycloak.EventLoginError
	}
	return keycloak.EventClientLoginError
}

// adminWho names the admin access, never its secret.
func adminWho(a keycloak.AdminCredentials) string {
	switch {
	case a.Token.IsSet():
		return "with the given admin token"
	case a.Username != "":
		return fmt.Sprintf("as %s via %s in realm %s", a.Username, a.ClientID, a.Realm)
	}
	return fmt.Sprintf("as the service account of %s in realm %s", a.ClientID, a.Realm)
}

// ReportEvents turns the server's events into report evidence.
func ReportEvents(events []keycloak.Event) []report.Event {
	out := make([]report.Event, 0, len(events))
	for _, e := range events {
		user := e.Username()
		if user == "" {
			user = e.UserID
		}
		out = append(out, report.Event{Time: e.Time, Type: e.Type, Client: e.ClientID, User: user, IP: e.IPAddress, Error: e.Error, Details: e.Details})
	}
	return out
}
