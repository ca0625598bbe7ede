package checks

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/fuzzseed"
	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/keycloak"
	"github.com/authdoctor/authdoctor/report"
)

// fuzzSignature is the token's signature: the part of a token that nothing
// else shares, so it must never reach a detail or a report.
const fuzzSignature = "c2lnbmF0dXJlLW9mLWEtZnV6emVkLXRva2Vu"

// The JWT claim reader (decodeClaims and what reads its claims: roles,
// details, Hasura claims, expiry) never panics on claims of any type, never
// puts the token in the evidence, and what it yields renders safely in
// every format.
func FuzzClaims(f *testing.F) {
	answers, err := fuzzseed.Answers()
	if err != nil {
		f.Fatal(err)
	}
	for _, a := range answers {
		f.Add(a.Body, "admin-user")
	}
	f.Add([]byte(`{"exp":1893456000,"iat":1700000000,"iss":"https://sso.example.com/realms/r","aud":["account"],"typ":"Bearer","azp":"admin-portal",`+
		`"realm_access":{"roles":["admin-user","offline_access"]},"resource_access":{"account":{"roles":["view-profile"]}},`+
		`"https://hasura.io/jwt/claims":{"x-hasura-default-role":"user","x-hasura-allowed-roles":["user","admin"]}}`), "account:view-profile")
	f.Add([]byte(`{"exp":"soon","realm_access":{"roles":[1,null,{"a":"b"}]},"resource_access":{"c":5,"d":{"roles":"solo"}},"https://hasura.io/jwt/claims":["x"],"iat":1e300}`), "c:")
	f.Add([]byte(`{"exp":-1e308,"iat":"\u001b[2J","preferred_username":"\u009b31m"}`), ":")
	f.Fuzz(func(t *testing.T, payload []byte, required string) {
		token := "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9." + base64.RawURLEncoding.EncodeToString(payload) + "." + fuzzSignature
		claims := decodeClaims(token)
		details := tokenDetails(claims, HasuraClaimsAt{})
		roles := rolesOf(claims)
		_ = roles.missing(strings.Split(required, ","))
		_ = roles.describeClients()
		_ = expiry(claims)
		now := time.Unix(1_700_000_000, 0)
		for _, e := range []error{jwt.ErrTokenMalformed, jwt.ErrTokenExpired, jwt.ErrTokenNotValidYet, jwt.ErrTokenSignatureInvalid, jwt.ErrTokenUnverifiable, errors.New("other")} {
			_ = describeTokenError(e, claims, now)
		}
		facts := &Facts{Config: &Config{}, Tokens: &keycloak.Tokens{Access: redact.Secret(token)}}
		_ = hasuraRole(facts)
		_ = hasuraAllowedRoles(facts)
		r := found(codes.GraphQLRejected, "Could not verify JWT: JWTNotInIssuer JWTNotInAudience")
		r.Details = map[string]any{}
		explainRejectedClaims(&r, claims)

		evidence, _ := json.Marshal(details)
		if bytes.Contains(evidence, []byte(fuzzSignature)) || strings.Contains(r.Message, fuzzSignature) {
			t.Fatalf("the token reaches the evidence: %s", evidence)
		}
		// The evidence renders in every format, safely.
		for k, v := range r.Details {
			details[k] = v
		}
		rep := report.Report{Checks: []report.CheckResult{{ID: "roles", Status: report.Fail, Code: "TOKEN_INVALID", Message: r.Message, Details: details}}}
		rep.Summary = report.Count(rep.Checks)
		for _, format := range report.Formats() {
			var out bytes.Buffer
			if err := report.Render(&out, format, rep, report.Options{}); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			if i := controlAt(out.String()); i >= 0 {
				t.Fatalf("%s: a control character at %d: %q", format, i, out.String()[max(0, i-20):min(out.Len(), i+20)])
			}
		}
	})
}

// controlAt is the offset of the first control character other than a
// line end or a tab, or of a byte that is not UTF-8; -1 when none.
func controlAt(s string) int {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || (unicode.IsControl(r) && r != '\n' && r != '\t') {
			return i
		}
		i += size
	}
	return -1
}
