package codes

// Codes of the "claims" check: the Hasura claims the access token carries,
// read from the token itself before the GraphQL API is called, so the
// diagnosis does not depend on the server's wording.

// CheckClaims is the id of the check these codes belong to.
const CheckClaims CheckID = "claims"

var TenantMismatch = define(&Code{
	ID:       "TENANT_MISMATCH",
	Check:    CheckClaims,
	Severity: Fail,
	Title:    "The token's x-hasura-tenant-id is missing or names another tenant",
	Meaning: `The access token's Hasura claims ("https://hasura.io/jwt/claims") must carry x-hasura-tenant-id equal to TENANT_ID: every row permission of the platform filters on X-Hasura-Tenant-Id. ` +
		`Either the claim is missing (Hasura then answers missing session variable: "x-hasura-tenant-id" to any query on a table, while a bare __typename still works), ` +
		`or it names another tenant (the API then answers with that tenant's data, or none, and no error at all). The message says which, with both values. ` +
		`Keycloak fills the claim from the user's tenant-id attribute through the client's "hasura-tenant-id" mapper (User Attribute, claim name https://hasura\.io/jwt/claims.x-hasura-tenant-id).`,
	Causes: []string{
		"The user has no tenant-id attribute (created by hand or by an import that did not set it; on Keycloak 24+ an attribute not declared in the user profile is dropped unless unmanaged attributes are enabled).",
		"The user's tenant-id attribute names another tenant (copied from another realm, or a typo).",
		"The client has Hasura mappers but no tenant-id mapper, or the mapper reads another attribute name, has \"Add to access token\" off, or does not escape the dot in its claim name.",
		"TENANT_ID (or --tenant-id) names another tenant than the realm the login went to (--realm given explicitly).",
	},
	Fix: steps(
		"Read the user's attributes with kcadm.sh get users/<user-id>: tenant-id must be exactly TENANT_ID.",
		"Set it with kcadm.sh update users/<user-id>; on Keycloak 24+ declare tenant-id in Realm settings > User profile, or enable unmanaged attributes, or the value is not kept.",
		"If the user has the attribute, check the client's mappers: a User Attribute mapper with user.attribute tenant-id, claim name https://hasura\\.io/jwt/claims.x-hasura-tenant-id, Add to access token on.",
		"Preview the token for that user in Clients > <client> > Client scopes > Evaluate, then run authdoctor again.",
	),
	Console: `Users > <user> > Attributes (tenant-id)` + "\n" +
		`Realm settings > User profile (tenant-id, or Unmanaged attributes: Enabled)` + "\n" +
		`Clients > <client> > Client scopes > <client>-dedicated > Mappers (hasura-tenant-id)`,
	Command: `kcadm.sh get users/<user-id> -r tenant-<id> --fields username,attributes` + "\n" +
		`kcadm.sh update users/<user-id> -r tenant-<id> -s 'attributes.tenant-id=["<TENANT_ID>"]'` + "\n" +
		`kcadm.sh get clients/<client-uuid>/protocol-mappers/models -r tenant-<id> --fields name,protocolMapper,config`,
})

