package checks

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/graphql"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/keycloak"
)

// maxClockSkew is how far this machine's clock may differ from a server's
// before it is worth a warning: only authdoctor and the jobs on this
// machine read token times by it, and a minute costs them nothing.
const maxClockSkew = 60 * time.Second

// maxServerSkew is how far the GraphQL server's clock may differ from
// Keycloak's before it is worth a warning. Hasura allows no skew by default
// (allowed_skew 0: jose's defaultJWTValidationSettings, kept by verifyJwt in
// server/src-lib/Hasura/Server/Auth/JWT.hs), so any difference the
// measurement can vouch for is reported.
const maxServerSkew = time.Second

// clockReading is a server's clock as one answer shows it: stamp is the
// server's time in whole seconds (a Date header, or a token's iat, both
// truncated to the second), read at some moment between sent and received
// by this machine's clock.
type clockReading struct {
	stamp          time.Time
	source         string // "Date header" or "token iat"
	sent, received time.Time
}

// span is a clock offset (a server's clock minus another's) known to lie
// within [lo, hi].
type span struct{ lo, hi time.Duration }

func (s span) mid() time.Duration { return s.lo + (s.hi-s.lo)/2 }

// err is the half-width: the offset is mid ± err.
func (s span) err() time.Duration { return (s.hi - s.lo) / 2 }

// minus is the offset between two clocks each measured against this one.
func (s span) minus(o span) span { return span{lo: s.lo - o.hi, hi: s.hi - o.lo} }

// beyond reports whether the offset is surely more than d, either way.
func (s span) beyond(d time.Duration) bool { return s.lo > d || s.hi < -d }

// offset is the server's clock minus this machine's. The server's clock
// read stamp (up to a second before the next tick) at a moment between
// sent and received, so the offset lies between stamp-received and
// stamp+1s-sent: a reading is as good as its round trip plus a second.
func (r clockReading) offset() span {
	return span{lo: r.stamp.Sub(r.received), hi: r.stamp.Add(time.Second).Sub(r.sent)}
}

// keycloakReading reads Keycloak's clock from the token answer: its Date
// header, or, since Keycloak 26.7 sends none (measured on 26.7.3), the
// access token's iat, which Keycloak stamps while it answers. shift is the
// run's clock (Facts.Now) minus the real one, so a test that moves this
// machine's clock moves the exchange's times too.
func keycloakReading(t *keycloak.Tokens, shift time.Duration) (clockReading, bool) {
	if t == nil || t.Exchange.Start.IsZero() {
		return clockReading{}, false
	}
	r := clockReading{sent: t.Exchange.Start.Add(shift)}
	r.received = r.sent.Add(t.Exchange.Duration)
	if d, err := http.ParseTime(t.Exchange.Header.Get("Date")); err == nil {
		r.stamp, r.source = d, "Date header"
		return r, true
	}
	if iat, ok := decodeClaims(t.Access.Reveal())["iat"].(float64); ok && iat > 0 && iat < 1e11 { // a date, not noise
		r.stamp, r.source = time.Unix(int64(iat), 0), "token iat"
		return r, true
	}
	return clockReading{}, false
}

// dateReading reads a server's clock from the Date header of an answer.
func dateReading(ex httpx.Exchange, shift time.Duration) (clockReading, bool) {
	if ex.Err != nil || ex.Start.IsZero() {
		return clockReading{}, false
	}
	d, err := http.ParseTime(ex.Header.Get("Date"))
	if err != nil {
		return clockReading{}, false
	}
	r := clockReading{stamp: d, source: "Date header", sent: ex.Start.Add(shift)}
	r.received = r.sent.Add(ex.Duration)
	return r, true
}

// Hasura's clock-related refusals: jose's JWTError constructors, shown by
// Hasura as "Could not verify JWT: <constructor>" (processAuthZOrCookieHeader
// in server/src-lib/Hasura/Server/Auth/JWT.hs; validateExpClaim,
// validateIatClaim and validateNbfClaim in hs-jose src/Crypto/JWT.hs).
const (
	rejectExpired  = "JWTExpired"
	rejectIatAhead = "JWTIssuedAtFuture"
	rejectNbfAhead = "JWTNotYetValid"
)

