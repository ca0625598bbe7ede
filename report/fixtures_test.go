package report

import (
	"strings"
	"time"
)

// Three fixed runs against a realistic Keycloak and Hasura setup. Times,
// durations and texts are constants so that golden files never drift.

// testRun names a fixture report; the name is the golden files' prefix.
type testRun struct {
	name   string
	report Report
}

func testRuns() []testRun {
	return []testRun{
		{"all-pass", allPassReport()},
		{"failing", failingReport()},
		{"mixed", mixedReport()},
		{"events", eventsReport()},
		{"long-values", longValuesReport()},
		{"root-cause", rootCauseReport()},
		{"strict", strictReport()},
		{"consequence", consequenceReport()},
	}
}

// docPage is a code's documentation page, as codes.Code.DocURL writes it.
func docPage(code string) string {
	return "https://github.com/authdoctor/authdoctor/blob/main/docs/codes/" + code + ".md"
}

func baseReport() Report {
	return Report{
		Tool: Tool{Name: "authdoctor", Version: "0.4.0"},
		Target: Target{
			KeycloakURL: "https://sso.example.com",
			Realm:       "tenant-acme",
			ClientID:    "orders-web",
			Grant:       "password",
			GraphQLURL:  "https://api.example.com/v1/graphql",
		},
		Environment: Environment{
			Version:   "0.4.0",
			OS:        "linux",
			Arch:      "amd64",
			GoVersion: "go1.26.8",
			Time:      time.Date(2025, 3, 14, 9, 30, 12, 0, time.UTC),
			Settings:  baseSettings(),
		},
	}
}

func baseSettings() []Setting {
	return []Setting{
		{Name: "keycloak-url", EnvVar: "KEYCLOAK_URL", Value: "https://sso.example.com", Source: ".env file"},
		{Name: "realm", EnvVar: "REALM", Value: "tenant-acme", Source: ".env file"},
		{Name: "client-id", EnvVar: "CLIENT_ID", Value: "orders-web", Source: ".env file"},
		{Name: "client-secret", EnvVar: "CLIENT_SECRET", Source: "unset", Secret: true},
		{Name: "username", EnvVar: "USERNAME", Value: "alice@example.com", Source: "environment"},
		{Name: "password", EnvVar: "PASSWORD", Source: "environment", Secret: true},
		{Name: "grant", EnvVar: "GRANT", Value: "password", Source: "default"},
		{Name: "graphql-url", EnvVar: "GRAPHQL_URL", Value: "https://api.example.com/v1/graphql", Source: "flag"},
		{Name: "required-roles", EnvVar: "REQUIRED_ROLES", Value: "user", Source: "default"},
		{Name: "ca-cert", EnvVar: "CA_CERT", Source: "unset"},
		{Name: "insecure", EnvVar: "INSECURE", Value: "false", Source: "default"},
		{Name: "timeout", EnvVar: "TIMEOUT", Value: "10s", Source: "default"},
	}
}

// The catalogue's checks, as the runner reports them.
const (
	titleTLS         = "Keycloak is reachable over verified TLS"
	titleRealm       = "The realm exists and its discovery document is consistent"
	titleCredentials = "Keycloak issues a token for these credentials"
	titleRoles       = "The token carries the required roles"
	titleGraphQL     = "The GraphQL API accepts the token"
	titleRefresh     = "The refresh token can be exchanged"
)

func tlsPass() CheckResult {
	return CheckResult{
		ID: "tls", Title: titleTLS, Status: Pass,
		Message:  "TLS 1.3 to sso.example.com:443; certificate valid until 2025-11-02, issued by R11 (Let's Encrypt)",
		Duration: 84 * time.Millisecond,
		Details: map[string]any{
			"tls_version": "TLS 1.3",
			"not_after":   "2025-11-02T23:59:59Z",
			"issuer":      "CN=R11,O=Let's Encrypt,C=US",
		},
	}
}