var HasuraClaimsMalformed = define(&Code{
	ID:       "HASURA_CLAIMS_MALFORMED",
	Check:    CheckClaims,
	Severity: Fail,
	Title:    "The token's Hasura claims are missing or malformed",
	Meaning: `Read from the access token itself: the claims Hasura requires are not there or not in the shape it accepts. ` +
		`Hasura (JWT mode, default claims_namespace "https://hasura.io/jwt/claims", claims_format json; another namespace or path is given with --hasura-claims-namespace or --hasura-claims-namespace-path) needs that key to hold a JSON object ` +
		`(or, with claims_format stringified_json, a string holding one) with x-hasura-allowed-roles, a list of role names, and x-hasura-default-role, one role name; ` +
		`every other x-hasura-* value is a session variable and must be a string. Otherwise it refuses every request with jwt-invalid-claims or jwt-missing-role-claims ` +
		`("claims key: 'https://hasura.io/jwt/claims' not found", "JWT claim does not contain x-hasura-allowed-roles", ` +
		`"invalid x-hasura-allowed-roles; should be a list of roles: ..."). The message names what is wrong.`,
	Causes: []string{
		"Wrong client: only clients with the Hasura mappers (admin-portal, api-key-client, service-account, ...) put these claims into the token.",
		"The allowed-roles mapper has Multivalued off, so x-hasura-allowed-roles arrives as one comma-joined string.",
		"The user has no role the allowed-roles mapper maps (realm roles, or the client roles of one client), so the claim is left out.",
		"A mapper's claim name does not escape the dot (it must read https://hasura\\.io/jwt/claims.x-hasura-...), so the claim lands under a key \"https://hasura\" instead; or \"Add to access token\" is off.",
		"A User Attribute mapper with Multivalued on gives a list where Hasura wants a string.",
		"Hasura reads its claims elsewhere (claims_namespace or claims_namespace_path in HASURA_GRAPHQL_JWT_SECRET) and authdoctor was not told: --hasura-claims-namespace, --hasura-claims-namespace-path.",
	},
	Fix: steps(
		"Use a client that has the Hasura mappers (admin-portal for administrative work).",
		"In the client's mappers: Multivalued on for x-hasura-allowed-roles, off for every other x-hasura-* claim; claim names with the dot escaped; Add to access token on.",
		"Preview the token for that user in Clients > <client> > Client scopes > Evaluate, then run authdoctor again.",
	),
	Console: `Clients > <client> > Client scopes > <client>-dedicated > Mappers` + "\n" +
		`Clients > <client> > Client scopes > Evaluate`,
	Command: `kcadm.sh get clients/<client-uuid>/protocol-mappers/models -r tenant-<id> --fields name,protocolMapper,config`,
	Cases: map[string]Case{
		// The claims are in the token, only not where authdoctor looks:
		// most often a Hasura set up with another namespace.
		CaseClaimsElsewhere: {
			When: "the token carries Hasura claims, but at another place than the claims namespace authdoctor reads",
			Fix: steps(
				"Read claims_namespace or claims_namespace_path in HASURA_GRAPHQL_JWT_SECRET (neither set: https://hasura.io/jwt/claims).",
				"If Hasura reads the place the message names, give authdoctor the same: --hasura-claims-namespace (HASURA_CLAIMS_NAMESPACE) or --hasura-claims-namespace-path (HASURA_CLAIMS_NAMESPACE_PATH), as the hint says.",
				"Otherwise make the claim names of the client's Hasura mappers write where Hasura reads (kcadm.sh get clients/$CID/protocol-mappers/models lists them), and preview the token in Clients > <client> > Client scopes > Evaluate.",
			),
			Console: `Clients > <client> > Client scopes > <client>-dedicated > Mappers` + "\n" +
				`Clients > <client> > Client scopes > Evaluate`,
			Command: `kcadm.sh get clients/<client-uuid>/protocol-mappers/models -r tenant-<id> --fields name,protocolMapper,config`,
		},
	},
})

// CaseClaimsElsewhere is the case of HASURA_CLAIMS_MALFORMED where the
// token carries the claims at another place than authdoctor reads.
const CaseClaimsElsewhere = "claims-elsewhere"

var HasuraRoleNotAllowed = define(&Code{
	ID:       "HASURA_ROLE_NOT_ALLOWED",
	Check:    CheckClaims,
	Severity: Fail,
	Title:    "The Hasura role in use is not among the token's allowed roles",
	Meaning: `Read from the access token itself: the role Hasura would run the request as, the one given with --hasura-role (sent as x-hasura-role) or else the token's x-hasura-default-role, ` +
		`is not in its x-hasura-allowed-roles. Hasura then refuses every request with access-denied "Your requested role is not in allowed roles". ` +
		`On admin-portal the default role is hard-coded admin-user and the allowed roles are the user's realm roles, so a user without the realm role admin-user cannot use the API through it.`,
	Causes: []string{
		"The user lacks the realm role (or, for a client-role mapper, the client role) named by the requested or default role.",
		"The role is assigned but not in the token: Full scope allowed off and no scope mapping for it (see ROLE_NOT_IN_TOKEN).",
		"Wrong client: its hard-coded default role is one the user does not have.",
		"--hasura-role (HASURA_ROLE) names a role this user was never meant to use, or is misspelt (role names are case-sensitive).",
	},
	Fix: steps(
		"Compare the role in the message with the allowed roles listed next to it.",
		"Assign the realm role to the user (kcadm.sh add-roles --uusername <user> --rolename <hasura-role>) and run again to get a fresh token, or request a role the user has with --hasura-role.",
	),
	Console: `Users > <user> > Role mapping` + "\n" + `Clients > <client> > Client scopes > Evaluate`,
	Command: `kcadm.sh get-roles -r tenant-<id> --uusername <user> --effective` + "\n" +
		`kcadm.sh add-roles -r tenant-<id> --uusername <user> --rolename <hasura-role>`,
})