// clockRejection returns which clock refusal a GraphQL error message is,
// or "".
func clockRejection(msg string) string {
	for _, r := range []string{rejectIatAhead, rejectNbfAhead, rejectExpired} {
		if strings.Contains(msg, r) {
			return r
		}
	}
	return ""
}

// clockInput is what the clock check measured: the readings, the token's
// times and what the GraphQL server and this machine made of the token.
type clockInput struct {
	keycloak clockReading
	graphql  *clockReading // nil: no GraphQL answer with a Date header
	// graphqlNote says why there is no GraphQL reading, when it matters.
	graphqlNote string
	// rejection is the GraphQL server's clock refusal (rejectExpired, …);
	// quoted is its answer's whole message.
	rejection, quoted string
	// verified is when the GraphQL server checked the token, by this
	// machine's clock (between its request's sent and received).
	verified  moment
	iat, exp  time.Time // the token's; zero when absent
	now       time.Time // this machine's clock when the token was judged here
	tokenSent time.Time // when the token request went out, by this machine's clock
	lifetime  time.Duration
}

// moment is a time known to lie within [from, to].
type moment struct{ from, to time.Time }

// clockVerdict is the clock check's finding: a code (nil: pass), its
// message and the details of the measurement.
type clockVerdict struct {
	code    *codes.Code
	message string
	details map[string]any
}

// judgeClocks decides. CLOCK_SKEW needs a failure the measured offsets
// explain: the GraphQL server refusing the fresh token as expired or
// issued in the future, or this machine seeing it expired. Without one,
// an offset beyond what the measurement can put down to its own error is
// CLOCK_SKEW_SMALL; else the clocks agree.
func judgeClocks(in clockInput) clockVerdict {
	kc := in.keycloak.offset()
	v := clockVerdict{details: map[string]any{
		"keycloak_clock": offsetDetail(kc, in.keycloak.source),
	}}
	var gq, gk span
	if in.graphql != nil {
		gq = in.graphql.offset()
		gk = gq.minus(kc)
		v.details["graphql_clock"] = offsetDetail(gq, in.graphql.source)
		v.details["graphql_minus_keycloak_seconds"] = seconds(gk.mid())
	}
	if in.rejection != "" {
		v.details["graphql_rejection"] = in.quoted
	}

	// The GraphQL server's refusal: its clock against the token's times,
	// which are Keycloak's.
	if in.rejection != "" && in.graphql != nil {
		explained := false
		switch in.rejection {
		case rejectIatAhead, rejectNbfAhead:
			// Refused as from the future: its clock was behind iat (or nbf)
			// when it checked. The measurement must allow it to be behind.
			explained = gk.lo < 0
		case rejectExpired:
			// Refused as expired: its clock had passed exp. The token was
			// fresh, so the GraphQL clock must be ahead of Keycloak's by
			// about the lifetime left when it checked.
			left := in.lifetime - in.verified.to.Sub(in.tokenSent)
			explained = gk.lo > 0 && (in.lifetime == 0 || gk.hi+time.Second >= left)
		}
		if explained {
			what := map[string]string{
				rejectIatAhead: "refused the fresh token as issued in the future",
				rejectNbfAhead: "refused the fresh token as not yet valid",
				rejectExpired:  "refused the fresh token as expired",
			}[in.rejection]
			v.code = codes.ClockSkew
			v.message = fmt.Sprintf("%s: the GraphQL server %s (%q)", nameServerSkew(kc, gq, gk), what, in.quoted)
			return v
		}
	}

	// This machine sees the token expired: its clock is past exp, which is
	// Keycloak's. For a fresh token this takes a clock ahead of Keycloak's
	// by about the lifetime.
	if !in.exp.IsZero() && !in.now.Before(in.exp) {
		left := in.lifetime - in.now.Sub(in.tokenSent)
		if kc.hi < 0 && (in.lifetime == 0 || -kc.lo+time.Second >= left) {
			v.code = codes.ClockSkew
			v.message = fmt.Sprintf("%s: this machine sees the fresh token as expired (exp %s)", nameLocalSkew(kc, in.graphql != nil, gq, gk), in.exp.UTC().Format(time.RFC3339))
			return v
		}
	}

	var notes []string
	if in.rejection != "" {
		notes = append(notes, fmt.Sprintf("the GraphQL server refused the token (%q), which the measured clocks do not explain", in.quoted))
	}
	if in.graphqlNote != "" {
		notes = append(notes, in.graphqlNote)
	}
	switch {
	case in.graphql != nil && gk.beyond(maxServerSkew):
		v.code = codes.ClockSkewSmall
		v.message = fmt.Sprintf("%s; the token still passed, but %s", nameServerSkew(kc, gq, gk), consequenceOfServerSkew(gk))
	case kc.beyond(maxClockSkew):
		v.code = codes.ClockSkewSmall
		v.message = nameLocalSkew(kc, in.graphql != nil, gq, gk) + "; the servers accepted the token, but tokens near their end look expired here (or not yet valid) to jobs on this machine"
	case in.graphql != nil && gq.beyond(maxClockSkew):
		v.code = codes.ClockSkewSmall
		v.message = fmt.Sprintf("this machine's clock is %s the GraphQL server's", aheadBehind(-gq.mid(), gq.err()))
	default:
		v.message = fmt.Sprintf("Keycloak's clock (%s) is %s this machine's", in.keycloak.source, relation(kc))
		if in.graphql != nil {
			v.message += fmt.Sprintf(", the GraphQL server's (%s) %s it", in.graphql.source, relation(gq))
		}
	}
	if len(notes) > 0 {
		v.message += "; " + strings.Join(notes, "; ")
	}
	return v
}