func realmPass(keycloakURL string) CheckResult {
	issuer := keycloakURL + "/realms/tenant-acme"
	return CheckResult{
		ID: "realm", Title: titleRealm, Status: Pass,
		Message:  "Realm tenant-acme found; issuer " + issuer + " matches the URL",
		Duration: 61 * time.Millisecond,
		Details:  map[string]any{"http_status": 200, "issuer": issuer},
	}
}

func credentialsPass() CheckResult {
	return CheckResult{
		ID: "credentials", Title: titleCredentials, Status: Pass,
		Message:  "Password grant succeeded for alice@example.com: access token valid for 300s, refresh token for 1800s",
		Duration: 212 * time.Millisecond,
		Details: map[string]any{
			"expires_in":         300,
			"refresh_expires_in": 1800,
			"scope":              "openid profile email",
			"token_type":         "Bearer",
		},
	}
}

func refreshPass() CheckResult {
	return CheckResult{
		ID: "refresh", Title: titleRefresh, Status: Pass,
		Message:  "Refresh grant succeeded: new access token valid for 300s",
		Duration: 97 * time.Millisecond,
		Details:  map[string]any{"expires_in": 300},
	}
}

func skippedAfterCredentials(id, title string) CheckResult {
	return CheckResult{
		ID: id, Title: title, Status: Skip,
		Message:       "Skipped: needs a token, and the credentials check failed",
		ConsequenceOf: &Cause{Check: "credentials", Code: "INVALID_USER_CREDENTIALS"},
	}
}

func allPassReport() Report {
	r := baseReport()
	r.Checks = []CheckResult{
		tlsPass(),
		realmPass(r.Target.KeycloakURL),
		credentialsPass(),
		{
			ID: "roles", Title: titleRoles, Status: Pass,
			Message:  "Token carries the required role user (realm_access.roles)",
			Duration: 3 * time.Millisecond,
			Details: map[string]any{
				"required":    []string{"user"},
				"realm_roles": []string{"default-roles-tenant-acme", "offline_access", "uma_authorization", "user"},
			},
		},
		{
			ID: "graphql", Title: titleGraphQL, Status: Pass,
			Message:  "Hasura answered 200 to query { __typename } with role user",
			Duration: 143 * time.Millisecond,
			Details:  map[string]any{"http_status": 200, "x-hasura-role": "user"},
		},
		refreshPass(),
	}
	r.Decide()
	r.Duration = 612 * time.Millisecond
	return r
}

func failingReport() Report {
	r := baseReport()
	r.Checks = []CheckResult{
		tlsPass(),
		realmPass(r.Target.KeycloakURL),
		{
			ID: "credentials", Title: titleCredentials, Status: Fail,
			Code:    "INVALID_USER_CREDENTIALS",
			Message: `Keycloak answered 401 invalid_grant: "Invalid user credentials"`,
			Fix: "Check the password of alice@example.com: sign in at " +
				"https://sso.example.com/realms/tenant-acme/account with the same values. " +
				"If that fails too, reset the password in the admin console.",
			Commands: []Command{
				{Tool: "kcadm.sh", Text: "kcadm.sh config credentials --server https://sso.example.com --realm master --user <admin>"},
				{Tool: "kcadm.sh", Text: "kcadm.sh get events -r tenant-acme -q type=LOGIN_ERROR -q max=10"},
				{Tool: "kcadm.sh", Text: "kcadm.sh set-password -r tenant-acme --username alice@example.com --new-password '<password>'"},
			},
			Console:  "Users > alice@example.com > Credentials > Reset password",
			Duration: 238 * time.Millisecond,
			Details: map[string]any{
				"http_status":       401,
				"error":             "invalid_grant",
				"error_description": "Invalid user credentials",
				"username":          "alice@example.com",
				"token_endpoint":    "https://sso.example.com/realms/tenant-acme/protocol/openid-connect/token",
			},
			Doc: &CodeDoc{
				Code:     "INVALID_USER_CREDENTIALS",
				URL:      docPage("INVALID_USER_CREDENTIALS"),
				Severity: "fail",
				Title:    "Keycloak rejected the username or password",
				Meaning: "The token endpoint answered 401 with error invalid_grant. Keycloak gives the same " +
					"answer for an unknown user and a wrong password, so it does not tell which one is wrong.",
				Causes: []string{
					"The password is wrong or was changed (PASSWORD from the environment overrides the .env file).",
					"The username is wrong; Keycloak accepts the email address only when \"Login with email\" is on.",
					"The user belongs to another realm than REALM.",
					"Brute force detection has locked the account after failed attempts; a locked account gets the same answer.",
				},
				Fix:     "Check the username and password; reset the password if needed.",
				Console: "Users › (user) › Credentials › Reset password",
				Command: `kcadm.sh set-password -r "$REALM" --username "$USERNAME" --new-password '<new password>'`,
			},
		},
		skippedAfterCredentials("roles", titleRoles),
		skippedAfterCredentials("graphql", titleGraphQL),
		skippedAfterCredentials("refresh", titleRefresh),
	}
	r.Decide()
	r.Duration = 384 * time.Millisecond
	return r
}

