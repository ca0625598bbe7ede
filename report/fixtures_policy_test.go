package report

import "time"

// rootCauseReport is a run whose realm does not exist: the realm check's
// REALM_NOT_FOUND is the one root cause, the credentials check (run
// alongside it) and every check after it are its consequences.
func rootCauseReport() Report {
	r := baseReport()
	r.Target.Realm = "tenant-acme-typo"
	cause := &Cause{Check: "realm", Code: "REALM_NOT_FOUND"}
	r.Checks = []CheckResult{
		tlsPass(),
		{
			ID: "realm", Title: titleRealm, Status: Fail, Code: "REALM_NOT_FOUND",
			Message:  `Keycloak answered 404 {"error":"Realm does not exist"} for https://sso.example.com/realms/tenant-acme-typo`,
			Fix:      "Check the realm name: realm names are case-sensitive.",
			Duration: 41 * time.Millisecond,
			Details:  map[string]any{"http_status": 404},
			Doc: &CodeDoc{Code: "REALM_NOT_FOUND", Severity: "fail", URL: docPage("REALM_NOT_FOUND"), Title: "The realm does not exist",
				Meaning: "Keycloak answered 404 for the realm's discovery document.", Fix: "Check the realm name."},
		},
		{
			ID: "credentials", Title: titleCredentials, Status: Skip,
			Message:       "skipped because realm failed (REALM_NOT_FOUND); this check, run alongside it, failed too (its own finding is in the details, under consequence)",
			Duration:      43 * time.Millisecond,
			Details:       map[string]any{"consequence": map[string]any{"status": "fail", "code": "REALM_NOT_FOUND", "message": "Keycloak answered 404"}},
			ConsequenceOf: cause,
		},
		{ID: "roles", Title: titleRoles, Status: Skip, Message: "skipped because realm failed (REALM_NOT_FOUND)", ConsequenceOf: cause},
		{ID: "graphql", Title: titleGraphQL, Status: Skip, Message: "skipped because credentials was skipped (realm failed: REALM_NOT_FOUND)", ConsequenceOf: cause},
		{ID: "refresh", Title: titleRefresh, Status: Skip, Message: "skipped because credentials was skipped (realm failed: REALM_NOT_FOUND)", ConsequenceOf: cause},
	}
	r.Decide()
	r.Duration = 130 * time.Millisecond
	return r
}

// strictReport is a CI run under --strict where GRAPHQL_URL was forgotten:
// every check that ran passed, but the graphql check was skipped, and
// --fail-on skip makes that a failed run.
func strictReport() Report {
	r := baseReport()
	r.Target.GraphQLURL = ""
	r.Policy = Policy{FailOn: []Status{Warn, Skip}, Strict: true}
	r.Checks = []CheckResult{
		tlsPass(),
		realmPass(r.Target.KeycloakURL),
		credentialsPass(),
		{ID: "roles", Title: titleRoles, Status: Pass, Message: "token signed by the realm's key; no role required", Duration: 3 * time.Millisecond},
		{ID: "graphql", Title: titleGraphQL, Status: Skip, Message: "GRAPHQL_URL not set: the GraphQL API was not checked (give --graphql-url or GRAPHQL_URL, or --skip graphql)"},
		refreshPass(),
	}
	r.Decide()
	r.Duration = 455 * time.Millisecond
	return r
}

// consequenceReport is a run where one finding explains a failure
// elsewhere: Keycloak's clock is ahead of the GraphQL server's, so Hasura
// rejects the token as issued in the future. The
// clock check's CLOCK_SKEW is the root cause; the graphql failure keeps
// its own code and is marked as its consequence.
func consequenceReport() Report {
	r := baseReport()
	r.Checks = []CheckResult{
		tlsPass(),
		realmPass(r.Target.KeycloakURL),
		credentialsPass(),
		{
			ID: "clock", Title: "Clocks of this machine, Keycloak and the GraphQL server agree", Status: Fail, Code: "CLOCK_SKEW",
			Message:  "Keycloak's clock is 94s ahead of the GraphQL server's (token iat 09:31:46Z, Hasura Date 09:30:12Z)",
			Fix:      "Synchronise the clock of the Keycloak host (NTP).",
			Duration: 1 * time.Millisecond,
			Details:  map[string]any{"skew_seconds": 94},
			Doc: &CodeDoc{Code: "CLOCK_SKEW", Severity: "fail", URL: docPage("CLOCK_SKEW"), Title: "Server clocks disagree",
				Meaning: "The measured offset between the clocks explains a token rejection.", Fix: "Synchronise the clocks."},
		},
		{ID: "roles", Title: titleRoles, Status: Pass, Message: "token signed by the realm's key; no role required", Duration: 3 * time.Millisecond},
		{
			ID: "graphql", Title: titleGraphQL, Status: Fail, Code: "GRAPHQL_TOKEN_REJECTED",
			Message:       `Hasura answered 200 with error invalid-jwt: "Could not verify JWT: JWTIssuedAtFuture"`,
			Fix:           "Fix the clock skew first.",
			Duration:      148 * time.Millisecond,
			Details:       map[string]any{"http_status": 200, "extensions.code": "invalid-jwt"},
			ConsequenceOf: &Cause{Check: "clock", Code: "CLOCK_SKEW"},
			Doc: &CodeDoc{Code: "GRAPHQL_TOKEN_REJECTED", Severity: "fail", URL: docPage("GRAPHQL_TOKEN_REJECTED"),
				Title: "The GraphQL API rejected the token", Meaning: "Hasura could not verify the token.", Fix: "Check HASURA_GRAPHQL_JWT_SECRET."},
		},
		refreshPass(),
	}
	r.Decide()
	r.Duration = 520 * time.Millisecond
	return r
}
