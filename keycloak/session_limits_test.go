package keycloak

import "testing"

// The session's bounds follow Keycloak's SessionExpirationUtils: the SSO
// value, capped by the client-session value, the client's attribute taking
// precedence over the realm's; 0 is "not set".
func TestSessionLimits(t *testing.T) {
	tests := []struct {
		name           string
		l              SessionLimits
		offline        bool
		maxS, idleS    int
		source, change string
	}{
		{"defaults", SessionLimits{SSOIdle: 1800, SSOMax: 36000}, false, 36000, 1800, "SSO Session Max 36000 s", "SSO Session Max (ssoSessionMaxLifespan)"},
		{"realm client max", SessionLimits{SSOIdle: 1800, SSOMax: 36000, ClientMax: 7200, ClientIdle: 600}, false, 7200, 600, "the realm's Client Session Max 7200 s", "the realm's Client Session Max (clientSessionMaxLifespan)"},
		{"client attribute first", SessionLimits{SSOIdle: 1800, SSOMax: 36000, ClientMax: 7200, ClientMaxAttr: 3600, ClientAttrIdle: 900}, false, 3600, 900, "the client's Client Session Max 3600 s", "the client's Client Session Max (attribute client.session.max.lifespan)"},
		{"client max above SSO max", SessionLimits{SSOIdle: 1800, SSOMax: 3600, ClientMaxAttr: 7200}, false, 3600, 1800, "SSO Session Max 3600 s", "SSO Session Max (ssoSessionMaxLifespan)"},
		{"offline without max", SessionLimits{OfflineIdle: 2592000}, true, 0, 2592000, "Offline Session Max 0 s", "Offline Session Max (offlineSessionMaxLifespan)"},
		{"offline with max", SessionLimits{OfflineIdle: 2592000, OfflineMaxEnabled: true, OfflineMax: 86400}, true, 86400, 2592000, "Offline Session Max 86400 s", "Offline Session Max (offlineSessionMaxLifespan)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.l.MaxSeconds(tt.offline); got != tt.maxS {
				t.Errorf("max %d, want %d", got, tt.maxS)
			}
			if got := tt.l.IdleSeconds(tt.offline); got != tt.idleS {
				t.Errorf("idle %d, want %d", got, tt.idleS)
			}
			if got := tt.l.MaxSource(tt.offline); got != tt.source {
				t.Errorf("source %q, want %q", got, tt.source)
			}
			if got := tt.l.MaxSetting(tt.offline); got != tt.change {
				t.Errorf("setting %q, want %q", got, tt.change)
			}
		})
	}
}