func mixedReport() Report {
	r := baseReport()
	r.Target.KeycloakURL = "https://sso.staging.example.com"
	r.Target.GraphQLURL = "https://api.staging.example.com/v1/graphql"
	r.Environment.OS, r.Environment.Arch = "darwin", "arm64"
	for i, s := range r.Environment.Settings {
		switch s.Name {
		case "keycloak-url":
			r.Environment.Settings[i].Value = r.Target.KeycloakURL
		case "graphql-url":
			r.Environment.Settings[i].Value = r.Target.GraphQLURL
		case "required-roles":
			r.Environment.Settings[i].Value, r.Environment.Settings[i].Source = "orders-admin", "flag"
		case "insecure":
			r.Environment.Settings[i].Value, r.Environment.Settings[i].Source = "true", "flag"
		}
	}
	r.Checks = []CheckResult{
		{
			ID: "tls", Title: titleTLS, Status: Warn,
			Code:     "TLS_VERIFY_DISABLED",
			Message:  "Certificate verification is disabled (--insecure): the certificate of sso.staging.example.com was not checked",
			Fix:      "Remove --insecure. If the server uses a private CA, pass its certificate with --ca-cert instead.",
			Duration: 71 * time.Millisecond,
			Details:  map[string]any{"tls_version": "TLS 1.2", "insecure": true},
			Doc: &CodeDoc{
				Code:     "TLS_VERIFY_DISABLED",
				URL:      docPage("TLS_VERIFY_DISABLED"),
				Severity: "warn",
				Title:    "TLS certificate verification is disabled",
				Meaning: "authdoctor ran with --insecure, so it did not check who it was talking to. " +
					"Your application most likely does verify, so a certificate problem would be hidden here.",
				Causes: []string{
					"--insecure or INSECURE=true was set to get past a certificate error.",
					"The server uses a certificate from a private CA that is not in the system trust store.",
				},
				Fix: "Remove --insecure; use --ca-cert for a private CA.",
			},
		},
		realmPass(r.Target.KeycloakURL),
		credentialsPass(),
		{
			ID: "roles", Title: titleRoles, Status: Fail,
			Code: "MISSING_ROLE",
			Message: "The access token lacks the required role orders-admin: realm_access.roles has " +
				"[default-roles-tenant-acme offline_access uma_authorization user], " +
				"resource_access.orders-web.roles has [viewer]",
			Fix: "Assign orders-admin to alice@example.com (directly or through a group), sign in again, " +
				"and rerun. If it is a client role, check that the client scope \"roles\" is assigned to orders-web.",
			Commands: []Command{
				{Tool: "kcadm.sh", Text: "kcadm.sh config credentials --server https://sso.example.com --realm master --user <admin>"},
				{Tool: "kcadm.sh", Text: "kcadm.sh add-roles -r tenant-acme --uusername alice@example.com --rolename orders-admin"},
			},
			Duration: 2 * time.Millisecond,
			Details: map[string]any{
				"required":     []string{"orders-admin"},
				"missing":      []string{"orders-admin"},
				"realm_roles":  []string{"default-roles-tenant-acme", "offline_access", "uma_authorization", "user"},
				"client_roles": map[string][]string{"orders-web": {"viewer"}},
			},
			Doc: &CodeDoc{
				Code:     "MISSING_ROLE",
				URL:      docPage("MISSING_ROLE"),
				Severity: "fail",
				Title:    "The token lacks a required role",
				Meaning: "Keycloak issued a token, but none of its role claims (realm_access.roles, " +
					"resource_access.<client>.roles) contains the role you asked authdoctor to require.",
				Causes: []string{
					"The role is not assigned to the user, neither directly nor through a group or composite role.",
					"The role is assigned, but the token was issued before the assignment; Keycloak adds roles at sign-in.",
					"The client's dedicated scope has \"Full scope allowed\" off and the role is not in its scope.",
					"The \"roles\" client scope is not assigned to the client, so no role claims are mapped.",
				},
				Fix:     "Assign the role to the user or to one of their groups.",
				Console: "Users › (user) › Role mapping › Assign role",
				Command: `kcadm.sh add-roles -r "$REALM" --uusername "$USERNAME" --rolename orders-admin`,
			},
		},
		{
			ID: "graphql", Title: titleGraphQL, Status: Fail,
			Code: "GRAPHQL_ACCESS_DENIED",
			Message: `Hasura answered 200 with error access-denied: "your requested role is not in allowed roles" ` +
				"(requested orders-admin, allowed [user])",
			Fix: "Add orders-admin to the x-hasura-allowed-roles claim: in Keycloak, the protocol mapper of orders-web " +
				"that writes https://hasura.io/jwt/claims must include it.",
			Duration: 156 * time.Millisecond,
			Details: map[string]any{
				"http_status":            200,
				"extensions.code":        "access-denied",
				"x-hasura-role":          "orders-admin",
				"x-hasura-allowed-roles": []string{"user"},
				"x-hasura-default-role":  "user",
			},
			Doc: &CodeDoc{
				Code:     "GRAPHQL_ACCESS_DENIED",
				URL:      docPage("GRAPHQL_ACCESS_DENIED"),
				Severity: "fail",
				Title:    "Hasura refused the role the request asked for",
				Meaning: "Hasura verified the token but answered with error code access-denied: the role in " +
					"the x-hasura-role header (or the default role) is not in the token's x-hasura-allowed-roles.",
				Causes: []string{
					"The Hasura claims mapper does not include the role in x-hasura-allowed-roles.",
					"The client sends an x-hasura-role header for a role the user does not have.",
					"The token was issued before the role was assigned.",
				},
				Fix:     "Make the claims mapper include the role, or request a role the token allows.",
				Console: "Clients › (client) › Client scopes › (client)-dedicated › Mappers",
			},
		},
		refreshPass(),
	}
	r.Decide()
	r.Duration = 1243 * time.Millisecond
	return r
}

