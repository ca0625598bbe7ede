package checks

import (
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/keycloak"
)

// beyond is strict: an offset whose bound sits exactly on the limit may be
// the limit itself, which is not beyond it.
func TestSpanBeyondBoundary(t *testing.T) {
	for _, tc := range []struct {
		s    span
		want bool
	}{
		{span{lo: time.Second, hi: 2 * time.Second}, false},
		{span{lo: time.Second + time.Nanosecond, hi: 2 * time.Second}, true},
		{span{lo: -2 * time.Second, hi: -time.Second}, false},
		{span{lo: -2 * time.Second, hi: -time.Second - time.Nanosecond}, true},
		{span{}, false},
	} {
		if got := tc.s.beyond(time.Second); got != tc.want {
			t.Errorf("%+v beyond 1s: %v, want %v", tc.s, got, tc.want)
		}
	}
}

// An iat of 0 or from beyond year 5138 is noise, not a clock reading.
func TestKeycloakReadingIatBounds(t *testing.T) {
	for _, tc := range []struct {
		iat  float64
		want bool
	}{
		{0, false}, {1, true}, {1e11, false}, {1e11 - 1, true},
	} {
		tok := &keycloak.Tokens{Access: unsignedJWT(t, map[string]any{"iat": tc.iat})}
		tok.Exchange = httpx.Exchange{Start: clockT0, Header: http.Header{}}
		if _, ok := keycloakReading(tok, 0); ok != tc.want {
			t.Errorf("iat %v: reading %v, want %v", tc.iat, ok, tc.want)
		}
	}
}

// fixed is a reading whose offset is exactly [off, off+1s]: an instant
// round trip.
func fixed(off time.Duration, source string) clockReading {
	return clockReading{stamp: clockT0.Add(off), source: source, sent: clockT0, received: clockT0}
}

// judgeClocks at its exact thresholds: the measurement must allow the
// offset a refusal needs, and the lifetime left must be within reach.
func TestJudgeClocksBoundaries(t *testing.T) {
	for _, tc := range []struct {
		name      string
		kc        time.Duration // reading offsets: the span is [kc, kc+1s]
		gq        *time.Duration
		rejection string
		lifetime  time.Duration
		verified  time.Duration // GraphQL verification's end, after clockT0
		now, exp  time.Duration // this machine's judgement and the token's exp, after clockT0
		want      *codes.Code
		wantText  string
	}{
		// kc [0,1s], gq [1s,2s]: GraphQL minus Keycloak [0,2s], may be 0.
		{name: "from the future, GraphQL maybe not behind", gq: dur(time.Second), rejection: rejectIatAhead,
			wantText: "which the measured clocks do not explain"},
		{name: "from the future, GraphQL surely behind", gq: dur(time.Second - time.Nanosecond), rejection: rejectIatAhead, want: codes.ClockSkew},
		{name: "expired, GraphQL maybe not ahead", gq: dur(time.Second), rejection: rejectExpired,
			wantText: "which the measured clocks do not explain"},
		// kc [0,1s], gq [10s,11s]: GraphQL minus Keycloak [9s,11s], and
		// 1 s of exp's truncation: a lead of up to 12 s.
		{name: "expired, lead reaches exactly the lifetime left", gq: dur(10 * time.Second), rejection: rejectExpired,
			lifetime: 15 * time.Second, verified: 3 * time.Second, want: codes.ClockSkew, wantText: "refused the fresh token as expired"},
		{name: "expired, lead a nanosecond short", gq: dur(10 * time.Second), rejection: rejectExpired,
			lifetime: 15 * time.Second, verified: 3*time.Second - time.Nanosecond, want: codes.ClockSkewSmall,
			wantText: "which the measured clocks do not explain"},
		// kc [-10s,-9s]: this machine up to 11 s ahead of Keycloak.
		{name: "expired here, lead reaches exactly the lifetime left", kc: -10 * time.Second,
			lifetime: 15 * time.Second, now: 4 * time.Second, exp: 4 * time.Second, want: codes.ClockSkew,
			wantText: "this machine sees the fresh token as expired (exp 2026-11-25T14:00:04Z)"},
		{name: "expired here, lead a second short", kc: -10 * time.Second,
			lifetime: 15 * time.Second, now: 3 * time.Second, exp: 3 * time.Second,
			wantText: "Keycloak's clock (token iat) is 9.5 s (±0.5 s) behind this machine's"},
		// kc [-1s,0]: Keycloak maybe not behind.
		{name: "expired here, Keycloak maybe not behind", kc: -time.Second, now: time.Second, exp: time.Second,
			wantText: "within 1.0 s of"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := clockInput{keycloak: fixed(tc.kc, "token iat"), tokenSent: clockT0, lifetime: tc.lifetime,
				now: clockT0.Add(tc.now), exp: clockT0.Add(tc.exp)}
			if tc.gq == nil {
				in.exp = clockT0.Add(tc.exp)
			} else {
				g := fixed(*tc.gq, "Date header")
				in.graphql = &g
				in.verified = moment{from: clockT0, to: clockT0.Add(tc.verified)}
				in.exp = clockT0.Add(time.Hour) // not expired here
			}
			if tc.rejection != "" {
				in.rejection, in.quoted = tc.rejection, "Could not verify JWT: "+tc.rejection
			}
			v := judgeClocks(in)
			if v.code != tc.want {
				t.Fatalf("code %v, want %v: %s", v.code, tc.want, v.message)
			}
			if !strings.Contains(v.message, tc.wantText) {
				t.Errorf("message lacks %q:\n%s", tc.wantText, v.message)
			}
			if strings.HasSuffix(v.message, "; ") {
				t.Errorf("message ends in an empty note: %q", v.message)
			}
		})
	}
}

func dur(d time.Duration) *time.Duration { return &d }

func TestClockWords(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{aheadBehind(0, time.Second), "0.0 s (±1.0 s) ahead of"},
		{aheadBehind(-3*time.Second, time.Second), "3.0 s (±1.0 s) behind"},
		{relation(span{lo: 0, hi: time.Second}), "within 1.0 s of"},
		{relation(span{lo: -time.Second, hi: 0}), "within 1.0 s of"},
		{relation(span{lo: -2 * time.Second, hi: time.Second}), "within 2.0 s of"},
		{relation(span{lo: time.Nanosecond, hi: time.Second}), "0.5 s (±0.5 s) ahead of"},
		{consequenceOfServerSkew(span{}), "a GraphQL server behind Keycloak refuses fresh tokens"},
		{consequenceOfServerSkew(span{lo: time.Second, hi: 3 * time.Second}), "the GraphQL server expires every token 2.0 s early"},
	} {
		if !strings.HasPrefix(tc.got, tc.want) {
			t.Errorf("%q, want %q", tc.got, tc.want)
		}
	}
}

// The report's seconds: one decimal, and never -0.
func TestSecondsDetail(t *testing.T) {
	for d, want := range map[time.Duration]float64{
		1500 * time.Millisecond: 1.5, 1234 * time.Millisecond: 1.2, -2 * time.Second: -2, 0: 0, -10 * time.Millisecond: 0, 90 * time.Second: 90,
	} {
		got := seconds(d)
		if got != want || (want == 0 && math.Signbit(got)) {
			t.Errorf("%s: %v, want %v", d, got, want)
		}
	}
}
