package keycloak

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// TokenAnswer is a token endpoint's successful answer (RFC 6749 §5.1), read
// by DecodeTokenAnswer.
type TokenAnswer struct {
	AccessToken, RefreshToken, IDToken string
	TokenType                          string
	Scope                              string
	ExpiresIn                          Lifetime // of the access token
	RefreshExpiresIn                   Lifetime // Keycloak's refresh_expires_in
}

// Lifetime is a number of seconds an answer states for a token; Stated is
// false when the answer leaves it out (expires_in is only RECOMMENDED).
type Lifetime struct {
	Seconds int64
	Stated  bool
}

// AccessInvalid tells an access-token lifetime no usable token has: zero or
// negative seconds (the token is expired on arrival).
func (l Lifetime) AccessInvalid() bool { return l.Stated && l.Seconds <= 0 }

// RefreshInvalid tells a refresh_expires_in no server means: negative
// (Keycloak states 0 for a refresh token without a fixed expiry, an
// offline token, and when it issues none).
func (l Lifetime) RefreshInvalid() bool { return l.Stated && l.Seconds < 0 }

// String reads "300 s", or "not stated".
func (l Lifetime) String() string {
	if !l.Stated {
		return "not stated"
	}
	return strconv.FormatInt(l.Seconds, 10) + " s"
}

// FieldError is a token answer that is JSON but not a token answer: a field
// missing, of the wrong type, or with a value no server means.
type FieldError struct {
	Field  string
	Reason string // e.g. `is a string ("300"), not a whole number of seconds`
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("its field %q %s", e.Field, e.Reason)
}

// DecodeTokenAnswer reads a token answer strictly: a JSON object whose
// access_token is a non-empty string, whose other fields, when present, have
// the types RFC 6749 and Keycloak give them, and whose lifetimes are whole
// numbers of seconds (a zero or negative one is passed on as stated, for
// the checks to report: see Lifetime.AccessInvalid). null counts as absent. Anything else is an error naming the field,
// never a zero value passed on as if the server had said it.
func DecodeTokenAnswer(body []byte) (TokenAnswer, error) {
	var t TokenAnswer
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return t, fmt.Errorf("the body is not a JSON object")
	}
	var err error
	str := func(name string, dst *string, required bool) {
		if err != nil {
			return
		}
		raw, ok := present(fields, name)
		switch {
		case !ok && required:
			err = &FieldError{name, "is missing"}
		case !ok:
		case kind(raw) != "a string":
			err = &FieldError{name, "is " + describe(raw, name) + ", not a string"}
		default:
			_ = json.Unmarshal(raw, dst)
			if required && *dst == "" {
				err = &FieldError{name, "is empty"}
			}
		}
	}
	life := func(name string, dst *Lifetime) {
		if err != nil {
			return
		}
		raw, ok := present(fields, name)
		if !ok {
			return
		}
		if kind(raw) != "a number" {
			err = &FieldError{name, "is " + describe(raw, name) + ", not a whole number of seconds"}
			return
		}
		n, perr := strconv.ParseInt(string(raw), 10, 64)
		if perr != nil {
			err = &FieldError{name, "is " + describe(raw, name) + ", not a whole number of seconds"}
			return
		}
		// A zero or negative lifetime is passed on as stated: Keycloak
		// sends one (a client whose access.token.lifespan attribute is 0
		// or negative gives expires_in = exp - now <= 0), and the checks
		// report it as TOKEN_LIFETIME_INVALID, never as a valid token.
		*dst = Lifetime{Seconds: n, Stated: true}
	}
	str("access_token", &t.AccessToken, true)
	str("token_type", &t.TokenType, false)
	str("refresh_token", &t.RefreshToken, false)
	str("id_token", &t.IDToken, false)
	str("scope", &t.Scope, false)
	life("expires_in", &t.ExpiresIn)
	life("refresh_expires_in", &t.RefreshExpiresIn)
	return t, err
}

// present returns a field that is there and not null.
func present(fields map[string]json.RawMessage, name string) (json.RawMessage, bool) {
	raw, ok := fields[name]
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		return nil, false
	}
	return raw, true
}

// kind names the JSON type of a raw value.
func kind(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "empty"
	}
	switch raw[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "a list"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// describe names a wrong value for a message: its type, and the value
// itself when it is short enough to quote whole (a shortened value could be
// the first half of an echoed secret, which no scrubbing would recognise)
// and the field does not hold a token.
func describe(raw json.RawMessage, field string) string {
	k := kind(raw)
	if field == "access_token" || field == "refresh_token" || field == "id_token" {
		return k
	}
	var compact bytes.Buffer
	if json.Compact(&compact, raw) != nil || compact.Len() > maxQuotedValue {
		return k
	}
	return fmt.Sprintf("%s (%s)", k, compact.String())
}

// maxQuotedValue is the longest wrong value a message quotes.
const maxQuotedValue = 40
