package keycloak

import (
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// issuedAt is the server's clock when an answer has no Date (Keycloak
// 26.7): the token's iat, or zero when the token has none or is no JWT.
// Mutation testing found its error checks unpinned.
func TestIssuedAt(t *testing.T) {
	sign := func(claims jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte("issued-at-test-key"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	iat := time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, token string
		want        time.Time
	}{
		{"iat", sign(jwt.MapClaims{"iat": iat.Unix(), "sub": "u"}), iat},
		{"no iat", sign(jwt.MapClaims{"sub": "u"}), time.Time{}},
		{"iat not a number", sign(jwt.MapClaims{"iat": "yesterday"}), time.Time{}},
		{"not a JWT", "opaque-token", time.Time{}},
		{"empty", "", time.Time{}},
	} {
		if got := issuedAt(tc.token); !got.Equal(tc.want) {
			t.Errorf("%s: issuedAt = %v, want %v", tc.name, got, tc.want)
		}
	}
}
