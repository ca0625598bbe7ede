package codes

// Codes of the "roles" check: the access token's signature, lifetime and roles.

// CheckRoles is the id of the check these codes belong to.
const CheckRoles CheckID = "roles"

var TokenInvalid = define(&Code{
	ID:       "TOKEN_INVALID",
	Check:    CheckRoles,
	Severity: Fail,
	Title:    "Access token malformed, badly signed or expired",
	Meaning: `The access token Keycloak issued did not pass authdoctor's checks: it is not a well-formed JWT, its signature does not verify against the realm's keys ({base}/realms/{realm}/protocol/openid-connect/certs, matched by kid), ` +
		`it has no exp or is expired or not yet valid by this machine's clock, or its typ is not "Bearer". The message says which.`,
	Causes: []string{
		"Expired on arrival: this machine's clock is ahead (see CLOCK_SKEW), or the access token lifespan is very short (default 300 s; 60 s in master).",
		"The signing key is not in the JWKS fetched: keys were rotated or removed, or the JWKS came from another Keycloak instance or realm.",
		"The client signs access tokens with an algorithm whose key is not in the JWKS (HS256/HS384/HS512 use a secret HMAC key, which is never published).",
	},
	Fix: steps(
		"If the message says expired, compare the clock with the server's (CLOCK_SKEW) and check the realm's Access Token Lifespan.",
		"If the signature fails, compare the token's kid with the kids in the JWKS (curl .../protocol/openid-connect/certs) and check the realm's active keys.",
		"Check the client's access token signature algorithm (Clients > <client> > Advanced > Fine grain OpenID Connect configuration).",
	),
	Console: `Realm settings > Keys` + "\n" + `Realm settings > Tokens > Access Token Lifespan`,
	Command: `curl -s -H 'Accept: application/json' $KEYCLOAK_URL/realms/tenant-<id>/protocol/openid-connect/certs | jq '.keys[] | {kid, alg, use}'`,
})

var MissingRole = define(&Code{
	ID:       "MISSING_ROLE",
	Check:    CheckRoles,
	Severity: Fail,
	Title:    "Required role missing from the access token",
	Meaning: `A role passed with --require-role is not in the token: realm roles are read from realm_access.roles, client roles (client:role) from resource_access.<client>.roles. ` +
		`The role may be assigned to the user and still be absent, because the token contains only the roles the client's scope lets through. ` +
		`Hasura roles are Keycloak realm roles, so a missing realm role also means Hasura will refuse that role.`,
	Causes: []string{
		"The role is not assigned to the user (directly, through a group or a composite role); for client_credentials, to service-account-<client>.",
		"The client has \"Full scope allowed\" off and no scope mapping for that role.",
		"The roles client scope was removed from the client's default client scopes.",
		"The role was assigned after this token was issued; tokens keep the roles they were issued with.",
	},
	Fix: steps(
		"List the user's effective roles (kcadm.sh get-roles --effective). If the role is missing, assign it.",
		"If it is assigned, preview the token in Clients > <client> > Client scopes > Evaluate for that user and check Full scope allowed and the roles client scope.",
		"Run authdoctor again to get a fresh token.",
	),
	Console: `Users > <user> > Role mapping` + "\n" +
		`Clients > <client> > Client scopes > <client>-dedicated > Scope > Full scope allowed` + "\n" +
		`Clients > <client> > Client scopes > Evaluate`,
	Command: `kcadm.sh get-roles -r tenant-<id> --uusername <user> --effective` + "\n" +
		`kcadm.sh add-roles -r tenant-<id> --uusername <user> --rolename <role>` + "\n" +
		`kcadm.sh add-roles -r tenant-<id> --uusername <user> --cclientid <client> --rolename <role>`,
})