// eventsReport is a failing login that the server's own event explains:
// the answer said "Invalid user credentials", the LOGIN_ERROR event
// user_not_found.
func eventsReport() Report {
	r := failingReport()
	c := &r.Checks[2]
	c.Code = "USER_NOT_FOUND"
	c.Message = `Keycloak answered 401 invalid_grant: "Invalid user credentials"; the server's LOGIN_ERROR event for this attempt says user_not_found`
	c.Fix = "1. Check the username against the realm's users.\n2. Check that TENANT_ID names the tenant the user belongs to."
	c.Doc = &CodeDoc{Code: "USER_NOT_FOUND", Severity: "fail", Title: "No such user in this realm", URL: docPage("USER_NOT_FOUND"),
		Meaning: "The server's LOGIN_ERROR event for this attempt has the error user_not_found.",
		Causes:  []string{"A typo in USERNAME."}, Fix: c.Fix}
	c.Events = []Event{
		{Time: time.Date(2025, 3, 14, 9, 30, 12, 345e6, time.UTC), Type: "LOGIN_ERROR", Client: "orders-web", User: "alice@example.com",
			IP: "203.0.113.7", Error: "user_not_found", Details: map[string]string{"auth_method": "openid-connect", "grant_type": "password", "username": "alice@example.com"}},
	}
	for i := range r.Checks {
		if r.Checks[i].ConsequenceOf != nil {
			r.Checks[i].ConsequenceOf = &Cause{Check: "credentials", Code: c.Code}
		}
	}
	r.Decide()
	return r
}

