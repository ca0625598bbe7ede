package keycloak

import (
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/httpx"
)

const goodAnswer = `{"access_token":"a.b.c","expires_in":300,"refresh_expires_in":1800,"refresh_token":"r.s.t","token_type":"Bearer","not-before-policy":0,"session_state":"x","scope":"openid profile"}`

func TestDecodeTokenAnswer(t *testing.T) {
	got, err := DecodeTokenAnswer([]byte(goodAnswer))
	if err != nil || got.AccessToken != "a.b.c" || got.RefreshToken != "r.s.t" || got.ExpiresIn != (Lifetime{300, true}) ||
		got.RefreshExpiresIn != (Lifetime{1800, true}) || got.TokenType != "Bearer" || got.Scope != "openid profile" {
		t.Fatalf("got %+v, %v", got, err)
	}
	// Optional fields may be absent or null; refresh_expires_in may be 0.
	got, err = DecodeTokenAnswer([]byte(`{"access_token":"a.b.c","expires_in":null,"refresh_expires_in":0,"scope":null}`))
	if err != nil || got.ExpiresIn.Stated || got.RefreshExpiresIn != (Lifetime{0, true}) || got.ExpiresIn.String() != "not stated" {
		t.Fatalf("got %+v, %v", got, err)
	}
}

// A zero or negative lifetime is passed on as stated, for the checks to
// report as TOKEN_LIFETIME_INVALID (Keycloak sends one for a client whose
// access.token.lifespan is 0 or negative).
func TestDecodeTokenAnswerKeepsInvalidLifetimes(t *testing.T) {
	for _, tt := range []struct {
		body                  string
		access, refresh       Lifetime
		accessBad, refreshBad bool
	}{
		{`{"access_token":"a","expires_in":-1}`, Lifetime{-1, true}, Lifetime{}, true, false},
		{`{"access_token":"a","expires_in":0,"refresh_expires_in":0}`, Lifetime{0, true}, Lifetime{0, true}, true, false},
		{`{"access_token":"a","expires_in":30,"refresh_expires_in":-5}`, Lifetime{30, true}, Lifetime{-5, true}, false, true},
		{`{"access_token":"a"}`, Lifetime{}, Lifetime{}, false, false},
	} {
		got, err := DecodeTokenAnswer([]byte(tt.body))
		if err != nil || got.ExpiresIn != tt.access || got.RefreshExpiresIn != tt.refresh ||
			got.ExpiresIn.AccessInvalid() != tt.accessBad || got.RefreshExpiresIn.RefreshInvalid() != tt.refreshBad {
			t.Errorf("%s: got %+v, %v", tt.body, got, err)
		}
	}
}

// Fields of the wrong type are errors that name the field, never zero
// values passed on.
func TestDecodeTokenAnswerRefusesWrongTypes(t *testing.T) {
	tests := []struct{ name, body, field, reason string }{
		{"expires_in string", `{"access_token":"a","expires_in":"300"}`, "expires_in", `is a string ("300"), not a whole number of seconds`},
		{"expires_in float", `{"access_token":"a","expires_in":300.5}`, "expires_in", "is a number (300.5)"},
		{"expires_in exponent", `{"access_token":"a","expires_in":3e2}`, "expires_in", "is a number (3e2)"},
		{"expires_in huge", `{"access_token":"a","expires_in":1e400}`, "expires_in", "not a whole number"},
		{"expires_in beyond int64", `{"access_token":"a","expires_in":99999999999999999999}`, "expires_in", "not a whole number"},
		{"expires_in bool", `{"access_token":"a","expires_in":true}`, "expires_in", "is a boolean (true)"},
		{"expires_in list", `{"access_token":"a","expires_in":[300]}`, "expires_in", "is a list ([300])"},
		{"expires_in object", `{"access_token":"a","expires_in":{}}`, "expires_in", "is an object ({})"},
		{"refresh_expires_in string", `{"access_token":"a","refresh_expires_in":"1800"}`, "refresh_expires_in", "is a string"},
		{"token_type number", `{"access_token":"a","token_type":5}`, "token_type", "is a number (5), not a string"},
		{"scope list", `{"access_token":"a","scope":["openid"]}`, "scope", `is a list (["openid"]), not a string`},
		{"access_token number", `{"access_token":42}`, "access_token", "is a number, not a string"},
		{"access_token object", `{"access_token":{"t":"secret-looking"}}`, "access_token", "is an object, not a string"},
		{"access_token missing", `{"token_type":"Bearer"}`, "access_token", "is missing"},
		{"access_token null", `{"access_token":null}`, "access_token", "is missing"},
		{"access_token empty", `{"access_token":""}`, "access_token", "is empty"},
		{"refresh_token list", `{"access_token":"a","refresh_token":["r"]}`, "refresh_token", "is a list, not a string"},
		{"long value not quoted", `{"access_token":"a","scope":["` + strings.Repeat("x", 100) + `"]}`, "scope", "is a list, not a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeTokenAnswer([]byte(tt.body))
			fe, ok := err.(*FieldError)
			if !ok || fe.Field != tt.field || !strings.Contains(fe.Reason, tt.reason) {
				t.Fatalf("got %v, want field %s %q", err, tt.field, tt.reason)
			}
		})
	}
	for _, body := range []string{``, `null`, `[]`, `"x"`, `{`, `{"access_token":"a"} trailing`} {
		if _, err := DecodeTokenAnswer([]byte(body)); err == nil {
			t.Errorf("%q: want an error", body)
		}
	}
}

// A 200 whose fields have the wrong types is UNEXPECTED_RESPONSE quoting
// the field, for the grant and for the refresh alike.
func TestClassifyWrongTypesQuotesTheField(t *testing.T) {
	for _, classify := range []func(ex httpExchange) *problem{ClassifyGrant, ClassifyRefresh} {
		p := classify(jsonAnswer(200, `{"access_token":"a.b.c","expires_in":"300","token_type":"Bearer"}`))
		if p == nil || p.Code != codes.UnexpectedAnswer || !strings.Contains(p.Message, `field "expires_in" is a string ("300")`) || p.Details["field"] != "expires_in" {
			t.Fatalf("got %+v", p)
		}
	}
	if p := ClassifyGrant(jsonAnswer(200, goodAnswer)); p != nil {
		t.Fatalf("a good answer: %+v", p)
	}
}

type (
	httpExchange = httpx.Exchange
	problem      = httpx.Problem
)