var RolesNotInToken = define(&Code{
	ID:       "ROLES_NOT_IN_TOKEN",
	Check:    CheckRoles,
	Severity: Warn,
	Title:    "Access token carries no role claims at all",
	Meaning: `The token has neither realm_access nor resource_access, so role requirements cannot be checked from it. ` +
		`This happens with lightweight access tokens (client attribute client.use.lightweight.access.token.enabled=true; in 26.7.1 master's admin-cli has it on and its tokens carry only azp, exp, iat, iss, jti, scope, sid, typ) or when the roles client scope is removed. ` +
		`With lightweight tokens Keycloak's own admin API still works (it resolves roles from the session), but anything that reads roles from the token, such as Hasura, does not see them.`,
	Causes: []string{
		"\"Always use lightweight access token\" is on for the client.",
		"The roles client scope is not among the client's default client scopes.",
	},
	Fix: steps(
		"If the token is meant for Hasura or another API that reads roles, switch off lightweight access tokens for this client.",
		"Add the roles client scope back to the client as a Default scope.",
		"Preview the result in Clients > <client> > Client scopes > Evaluate.",
	),
	Console: `Clients > <client> > Advanced > Advanced settings > Always use lightweight access token` + "\n" +
		`Clients > <client> > Client scopes (roles, assigned type Default)`,
	Command: `kcadm.sh get clients/<client-uuid>/default-client-scopes -r tenant-<id> --fields name` + "\n" +
		`kcadm.sh get clients/<client-uuid> -r tenant-<id> --fields clientId,attributes`,
})

// The two codes below refine MISSING_ROLE (and a GraphQL role denial) with
// the user's role mappings, read through the admin API.

var RoleNotAssigned = define(&Code{
	ID:       "ROLE_NOT_ASSIGNED",
	Check:    CheckRoles,
	Severity: Fail,
	Title:    "The required role is not assigned to the user (nor through a group or composite)",
	Meaning: `The role is missing from the token, and the user's effective role mappings (direct, through groups, composite roles and the realm's default roles, as Keycloak expands them) do not contain it either. ` +
		`For the client-credentials grant the user is the client's service-account user (service-account-<client>).`,
	Causes: []string{
		"The role was never assigned to this user, or was assigned in another realm or on another client.",
		"The user was expected to inherit it from a group or a composite role that does not contain it.",
	},
	Fix: steps(
		"Assign the role named in the message (kcadm.sh add-roles; for a client role with --cclientid and the client that defines it).",
		"Run authdoctor again to get a token with the new role.",
	),
	Console: `Users > <user> > Role mapping > Assign role`,
	Command: `kcadm.sh add-roles -r tenant-<id> --uusername <user> --rolename <role>` + "\n" +
		`kcadm.sh add-roles -r tenant-<id> --uusername <user> --cclientid <client> --rolename <role>`,
})