// nameServerSkew names the clock that is off between Keycloak and the
// GraphQL server, with this machine's as the tie-breaker: the one the other
// two agree against.
func nameServerSkew(kc, gq, gk span) string {
	localAgreesKC, localAgreesGQ := !kc.beyond(maxServerSkew), !gq.beyond(maxServerSkew)
	switch {
	case localAgreesKC && !localAgreesGQ:
		return fmt.Sprintf("the GraphQL server's clock is off: %s Keycloak's and this machine's", aheadBehind(gk.mid(), gk.err()))
	case localAgreesGQ && !localAgreesKC:
		neg := span{lo: -gk.hi, hi: -gk.lo}
		return fmt.Sprintf("Keycloak's clock is off: %s the GraphQL server's and this machine's", aheadBehind(neg.mid(), neg.err()))
	}
	return fmt.Sprintf("the GraphQL server's clock is %s Keycloak's, and this machine's agrees with neither, so compare all three with a trusted time source", aheadBehind(gk.mid(), gk.err()))
}

// nameLocalSkew names the clock that is off between this machine and
// Keycloak, with the GraphQL server's (when read) as the tie-breaker.
func nameLocalSkew(kc span, haveGQ bool, gq, gk span) string {
	local := span{lo: -kc.hi, hi: -kc.lo} // this machine minus Keycloak
	if haveGQ {
		switch {
		case !gk.beyond(maxServerSkew) && gq.beyond(maxServerSkew):
			return fmt.Sprintf("this machine's clock is off: %s Keycloak's and the GraphQL server's", aheadBehind(local.mid(), local.err()))
		case !gq.beyond(maxServerSkew) && gk.beyond(maxServerSkew):
			return fmt.Sprintf("Keycloak's clock is off: %s this machine's and the GraphQL server's", aheadBehind(kc.mid(), kc.err()))
		}
	}
	return fmt.Sprintf("this machine's clock is %s Keycloak's (no third clock agrees with either, so compare both with a trusted time source)", aheadBehind(local.mid(), local.err()))
}

// consequenceOfServerSkew says what a GraphQL server clock off Keycloak's
// does to tokens, by its direction.
func consequenceOfServerSkew(gk span) string {
	if gk.mid() > 0 {
		return fmt.Sprintf("the GraphQL server expires every token %s early", human(gk.mid()))
	}
	return "a GraphQL server behind Keycloak refuses fresh tokens as issued in the future unless its allowed_skew covers the difference (Hasura's default is 0), and this one accepted the token only thanks to such an allowance or to timing"
}