// longValuesReport is a run against a realm with a long name behind long
// URLs, whose token carries many roles, and whose GraphQL answer is
// refused: what an 80-column terminal must shorten in the table (and only
// there), and a fix that is a hint followed by numbered steps.
func longValuesReport() Report {
	r := baseReport()
	const realm = "tenant-acme-corporation-europe-west-production"
	r.Target.KeycloakURL = "https://keycloak.identity.eu-west-1.platform.acme-corporation.example"
	r.Target.Realm = realm
	r.Target.GraphQLURL = "https://graphql.orders.eu-west-1.platform.acme-corporation.example/v1/graphql"
	issuer := r.Target.KeycloakURL + "/realms/" + realm
	roles := []string{"default-roles-" + realm, "offline_access", "uma_authorization", "orders-viewer", "orders-editor", "invoices-viewer"}
	r.Checks = []CheckResult{
		tlsPass(),
		{
			ID: "realm", Title: titleRealm, Status: Pass,
			Message:  "realm " + realm + " found; issuer " + issuer + " matches the URL",
			Duration: 61 * time.Millisecond,
			Details:  map[string]any{"http_status": 200, "issuer": issuer},
		},
		credentialsPass(),
		{
			ID: "roles", Title: titleRoles, Status: Pass,
			Message: "token signed by the realm's key, valid until 2025-03-14T09:35:12Z; realm roles [" +
				strings.Join(roles, ", ") + "]; client roles orders-web: [viewer]",
			Duration: 3 * time.Millisecond,
			Details:  map[string]any{"required": []string{"orders-viewer"}, "realm_roles": roles},
		},
		{
			ID: "graphql", Title: titleGraphQL, Status: Fail,
			Code:     "GRAPHQL_TOKEN_REJECTED",
			Message:  `Hasura at ` + r.Target.GraphQLURL + ` answered 200 with error invalid-jwt: "Could not verify JWT: JWTIssuerMismatch"`,
			Fix:      "The token's issuer is " + issuer + ".\n1. Set the issuer in HASURA_GRAPHQL_JWT_SECRET to the token's iss.\n2. Restart Hasura.",
			Duration: 148 * time.Millisecond,
			Details:  map[string]any{"http_status": 200, "extensions.code": "invalid-jwt", "iss": issuer},
			Doc: &CodeDoc{
				Code: "GRAPHQL_TOKEN_REJECTED", Severity: "fail", URL: docPage("GRAPHQL_TOKEN_REJECTED"),
				Title:   "The GraphQL API rejected the token",
				Meaning: "Hasura could not verify the token: its JWT secret names another issuer, audience or key.",
				Causes:  []string{"HASURA_GRAPHQL_JWT_SECRET names another issuer."},
				Fix:     "1. Set the issuer in HASURA_GRAPHQL_JWT_SECRET to the token's iss.\n2. Restart Hasura.",
			},
		},
		refreshPass(),
	}
	for i, st := range r.Environment.Settings {
		switch st.Name {
		case "keycloak-url":
			r.Environment.Settings[i].Value = r.Target.KeycloakURL
		case "realm":
			r.Environment.Settings[i].Value = realm
		case "graphql-url":
			r.Environment.Settings[i].Value = r.Target.GraphQLURL
		}
	}
	r.Decide()
	r.Duration = 701 * time.Millisecond
	return r
}
