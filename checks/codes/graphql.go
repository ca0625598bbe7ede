package codes

// Codes of the "graphql" check: the GraphQL API called with the bearer token.

// CheckGraphQL is the id of the check these codes belong to.
const CheckGraphQL CheckID = "graphql"

var GraphQLUnreachable = define(&Code{
	ID:       "GRAPHQL_UNREACHABLE",
	Check:    CheckGraphQL,
	Severity: Fail,
	Title:    "GraphQL endpoint unreachable",
	Meaning: `The POST to the GraphQL URL got no HTTP answer (DNS failure, connection refused, timeout, reset, TLS error), or got a 5xx that is not a GraphQL answer. The message quotes the error. ` +
		`Keycloak may be fine; only the GraphQL side is affected. If the GraphQL host already failed the tls check, the graphql check is skipped instead.`,
	Causes: []string{
		"Wrong host or port in the GraphQL URL (e.g. an internal Docker name such as graphql-engine:8080 used from outside).",
		"Hasura is not running or is restarting.",
		"A firewall, VPN or proxy between this machine and Hasura.",
		"A proxy in front of Hasura answers 502/503/504 because Hasura (or its database) is down.",
	},
	Fix: steps(
		"Check the GraphQL URL: it normally ends in /v1/graphql.",
		"Check Hasura's health endpoint with curl (/healthz): a healthy Hasura answers 200 OK.",
		"Look at the Hasura and proxy logs at the time of the run for 5xx answers.",
	),
	Command: `curl -sv https://<hasura-host>/healthz`,
})

var NotGraphQL = define(&Code{
	ID:       "NOT_GRAPHQL",
	Check:    CheckGraphQL,
	Severity: Fail,
	Title:    "The URL does not answer like a Hasura GraphQL endpoint",
	Meaning: `The POST of {"query":"query { __typename }"} got an answer, but not a GraphQL one: no {"data":...} or {"errors":[...]} body, or data without __typename. ` +
		`Hasura's /v1/graphql answers HTTP 200 even for authentication errors, so any other shape means another program answered.`,
	Causes: []string{
		"The URL lacks the /v1/graphql path (e.g. the Hasura base URL or console URL was given).",
		"The URL points to a web front end, a proxy error page or another API.",
	},
	Fix: steps(
		"Use the full endpoint, e.g. https://<hasura-host>/v1/graphql.",
		"Send the same request with curl (the token request first, then the query) and look at what answers.",
	),
	Command: `curl -si -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"query":"query { __typename }"}' $GRAPHQL_URL`,
})

var GraphQLRejected = define(&Code{
	ID:       "GRAPHQL_TOKEN_REJECTED",
	Check:    CheckGraphQL,
	Severity: Fail,
	Title:    "Hasura rejected the token",
	Meaning: `Hasura answered (HTTP 200 on /v1/graphql) with errors[0].extensions.code "invalid-jwt" or "invalid-headers". ` +
		`Messages: "Could not verify JWT: JWTExpired", "Could not verify JWT: JWSError JWSInvalidSignature", "Could not verify JWT: JWSError NoUsableKeys" (the token's kid is not in Hasura's JWKS), ` +
		`"Could not verify JWT: JWTNotInIssuer", "Could not verify JWT: JWTNotInAudience", or "Malformed Authorization header". The message quotes Hasura.`,
	Causes: []string{
		"NoUsableKeys: Hasura's JWKS does not contain this realm's signing key (the platform serves an aggregated JWKS of all tenant realms at its jwk_url; a new tenant or rotated key is missing from it).",
		"JWTNotInIssuer: Hasura's JWT config has an issuer that differs from the token's iss (internal vs public Keycloak URL; see ISSUER_MISMATCH).",
		"JWTNotInAudience: Hasura's JWT config has an audience, and Keycloak tokens normally carry aud \"account\", not your client.",
		"JWTExpired: the token expired, or the Hasura host's clock is ahead.",
		"JWSInvalidSignature: Hasura is configured with another key or another realm's JWKS.",
		"Missing 'Authorization' or 'Cookie' header in JWT authentication mode: a proxy between strips the Authorization header (a 401 from a proxy is reported here too).",
	},
	Fix: steps(
		"NoUsableKeys: compare the realm's kids (curl .../protocol/openid-connect/certs) with the keys at Hasura's jwk_url (HASURA_GRAPHQL_JWT_SECRET) and refresh the aggregated JWKS.",
		"JWTNotInIssuer: make the issuer in HASURA_GRAPHQL_JWT_SECRET equal to the token's iss exactly, or fix Keycloak's hostname.",
		"JWTNotInAudience: add an Audience mapper to the client, or remove audience from Hasura's JWT config.",
		"JWTExpired: check clocks (CLOCK_SKEW) on the Hasura host.",
	),
	Console: `Realm settings > Keys` + "\n" +
		`Clients > <client> > Client scopes > <client>-dedicated > Mappers (Audience mapper)`,
	Command: `curl -s $KEYCLOAK_URL/realms/tenant-<id>/protocol/openid-connect/certs | jq -r '.keys[] | select(.use=="sig") | .kid'`,
})