// aheadBehind writes an offset: "30 s ahead of", "10m0s behind".
func aheadBehind(d, err time.Duration) string {
	dir := "ahead of"
	if d < 0 {
		dir = "behind" // human writes the size only
	}
	return fmt.Sprintf("%s (±%s) %s", human(d), human(err), dir)
}

// relation writes an offset that the measurement cannot tell from zero,
// or can: "within 0.6 s of", or aheadBehind's words.
func relation(s span) string {
	if s.lo <= 0 && s.hi >= 0 {
		return fmt.Sprintf("within %s of", human(max(-s.lo, s.hi)))
	}
	return aheadBehind(s.mid(), s.err())
}

// human writes a duration for people: "0.4 s", "42 s", "10m0s".
func human(d time.Duration) string {
	d = d.Abs()
	r := d.Round(time.Second)
	switch {
	case d < 10*time.Second:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case r < 2*time.Minute:
		return fmt.Sprintf("%d s", int(r.Seconds()))
	}
	return r.String()
}

func seconds(d time.Duration) float64 {
	r := math.Round(d.Seconds()*10) / 10
	if r == 0 {
		return 0 // not -0, which JSON would show
	}
	return r
}

// offsetDetail is one clock in the report's details: its offset from this
// machine's in seconds (positive: ahead), the error either way, and where
// it was read.
func offsetDetail(s span, source string) map[string]any {
	return map[string]any{"offset_seconds": seconds(s.mid()), "error_seconds": seconds(s.err()), "source": source}
}

// checkClock compares this machine's clock with Keycloak's (read from the
// token answer) and the GraphQL server's (the Date of its answer to the
// typename query, sent with the token: its verdict on the token is the
// evidence when a clock makes it fail). The GraphQL and roles checks mark
// their clock-related failures as consequences of CLOCK_SKEW.
func checkClock(ctx context.Context, facts *Facts) Result {
	cfg := facts.Config
	shift := time.Until(facts.Now())
	kcRead, ok := keycloakReading(facts.Tokens, shift)
	if !ok {
		return skip("Keycloak's clock could not be read: the token answer has no Date header and the access token no iat")
	}
	claims := decodeClaims(facts.Tokens.Access.Reveal())
	in := clockInput{keycloak: kcRead, tokenSent: kcRead.sent}
	if exp, _ := claims.GetExpirationTime(); exp != nil {
		in.exp = exp.Time
	}
	if iat, _ := claims.GetIssuedAt(); iat != nil {
		in.iat = iat.Time
		if !in.exp.IsZero() {
			in.lifetime = in.exp.Sub(in.iat)
		}
	}
	switch {
	case cfg.GraphQLURL == "":
		// Nothing to compare with but this machine.
	case facts.GraphQLTLS != nil || bearerOverPlainHTTP(cfg) != "":
		in.graphqlNote = "the GraphQL server's clock was not read (the graphql check says why)"
	default:
		ex, ans := graphql.Post(ctx, facts.Transport.Client(), cfg.GraphQLURL, facts.Tokens.Access, cfg.HasuraRole, graphql.TypenameQuery)
		if r, ok := dateReading(ex, shift); ok {
			in.graphql = &r
			in.verified = moment{from: r.sent, to: r.received}
		} else if ex.Err == nil {
			in.graphqlNote = "the GraphQL server's answer has no Date header, so its clock was not compared"
		} else {
			in.graphqlNote = "the GraphQL server did not answer (the graphql check says why), so its clock was not compared"
		}
		if p := graphql.Classify(ex, ans); p != nil && p.Code == codes.GraphQLRejected {
			msg, _ := p.Details["graphql_message"].(string)
			if in.rejection = clockRejection(msg); in.rejection != "" {
				in.quoted = msg
			}
		}
	}
	in.now = facts.Now()
	v := judgeClocks(in)
	if v.code == nil {
		return pass(v.message, v.details)
	}
	r := found(v.code, v.message)
	r.Details = v.details
	return r
}

// clockConsequence marks a token failure that a clock can explain as a
// consequence of the clock check's CLOCK_SKEW; the runner keeps the mark
// only if the clock check reported exactly that.
func clockConsequence(r Result) Result {
	return r.Because(codes.CheckClock, codes.ClockSkew)
}