var RoleNotInToken = define(&Code{
	ID:       "ROLE_NOT_IN_TOKEN",
	Check:    CheckRoles,
	Severity: Fail,
	Title:    "The role is assigned to the user but not mapped into the token",
	Meaning: `The user holds the role (its effective role mappings contain it), yet the access token does not carry it. ` +
		`A token carries only the roles the client's scope lets through and the mappers put into claims.`,
	Causes: []string{
		"The client has Full scope allowed off and no scope mapping for this role.",
		"The roles client scope (which maps realm_access and resource_access) is not among the client's default client scopes.",
		"The client issues lightweight access tokens, which carry no role claims.",
		"For Hasura: the claim mapper of x-hasura-allowed-roles maps realm roles while the role is a client role, or the other way round.",
		"The role was assigned after the token was issued (authdoctor always uses a fresh token, so this points at the causes above).",
	},
	Fix: steps(
		"Preview the token for this user: Clients > <client> > Client scopes > Evaluate; the role must appear in the generated access token.",
		"Turn Full scope allowed on for the client, or add a scope mapping for the role (kcadm.sh update clients/$CID -s fullScopeAllowed=true, or kcadm.sh create clients/$CID/scope-mappings/realm).",
		"Check that the roles client scope is a default client scope of the client, and that lightweight access tokens are off.",
	),
	Console: `Clients > <client> > Client scopes > <client>-dedicated > Scope > Full scope allowed` + "\n" +
		`Clients > <client> > Client scopes (roles must be Default)` + "\n" +
		`Clients > <client> > Client scopes > Evaluate`,
	Command: `kcadm.sh update clients/<client-uuid> -r tenant-<id> -s fullScopeAllowed=true` + "\n" +
		// The scope-mappings endpoint finds each role by its id (a name
		// alone: 500 unknown_error, measured on 26.7.3), so the role's own
		// representation is sent.
		`kcadm.sh get roles/<role> -r tenant-<id> | jq -c '[.]' | kcadm.sh create clients/<client-uuid>/scope-mappings/realm -r tenant-<id> -f -`,
	Cases: map[string]Case{
		// The token's role claims carry the role: the scope lets it
		// through, and only the Hasura mapper leaves it out.
		CaseHasuraMapper: {
			When: "the token's role claims carry the role, but the Hasura claims mapper leaves it out of x-hasura-allowed-roles",
			Fix: steps(
				"List the client's mappers (kcadm.sh get clients/$CID/protocol-mappers/models) and find the one whose claim name is https://hasura\\.io/jwt/claims.x-hasura-allowed-roles.",
				"Make it map the kind of role the user holds: a User Realm Role mapper for a realm role, a User Client Role mapper (with its client) for a client role, not a hard-coded list.",
				"Preview the token for this user (Clients > <client> > Client scopes > Evaluate): x-hasura-allowed-roles must list the role.",
			),
			Console: `Clients > <client> > Client scopes > <client>-dedicated > Mappers` + "\n" +
				`Clients > <client> > Client scopes > Evaluate`,
			Command: `kcadm.sh get clients/<client-uuid>/protocol-mappers/models -r tenant-<id>`,
		},
	},
})

// CaseHasuraMapper is the case of ROLE_NOT_IN_TOKEN where the Hasura
// claims mapper, not the client's scope, keeps the role out.
const CaseHasuraMapper = "hasura-mapper"

var RolesUnverifiable = define(&Code{
	ID:       "ROLES_UNVERIFIABLE",
	Check:    CheckRoles,
	Severity: Fail,
	Title:    "Required roles cannot be verified: the token carries no role claims",
	Meaning: `--require-role was given, the access token has no realm_access or resource_access (a lightweight access token, or a client without the roles client scope), and no other way to read the roles worked: ` +
		`token introspection needs a confidential client (client_id and client_secret; Keycloak answers a public client 403 "Client not allowed.") and, from Keycloak 26.6.2, a token whose aud names that client (else it answers {"active":false}: keycloak#49113), and the admin role mappings need admin access. ` +
		`A requirement that cannot be checked fails, so that CI does not pass an unmet requirement. The message says why each way was not possible.`,
	Causes: []string{
		"The client issues lightweight access tokens (Always use lightweight access token) and is public, so it may not introspect its own tokens.",
		"The roles client scope is not among the client's default client scopes.",
		"The client is confidential but not in its own tokens' audience, so Keycloak 26.6.2+ introspects them as inactive (an audience mapper for the client itself, with Add to lightweight access token on, fixes that).",
		"No admin access was given (--admin-username and --admin-password, --admin-client-secret or --admin-token), or it was refused.",
	},
	Fix: steps(
		"Give admin access (a user or service account with view-users in the realm) so that authdoctor reads the user's role mappings, or run with a confidential client's secret so that it introspects the token.",
		"If the token is meant for an API that reads roles from it (Hasura), switch off lightweight access tokens for the client and add the roles client scope as a Default scope.",
	),
	Console: `Clients > <client> > Advanced > Advanced settings > Always use lightweight access token` + "\n" +
		`Clients > <client> > Client scopes (roles, assigned type Default)`,
	Command: `kcadm.sh get-roles -r tenant-<id> --uusername <user> --effective` + "\n" +
		`kcadm.sh get clients/<client-uuid> -r tenant-<id> --fields clientId,attributes,fullScopeAllowed`,
})