var GraphQLClaims = define(&Code{
	ID:       "GRAPHQL_CLAIMS_MISSING",
	Check:    CheckGraphQL,
	Severity: Fail,
	Title:    "Hasura refused the token's claims",
	Meaning: `Hasura accepted the signature but not the claims under "https://hasura.io/jwt/claims". ` +
		`Messages: "claims key: 'https://hasura.io/jwt/claims' not found", "JWT claim does not contain x-hasura-allowed-roles", "JWT claim does not contain x-hasura-default-role", ` +
		`"invalid x-hasura-allowed-roles; should be a list of roles: ...", "expecting a json object when claims_format is json", "expecting a string when claims_format is stringified_json". ` +
		`When a permission uses a session variable the token lacks, Hasura answers code "not-found" with missing session variable: "x-hasura-tenant-id". ` +
		`The claims check reads the same claims from the token first: when it names the cause (HASURA_CLAIMS_MALFORMED, TENANT_MISMATCH), this failure is reported as its consequence. ` +
		`Reported alone, it means Hasura reads the claims otherwise than the token carries them: HASURA_GRAPHQL_JWT_SECRET sets claims_format, claims_namespace, claims_namespace_path or claims_map.`,
	Causes: []string{
		"claims_format: the token's claims are a JSON string (one Hardcoded claim mapper holding the claims as text) while Hasura expects an object (claims_format json, the default), or the other way round.",
		"HASURA_GRAPHQL_JWT_SECRET names another claims_namespace (or a claims_namespace_path, or a claims_map) than the key the mappers write.",
		"Wrong client: only clients with the Hasura mappers (admin-portal, api-key-client, ...) put these claims into the token (see HASURA_CLAIMS_MALFORMED).",
		"The allowed-roles mapper has Multivalued off, so x-hasura-allowed-roles is a string (see HASURA_CLAIMS_MALFORMED).",
		"The user has no tenant-id attribute, so x-hasura-tenant-id is missing (see TENANT_MISMATCH).",
	},
	Fix: steps(
		"Compare the token's claims (the claims check's details: hasura_claims, claims_format) with claims_format and claims_namespace in HASURA_GRAPHQL_JWT_SECRET, and make them agree; give authdoctor Hasura's claims_namespace or claims_namespace_path too (--hasura-claims-namespace, --hasura-claims-namespace-path).",
		"For Keycloak, prefer one mapper per claim with claim names https://hasura\\.io/jwt/claims.x-hasura-<name>: Keycloak then writes an object, which Hasura reads by default.",
		"Check the client's mappers: claim names, Multivalued for allowed roles, Add to access token.",
		"Preview the token for that user in Clients > <client> > Client scopes > Evaluate.",
	),
	Console: `Clients > <client> > Client scopes > <client>-dedicated > Mappers` + "\n" +
		`Clients > <client> > Client scopes > Evaluate`,
	Command: `kcadm.sh get clients/<client-uuid>/protocol-mappers/models -r tenant-<id> --fields name,protocolMapper,config` + "\n" +
		`kcadm.sh get clients/<client-uuid>/evaluate-scopes/generate-example-access-token -r tenant-<id> -q userId=<user-id>`,
})

