package codes

// Codes of the "clock" check: the clocks of this machine, Keycloak and the
// GraphQL server, compared with each other.

// CheckClock is the id of the check these codes belong to.
const CheckClock CheckID = "clock"

// ClockSkew was a warning of the roles check (this machine vs Keycloak,
// over 60 s) until the clock check took it over; the warning is now
// CLOCK_SKEW_SMALL, and CLOCK_SKEW is reported only when a clock difference
// makes a token fail, where the rejection used to be the only finding.
var ClockSkew = define(&Code{
	ID:       "CLOCK_SKEW",
	Check:    CheckClock,
	Severity: Fail,
	Title:    "A clock is off, and the token fails because of it",
	Meaning: `Token times are Keycloak's clock: iat (issued at) and exp (iat + the access token lifespan, 300 s by default). Whoever checks the token compares them with its own clock. ` +
		`authdoctor reads three clocks: this machine's, Keycloak's (the Date header of the token answer, or the token's iat when there is none: Keycloak 26.7 sends no Date) ` +
		`and the GraphQL server's (the Date header of its answer), each to within about a second plus the request's round trip. ` +
		`CLOCK_SKEW means a fresh token failed because of the difference: the GraphQL server refused it as expired (Hasura: "Could not verify JWT: JWTExpired") ` +
		`or as issued in the future ("Could not verify JWT: JWTIssuedAtFuture", or JWTNotYetValid), or this machine sees it expired, and the measured offset explains it. ` +
		`The message names the clock that is off (the one the other two agree against) and by how much; the rejection is its evidence, and the failing checks are marked as its consequences. ` +
		`Hasura allows no skew by default (allowed_skew 0 in HASURA_GRAPHQL_JWT_SECRET), so a GraphQL server whose clock is even a second behind Keycloak's refuses fresh tokens.`,
	Causes: []string{
		"No time synchronisation on the GraphQL (Hasura) host or its container host: its clock drifted behind Keycloak's (tokens \"issued in the future\") or ahead by more than the token lifetime (tokens \"expired\").",
		"No time synchronisation on the Keycloak host: every token it issues is stamped with a wrong iat and exp.",
		"This machine's clock is off (a laptop after sleep, a VM restored from a snapshot), so its tokens look expired here while the servers accept them.",
	},
	Fix: steps(
		"Fix the clock the message names: enable time synchronisation there (chrony or systemd-timesyncd; in a container, on its host), and check it (timedatectl, chronyc tracking).",
		"Compare the clocks: a fresh token's iat is Keycloak's (jq reads it), the Date of the GraphQL server's answer is its own, date -u +%s is this machine's.",
		"Until the clocks agree, Hasura's allowed_skew (seconds, in HASURA_GRAPHQL_JWT_SECRET) can tolerate a small difference; it does not fix the clock.",
		"Run authdoctor again: the clock check must pass.",
	),
	Command: clockCommands,
})

var ClockSkewSmall = define(&Code{
	ID:       "CLOCK_SKEW_SMALL",
	Check:    CheckClock,
	Severity: Warn,
	Title:    "Clocks differ, not yet enough to make the token fail",
	Meaning: `The clocks authdoctor compared differ by more than it can put down to measurement (about a second plus the round trip), but the token still passed everywhere: ` +
		`the GraphQL server's clock differs from Keycloak's by more than a second, or this machine's from a server's by more than 60 s. ` +
		`The message names the clock that is off and by how much. Tokens near the end of their lifetime, or issued a moment ago, may already fail: ` +
		`a GraphQL server ahead of Keycloak expires tokens early, one behind it (beyond Hasura's allowed_skew, 0 by default) refuses them as issued in the future.`,
	Causes: []string{
		"No time synchronisation on the host the message names (or on the host of its container).",
		"Hasura has allowed_skew set, which hides a GraphQL server clock that is behind Keycloak's, until the difference grows past it.",
	},
	Fix: steps(
		"Enable time synchronisation (chrony or systemd-timesyncd) on the host the message names, and check it (timedatectl, chronyc tracking).",
		"Compare the clocks: a fresh token's iat is Keycloak's (jq reads it), the Date of the GraphQL server's answer is its own, date -u +%s is this machine's.",
	),
	Command: clockCommands,
})

// clockCommands read the three clocks in one place: Keycloak's from a fresh
// token's iat (Keycloak 26.7 sends no Date header), the GraphQL server's
// from the Date of its answer, and this machine's, each in Unix seconds.
const clockCommands = `jq -R 'split(".")[1] | gsub("-";"+") | gsub("_";"/") | @base64d | fromjson | .iat' <<< "$TOKEN"; date -u +%s` + "\n" +
	`curl -s -o /dev/null -D - -X POST -H 'Content-Type: application/json' -d '{"query":"{ __typename }"}' $GRAPHQL_URL | grep -i '^date:'; date -u`
