package checks

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/keycloak"
)

// unsignedJWT is a token with these claims and no valid signature: the
// clock readings never verify it.
func unsignedJWT(t *testing.T, claims map[string]any) redact.Secret {
	t.Helper()
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return redact.Secret(enc([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + enc(payload) + ".c2ln")
}

var clockT0 = time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)

// A reading's bounds: the server's clock showed stamp (truncated to the
// second) at a moment between sent and received, so its offset lies within
// [stamp-received, stamp+1s-sent].
func TestKeycloakReading(t *testing.T) {
	for _, tc := range []struct {
		name           string
		date           string         // Date header of the token answer, "" for none
		claims         map[string]any // of the access token
		start          time.Time
		took, shift    time.Duration
		wantSource     string
		wantLo, wantHi time.Duration
		wantNone       bool
	}{
		{name: "Date header, quick answer", date: "Wed, 25 Nov 2026 14:00:30 GMT", claims: map[string]any{"iat": float64(clockT0.Unix())},
			start: clockT0, took: 100 * time.Millisecond, wantSource: "Date header", wantLo: 30*time.Second - 100*time.Millisecond, wantHi: 31 * time.Second},
		{name: "no Date (Keycloak 26.7): the token's iat", claims: map[string]any{"iat": float64(clockT0.Add(-10 * time.Second).Unix())},
			start: clockT0, took: 2 * time.Second, wantSource: "token iat", wantLo: -12 * time.Second, wantHi: -9 * time.Second},
		{name: "a slow answer widens the bounds", claims: map[string]any{"iat": float64(clockT0.Unix())},
			start: clockT0, took: 5 * time.Second, wantSource: "token iat", wantLo: -5 * time.Second, wantHi: time.Second},
		{name: "a test's clock moves the local times", claims: map[string]any{"iat": float64(clockT0.Unix())},
			start: clockT0, took: 0, shift: time.Minute, wantSource: "token iat", wantLo: -time.Minute, wantHi: -time.Minute + time.Second},
		{name: "a bad Date falls back to iat", date: "yesterday", claims: map[string]any{"iat": float64(clockT0.Unix())},
			start: clockT0, wantSource: "token iat", wantLo: 0, wantHi: time.Second},
		{name: "neither Date nor iat", claims: map[string]any{"exp": float64(clockT0.Unix())}, start: clockT0, wantNone: true},
		{name: "iat of the wrong type", claims: map[string]any{"iat": "now"}, start: clockT0, wantNone: true},
		{name: "no exchange time", claims: map[string]any{"iat": float64(clockT0.Unix())}, wantNone: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok := &keycloak.Tokens{Access: unsignedJWT(t, tc.claims)}
			tok.Exchange = httpx.Exchange{Start: tc.start, Duration: tc.took, Header: http.Header{}}
			if tc.date != "" {
				tok.Exchange.Header.Set("Date", tc.date)
			}
			r, ok := keycloakReading(tok, tc.shift)
			if ok == tc.wantNone {
				t.Fatalf("reading %v, want none: %v", ok, tc.wantNone)
			}
			if tc.wantNone {
				return
			}
			if got := r.offset(); r.source != tc.wantSource || got.lo != tc.wantLo || got.hi != tc.wantHi {
				t.Fatalf("%s [%s, %s], want %s [%s, %s]", r.source, got.lo, got.hi, tc.wantSource, tc.wantLo, tc.wantHi)
			}
		})
	}
}

func TestDateReading(t *testing.T) {
	ex := httpx.Exchange{Start: clockT0, Duration: 300 * time.Millisecond, Header: http.Header{"Date": {"Wed, 25 Nov 2026 13:59:30 GMT"}}}
	r, ok := dateReading(ex, 0)
	if got := r.offset(); !ok || got.lo != -30*time.Second-300*time.Millisecond || got.hi != -29*time.Second {
		t.Fatalf("%v [%s, %s]", ok, got.lo, got.hi)
	}
	for _, ex := range []httpx.Exchange{
		{Start: clockT0, Header: http.Header{}},                          // no Date (a proxy that drops it)
		{Start: clockT0, Header: ex.Header, Err: http.ErrHandlerTimeout}, // no answer
	} {
		if _, ok := dateReading(ex, 0); ok {
			t.Errorf("%+v gave a reading", ex)
		}
	}
}