var GraphQLDenied = define(&Code{
	ID:       "GRAPHQL_ACCESS_DENIED",
	Check:    CheckGraphQL,
	Severity: Fail,
	Title:    "Requested Hasura role is not among the token's allowed roles",
	Meaning: `Hasura answered errors[0].extensions.code "access-denied", "Your requested role is not in allowed roles". ` +
		`The role requested with the x-hasura-role header, or the token's x-hasura-default-role, is not in x-hasura-allowed-roles. ` +
		`On admin-portal the default role is admin-user and the allowed roles are the user's realm roles. Other Hasura errors to the __typename query (e.g. a wrong x-hasura-admin-secret) are reported with this code too; the message quotes Hasura.`,
	Causes: []string{
		"The user lacks the realm role named by x-hasura-role or by the default role (e.g. admin-user).",
		"The role is assigned but not in the token (Full scope allowed off, or roles client scope removed; see MISSING_ROLE).",
		"Wrong client: its default role is one the user does not have.",
	},
	Fix: steps(
		"Compare the requested role (--hasura-role / HASURA_ROLE, else the default role) with allowed_roles in the report's details.",
		"Assign the realm role to the user (kcadm.sh add-roles --rolename <hasura-role>) and run again to get a fresh token.",
	),
	Console: `Users > <user> > Role mapping`,
	Command: `kcadm.sh get-roles -r tenant-<id> --uusername <user> --effective` + "\n" +
		`kcadm.sh add-roles -r tenant-<id> --uusername <user> --rolename <hasura-role>`,
})

var GraphQLField = define(&Code{
	ID:       "GRAPHQL_FIELD_NOT_FOUND",
	Check:    CheckGraphQL,
	Severity: Fail,
	Title:    "Required GraphQL field not visible to this role",
	Meaning: `A field given with --require-field is not among the query or mutation root fields that introspection shows for the token's role. ` +
		`Hasura hides fields the role has no permission on, so "not found" and "not permitted" look the same; a query for it answers validation-failed "field '<name>' not found in type: 'query_root'" (or 'mutation_root'). ` +
		`The role comes from the client: admin-portal gives admin-user, voting-portal gives user.`,
	Causes: []string{
		"Wrong client: administrative operations such as get_upload_url need a token from admin-portal.",
		"The x-hasura-role in use has no permission on that table, action or field in Hasura's metadata.",
		"The field name is misspelled or belongs to another API version.",
	},
	Fix: steps(
		"Get the token through admin-portal for administrative operations.",
		"Check which role was used (the message and details name it; --hasura-role sends x-hasura-role) and that the user has the matching realm role.",
		"In Hasura, check the permissions of that role on the table or action.",
	),
	Console: `Users > <user> > Role mapping`,
})

var GraphQLNoIntrospec = define(&Code{
	ID:       "GRAPHQL_INTROSPECTION_UNAVAILABLE",
	Check:    CheckGraphQL,
	Severity: Warn,
	Title:    "Required fields not verified: introspection refused",
	Meaning: `The bearer token works, but the introspection query for --require-field was refused, so authdoctor could not check that the fields are visible. ` +
		`This is not an authentication failure.`,
	Causes: []string{
		"Introspection is disabled in Hasura for this role.",
		"A gateway in front of Hasura blocks introspection queries.",
	},
	Fix: steps(
		"Verify the fields with a real query using the same token, or",
		"allow introspection for this role in Hasura, or run without --require-field.",
	),
})
