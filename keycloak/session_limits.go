package keycloak

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"github.com/authdoctor/authdoctor/internal/httpx"
)

// SessionLimits are the settings that bound how long a session keeps
// access by refreshing, in seconds (0: not set, Keycloak's "use the SSO
// value"), as the admin API states them: the realm's (RealmRepresentation)
// and the client's attributes, which override the realm's client-session
// values when positive (SessionExpirationUtils in Keycloak).
type SessionLimits struct {
	SSOIdle, SSOMax               int // ssoSessionIdleTimeout, ssoSessionMaxLifespan
	ClientIdle, ClientMax         int // realm clientSessionIdleTimeout, clientSessionMaxLifespan
	OfflineIdle                   int // offlineSessionIdleTimeout
	OfflineMaxEnabled             bool
	OfflineMax                    int  // offlineSessionMaxLifespan, when enabled
	ClientAttrIdle, ClientMaxAttr int  // client attributes client.session.idle.timeout, client.session.max.lifespan
	ClientFound                   bool // the client was found, so its attributes were read
}

// SessionLimits reads the realm's session settings (GET
// /admin/realms/{r}, needs view-realm) and the client's session attributes
// (GET /admin/realms/{r}/clients?clientId=, needs view-clients).
func (a *Admin) SessionLimits(ctx context.Context, clientID string) (*SessionLimits, *AdminError) {
	ex := a.get(ctx, "", nil)
	if ae := classifyAdmin(ex); ae != nil {
		return nil, ae
	}
	var realm struct {
		SSOIdle           *int `json:"ssoSessionIdleTimeout"`
		SSOMax            *int `json:"ssoSessionMaxLifespan"`
		ClientIdle        int  `json:"clientSessionIdleTimeout"`
		ClientMax         int  `json:"clientSessionMaxLifespan"`
		OfflineIdle       int  `json:"offlineSessionIdleTimeout"`
		OfflineMaxEnabled bool `json:"offlineSessionMaxLifespanEnabled"`
		OfflineMax        int  `json:"offlineSessionMaxLifespan"`
	}
	if err := json.Unmarshal(ex.Body, &realm); err != nil {
		return nil, &AdminError{Status: ex.Status, Problem: httpx.UnexpectedBecause(ex, "the realm representation could not be read: "+err.Error())}
	}
	if realm.SSOIdle == nil || realm.SSOMax == nil {
		// An admin without view-realm gets the brief representation
		// (RealmAdminResource.getRealm: realm, bruteForceProtected, ...),
		// 200 without any session setting: read as zeros it would say
		// that nothing bounds the session.
		return nil, &AdminError{Status: ex.Status, Forbidden: true, Problem: adminProblem(ex, "the realm representation has no session settings (the brief answer to an admin without view-realm)")}
	}
	l := &SessionLimits{SSOIdle: *realm.SSOIdle, SSOMax: *realm.SSOMax, ClientIdle: realm.ClientIdle, ClientMax: realm.ClientMax,
		OfflineIdle: realm.OfflineIdle, OfflineMaxEnabled: realm.OfflineMaxEnabled, OfflineMax: realm.OfflineMax}
	ex = a.get(ctx, "/clients", url.Values{"clientId": {clientID}})
	if ae := classifyAdmin(ex); ae != nil {
		if ae.Forbidden {
			// Without query-clients the realm's limits still bound the
			// session; the client's own overrides stay unknown.
			return l, nil
		}
		return nil, ae
	}
	var clients []struct {
		ClientID   string            `json:"clientId"`
		Attributes map[string]string `json:"attributes"`
	}
	if err := json.Unmarshal(ex.Body, &clients); err != nil {
		return nil, &AdminError{Status: ex.Status, Problem: httpx.UnexpectedBecause(ex, "the client list could not be read: "+err.Error())}
	}
	for _, c := range clients {
		if c.ClientID == clientID {
			l.ClientFound = true
			l.ClientAttrIdle = attrSeconds(c.Attributes["client.session.idle.timeout"])
			l.ClientMaxAttr = attrSeconds(c.Attributes["client.session.max.lifespan"])
		}
	}
	return l, nil
}

// attrSeconds reads a client attribute holding seconds; 0 when absent or
// not a number (Keycloak then uses the realm's value).
func attrSeconds(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// MaxSeconds is how long after login a session keeps access by refreshing
// (Keycloak's SessionExpirationUtils.calculateClientSessionMaxLifespanTimestamp:
// the SSO max, capped by the client-session max, the client's attribute
// taking precedence over the realm's): 0 when nothing bounds it. offline:
// the offline session's max when enabled, else none.
func (l *SessionLimits) MaxSeconds(offline bool) int {
	if offline {
		if l.OfflineMaxEnabled {
			return l.OfflineMax
		}
		return 0
	}
	limit := l.SSOMax
	client := l.ClientMax
	if l.ClientMaxAttr > 0 {
		client = l.ClientMaxAttr
	}
	if client > 0 && (limit <= 0 || client < limit) {
		limit = client
	}
	return limit
}

// IdleSeconds is how long the session survives without a refresh: the SSO
// idle, capped by the client-session idle (the client's attribute first).
func (l *SessionLimits) IdleSeconds(offline bool) int {
	if offline {
		return l.OfflineIdle
	}
	limit := l.SSOIdle
	client := l.ClientIdle
	if l.ClientAttrIdle > 0 {
		client = l.ClientAttrIdle
	}
	if client > 0 && (limit <= 0 || client < limit) {
		limit = client
	}
	return limit
}

// MaxSource names the setting that bounds the session and its value, for
// a message, e.g. "SSO Session Max, 10 h = 36000 s".
func (l *SessionLimits) MaxSource(offline bool) string {
	name, v := l.maxName(offline)
	return name + " " + strconv.Itoa(v) + " s"
}

// MaxSetting names where that setting is changed.
func (l *SessionLimits) MaxSetting(offline bool) string {
	name, _ := l.maxName(offline)
	switch name {
	case "the client's Client Session Max":
		return "the client's Client Session Max (attribute client.session.max.lifespan)"
	case "the realm's Client Session Max":
		return "the realm's Client Session Max (clientSessionMaxLifespan)"
	case "Offline Session Max":
		return "Offline Session Max (offlineSessionMaxLifespan)"
	}
	return "SSO Session Max (ssoSessionMaxLifespan)"
}

func (l *SessionLimits) maxName(offline bool) (string, int) {
	switch {
	case offline:
		return "Offline Session Max", l.OfflineMax
	case l.ClientMaxAttr > 0 && l.ClientMaxAttr == l.MaxSeconds(false):
		return "the client's Client Session Max", l.ClientMaxAttr
	case l.ClientMaxAttr <= 0 && l.ClientMax > 0 && l.ClientMax == l.MaxSeconds(false):
		return "the realm's Client Session Max", l.ClientMax
	}
	return "SSO Session Max", l.SSOMax
}