func TestSpanArithmetic(t *testing.T) {
	g, k := span{lo: 29 * time.Second, hi: 31 * time.Second}, span{lo: -time.Second, hi: time.Second}
	d := g.minus(k)
	if d.lo != 28*time.Second || d.hi != 32*time.Second || d.mid() != 30*time.Second || d.err() != 2*time.Second {
		t.Fatalf("%+v", d)
	}
	for _, tc := range []struct {
		s      span
		beyond bool
	}{
		{span{lo: 1500 * time.Millisecond, hi: 2 * time.Second}, true},
		{span{lo: -3 * time.Second, hi: -1500 * time.Millisecond}, true},
		{span{lo: 500 * time.Millisecond, hi: 3 * time.Second}, false}, // may be under a second
		{span{lo: -time.Second, hi: time.Second}, false},
	} {
		if got := tc.s.beyond(time.Second); got != tc.beyond {
			t.Errorf("%+v beyond 1s: %v", tc.s, got)
		}
	}
}

// reading is a clock that read offset, stamped in a round trip of rtt
// starting at clockT0 (this machine's clock).
func reading(offset, rtt time.Duration, source string) clockReading {
	// The server's clock at the middle of the trip, truncated as a Date is.
	stamp := clockT0.Add(rtt / 2).Add(offset).Truncate(time.Second)
	return clockReading{stamp: stamp, source: source, sent: clockT0, received: clockT0.Add(rtt)}
}

