package keycloak

import (
	"context"
	"reflect"
	"testing"
)

// ClientSettings over the admin API (GET /admin/realms/{r}/clients?clientId=):
// the settings that decide which roles a token carries, read from the
// client named exactly; nil when it is not listed or the answer lacks
// fullScopeAllowed (query-clients alone lists only id and clientId).
func TestClientSettingsFromAdminAPI(t *testing.T) {
	tests := []struct {
		name    string
		clients answer
		want    *ClientSettings
		wantErr int // the AdminError's status, 0: none
	}{
		{"full scope, ordinary tokens", answer{200, `[` + client26("svc", `"pkce.code.challenge.method":"S256"`) + `]`}, &ClientSettings{FullScopeAllowed: true}, 0},
		{"lightweight tokens", answer{200, `[` + client26("svc", `"client.use.lightweight.access.token.enabled":"true"`) + `]`}, &ClientSettings{FullScopeAllowed: true, Lightweight: true}, 0},
		{"lightweight off", answer{200, `[` + client26("svc", `"client.use.lightweight.access.token.enabled":"false"`) + `]`}, &ClientSettings{FullScopeAllowed: true}, 0},
		{"full scope off, no attributes", answer{200, `[{"id":"c-svc","clientId":"svc","fullScopeAllowed":false}]`}, &ClientSettings{}, 0},
		{"query-clients only: id and clientId", answer{200, `[{"id":"c-svc","clientId":"svc"}]`}, nil, 0},
		{"other clients only", answer{200, `[` + client26("svc-other", "") + `,` + client26("SVC", "") + `]`}, nil, 0},
		{"the client after others", answer{200, `[null,{"id":"c-x","clientId":"svc-other","fullScopeAllowed":false},` + client26("svc", `"client.use.lightweight.access.token.enabled":"true"`) + `]`}, &ClientSettings{FullScopeAllowed: true, Lightweight: true}, 0},
		{"not found", answer{200, `[]`}, nil, 0},
		{"forbidden", answer{403, `{"error":"HTTP 403 Forbidden"}`}, nil, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			admin, seen := fakeAdminAPI(t, map[string]answer{adminBase + "/clients": tt.clients})
			got, ae := admin.ClientSettings(context.Background(), "svc")
			if len(*seen) != 1 || (*seen)[0] != adminBase+"/clients?clientId=svc" {
				t.Errorf("requests %q", *seen)
			}
			if tt.wantErr != 0 {
				if got != nil || ae == nil || ae.Status != tt.wantErr {
					t.Fatalf("got %+v, %+v; want status %d", got, ae, tt.wantErr)
				}
				return
			}
			if ae != nil {
				t.Fatalf("error %+v", ae.Problem)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
