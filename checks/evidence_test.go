package checks

import (
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/keycloak"
)

// The same answer, three causes: only the event tells them apart.
func TestProvenCode(t *testing.T) {
	tests := []struct {
		answer *codes.Code
		event  string
		want   *codes.Code
	}{
		{codes.InvalidUserCredentials, "invalid_user_credentials", codes.InvalidUserCredentials},
		{codes.InvalidUserCredentials, "user_not_found", codes.UserNotFound},
		{codes.InvalidUserCredentials, "user_temporarily_disabled", codes.AccountLocked},
		{codes.InvalidUserCredentials, "user_disabled", codes.AccountLocked},
		{codes.AccountDisabled, "user_disabled", codes.AccountDisabled},
		{codes.ClientNotFound, "client_disabled", codes.ClientDisabled},
		{codes.ClientNotFound, "client_not_found", codes.ClientNotFound},
		{codes.ClientNotFound, "invalid_client_credentials", codes.ClientNotFound}, // 17–19 record an unknown client so
		{codes.InvalidClientCredentials, "invalid_client_credentials", codes.InvalidClientCredentials},
		{codes.AccountNotSetUp, "resolve_required_actions", codes.AccountNotSetUp},
		{codes.DirectGrantsOff, "not_allowed", codes.DirectGrantsOff},
		{codes.ServiceAccountOff, "invalid_client", codes.ServiceAccountOff},
		{codes.InvalidScope, "invalid_request", codes.InvalidScope},
		{codes.InvalidUserCredentials, "some_future_error", codes.InvalidUserCredentials},
	}
	for _, tt := range tests {
		if got := provenCode(tt.answer, tt.event); got != tt.want {
			t.Errorf("%s + event %s: got %s, want %s", tt.answer, tt.event, got, tt.want)
		}
	}
}

func TestEventCodeExplainsKnownErrorsOnly(t *testing.T) {
	if c := EventCode("user_not_found"); c != codes.UserNotFound {
		t.Errorf("user_not_found: %v", c)
	}
	if c := EventCode("not_allowed"); c != nil {
		t.Errorf("not_allowed means several things (direct grants off, offline access): got %v", c)
	}
}

// Which client's roles make up x-hasura-allowed-roles: a realm-role mapper
// (admin-portal) or a client-role mapper (voting-portal).
func TestAllowedRolesClient(t *testing.T) {
	claims := func(allowed []any) jwt.MapClaims {
		return jwt.MapClaims{
			"realm_access":    map[string]any{"roles": []any{"admin-user", "tenant-read"}},
			"resource_access": map[string]any{"voting-portal": map[string]any{"roles": []any{"user"}}, "account": map[string]any{"roles": []any{"view-profile"}}},
			hasuraNamespace:   map[string]any{"x-hasura-allowed-roles": allowed, "x-hasura-default-role": "user"},
		}
	}
	for _, tt := range []struct {
		allowed []any
		want    string
	}{
		{[]any{"tenant-read", "admin-user"}, ""},
		{[]any{"user"}, "voting-portal"},
		{[]any{"service-account"}, ""}, // a hard-coded list
		{nil, ""},
	} {
		cfg := Config{}
		facts := &Facts{Config: &cfg, Tokens: &keycloak.Tokens{Access: unsignedToken(t, claims(tt.allowed))}}
		if got := allowedRolesClient(facts); got != tt.want {
			t.Errorf("%v: %q, want %q", tt.allowed, got, tt.want)
		}
	}
}