// judgeClocks on measured readings: which code, and which clock it names.
func TestJudgeClocks(t *testing.T) {
	const rtt = 20 * time.Millisecond
	lifetime := 300 * time.Second
	for _, tc := range []struct {
		name      string
		kc, gq    time.Duration // offsets from this machine's clock
		noGQ      bool
		rejection string
		localNow  time.Duration // when this machine judged the token, after clockT0
		want      *codes.Code
		wantText  []string
	}{
		{name: "all agree", kc: 200 * time.Millisecond, gq: 300 * time.Millisecond,
			wantText: []string{"Keycloak's clock (token iat) is within ", "s of this machine's, the GraphQL server's (Date header) within ", " s of it"}},
		{name: "GraphQL 30 s behind: refused as from the future", gq: -30 * time.Second, rejection: rejectIatAhead, want: codes.ClockSkew,
			wantText: []string{"the GraphQL server's clock is off: 30 s (±", ") behind Keycloak's and this machine's", "refused the fresh token as issued in the future", "JWTIssuedAtFuture"}},
		{name: "GraphQL 2 s behind is enough with allowed_skew 0", gq: -2 * time.Second, rejection: rejectIatAhead, want: codes.ClockSkew,
			wantText: []string{"the GraphQL server's clock is off: 2.0 s (±"}},
		{name: "not yet valid (nbf), same cause", gq: -30 * time.Second, rejection: rejectNbfAhead, want: codes.ClockSkew,
			wantText: []string{"refused the fresh token as not yet valid"}},
		{name: "GraphQL 10 min ahead: refused as expired", gq: 10 * time.Minute, rejection: rejectExpired, want: codes.ClockSkew,
			wantText: []string{"the GraphQL server's clock is off: 10m0s (±", ") ahead of Keycloak's and this machine's", "as expired"}},
		{name: "Keycloak 10 min behind: expired on issue", kc: -10 * time.Minute, rejection: rejectExpired, localNow: time.Second, want: codes.ClockSkew,
			wantText: []string{"Keycloak's clock is off: 10m0s (±", ") behind the GraphQL server's and this machine's"}},
		{name: "only the servers agree: this machine is off", kc: -10 * time.Minute, gq: -10 * time.Minute, localNow: time.Second, want: codes.ClockSkew,
			wantText: []string{"this machine's clock is off: 10m0s (±", ") ahead of Keycloak's and the GraphQL server's", "this machine sees the fresh token as expired"}},
		{name: "two clocks only: which one is off is not known", kc: -10 * time.Minute, noGQ: true, localNow: time.Second, want: codes.ClockSkew,
			wantText: []string{"this machine's clock is 10m0s (±", "ahead of Keycloak's (no third clock"}},
		{name: "expired, but the clocks agree: not a clock problem", gq: 200 * time.Millisecond, rejection: rejectExpired,
			wantText: []string{"which the measured clocks do not explain"}},
		{name: "from the future, but the GraphQL clock is ahead: not explained", gq: 20 * time.Second, rejection: rejectIatAhead, want: codes.ClockSkewSmall,
			wantText: []string{"which the measured clocks do not explain", "expires every token 20 s early"}},
		{name: "expired with a small lead: not explained", gq: 5 * time.Second, rejection: rejectExpired, want: codes.ClockSkewSmall,
			wantText: []string{"which the measured clocks do not explain"}},
		{name: "GraphQL 5 s ahead, nothing fails yet", gq: 5 * time.Second, want: codes.ClockSkewSmall,
			wantText: []string{"the GraphQL server's clock is off: 5.0 s (±", "the token still passed, but the GraphQL server expires every token 5.0 s early"}},
		{name: "GraphQL 5 s behind, accepted (allowed_skew)", gq: -5 * time.Second, want: codes.ClockSkewSmall,
			wantText: []string{"behind Keycloak's", "unless its allowed_skew covers the difference"}},
		{name: "half a second is measurement, not skew", gq: 600 * time.Millisecond},
		{name: "this machine 2 min behind, nothing fails", kc: 2 * time.Minute, gq: 2 * time.Minute, want: codes.ClockSkewSmall,
			wantText: []string{"this machine's clock is off: 2m0s (±", ") behind Keycloak's and the GraphQL server's"}},
		{name: "this machine 30 s off: within the minute it may be", kc: 30 * time.Second, gq: 30 * time.Second},
		{name: "no GraphQL reading: said so", noGQ: true, wantText: []string{"has no Date header"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kc := reading(tc.kc, rtt, "token iat")
			iat := kc.stamp
			in := clockInput{keycloak: kc, tokenSent: clockT0, iat: iat, exp: iat.Add(lifetime), lifetime: lifetime,
				now: clockT0.Add(tc.localNow + 50*time.Millisecond)}
			if tc.noGQ {
				if tc.want == nil {
					in.graphqlNote = "the GraphQL server's answer has no Date header, so its clock was not compared"
				}
			} else {
				g := reading(tc.gq, rtt, "Date header")
				g.sent, g.received = g.sent.Add(40*time.Millisecond), g.received.Add(40*time.Millisecond)
				g.stamp = clockT0.Add(50 * time.Millisecond).Add(tc.gq).Truncate(time.Second)
				in.graphql = &g
				in.verified = moment{from: g.sent, to: g.received}
			}
			if tc.rejection != "" {
				in.rejection, in.quoted = tc.rejection, "Could not verify JWT: "+tc.rejection
			}
			v := judgeClocks(in)
			if v.code != tc.want {
				t.Fatalf("code %v, want %v: %s", v.code, tc.want, v.message)
			}
			for _, w := range tc.wantText {
				if !strings.Contains(v.message, w) {
					t.Errorf("message lacks %q:\n%s", w, v.message)
				}
			}
			if _, ok := v.details["keycloak_clock"].(map[string]any); !ok {
				t.Errorf("details %v", v.details)
			}
			if tc.rejection != "" && v.details["graphql_rejection"] != in.quoted {
				t.Errorf("the rejection is not in the details: %v", v.details)
			}
		})
	}
}

func TestClockRejection(t *testing.T) {
	for msg, want := range map[string]string{
		"Could not verify JWT: JWTExpired":            rejectExpired,
		"Could not verify JWT: JWTIssuedAtFuture":     rejectIatAhead,
		"Could not verify JWT: JWTNotYetValid":        rejectNbfAhead,
		"Could not verify JWT: JWSError NoUsableKeys": "",
		"": "",
	} {
		if got := clockRejection(msg); got != want {
			t.Errorf("%q: %q, want %q", msg, got, want)
		}
	}
}

func TestHuman(t *testing.T) {
	for d, want := range map[time.Duration]string{
		400 * time.Millisecond: "0.4 s", -2 * time.Second: "2.0 s", 42 * time.Second: "42 s", 10 * time.Minute: "10m0s",
	} {
		if got := human(d); got != want {
			t.Errorf("%s: %q, want %q", d, got, want)
		}
	}
}
