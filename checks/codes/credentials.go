package codes

// Codes of the "credentials" check: the password or client-credentials grant.

// CheckCredentials is the id of the check these codes belong to.
const CheckCredentials CheckID = "credentials"

var PlainHTTPBlocked = define(&Code{
	ID:       "PLAIN_HTTP_BLOCKED",
	Check:    CheckCredentials,
	Severity: Fail,
	Title:    "Credentials not sent: plain http:// to a non-loopback host",
	Meaning: `authdoctor refused to send a password or client secret (credentials check), or the access token (graphql check), over plain HTTP to a host that is not a loopback address: ` +
		`anyone on the network path could read it, and a bearer token is as good as a password until it expires. ` +
		`Nothing was sent to that host; this is authdoctor's own safety check, not a server's answer.`,
	Causes: []string{
		"The Keycloak URL or the GraphQL URL uses http:// (see PLAIN_HTTP).",
		"The URL bypasses the TLS-terminating proxy and goes straight to the server's HTTP port (Keycloak's 8080, Hasura's 8080).",
	},
	Fix: steps(
		"Use the https:// URL of Keycloak (KEYCLOAK_URL) or of the GraphQL API (GRAPHQL_URL), whichever the message names.",
		"On a trusted development network, pass --allow-plain-http to send the credentials and the token anyway.",
	),
})

var HTTPSRequired = define(&Code{
	ID:       "HTTPS_REQUIRED",
	Check:    CheckCredentials,
	Severity: Fail,
	Title:    "Keycloak requires HTTPS for this request",
	Meaning: `The token endpoint answered 403 {"error":"invalid_request","error_description":"HTTPS required"}. ` +
		`Keycloak saw the request as http and the realm's Require SSL is "all", or "external" (the default) and the client address is not local. ` +
		`Local means loopback and private ranges (10/8, 172.16/12, 192.168/16); 26 also counts link-local and IPv6 fc00::/7. No event is recorded.`,
	Causes: []string{
		"Plain http:// used from a public address.",
		"TLS ends at a reverse proxy and Keycloak does not know: the proxy does not send X-Forwarded-Proto/Forwarded, or Keycloak does not trust them (--proxy-headers xforwarded|forwarded on 24+; --proxy edge|reencrypt on 17-25).",
		"Require SSL is set to \"all\" on a realm that is served over http.",
	},
	Fix: steps(
		"Call Keycloak over https.",
		"If https already ends at a proxy, make the proxy forward the scheme and start Keycloak with the matching proxy option.",
		"Only on a development realm: set Require SSL to \"none\" (console, or kcadm.sh update realms/tenant-<id> -s sslRequired=none).",
	),
	Console: `Realm settings > General > Require SSL`,
	Command: `kcadm.sh get realms/tenant-<id> --fields realm,sslRequired`,
})

var RealmDisabled = define(&Code{
	ID:       "REALM_DISABLED",
	Check:    CheckCredentials,
	Severity: Fail,
	Title:    "Realm is disabled",
	Meaning: `The token endpoint answered 403 {"error":"access_denied","error_description":"Realm not enabled"}. ` +
		`Keycloak checks this before looking at the client or the user, so nobody can get a token from this realm. No event is recorded.`,
	Causes: []string{
		"An administrator disabled the realm (e.g. a suspended tenant).",
		"The realm was imported with \"enabled\": false.",
	},
	Fix: steps(
		"Confirm that the tenant is supposed to be active.",
		"Enable the realm in the console or with kcadm.sh update realms/tenant-<id> -s enabled=true.",
	),
	Console: `Realm settings > Enabled (switch at the top of the page)`,
	Command: `kcadm.sh update realms/tenant-<id> -s enabled=true`,
})

var ClientNotFound = define(&Code{
	ID:       "CLIENT_NOT_FOUND",
	Check:    CheckCredentials,
	Severity: Fail,
	Title:    "Client not found (or disabled, on Keycloak 20+)",
	Meaning: `Keycloak 20+ answered 401 {"error":"invalid_client","error_description":"Invalid client or Invalid client credentials"}: this is the answer for an unknown client_id and also for a disabled client, so they cannot be told apart from the response. ` +
		`Keycloak 17-19 answer 400 invalid_client "Invalid client credentials" for an unknown client. ` +
		`If events are saved, the LOGIN_ERROR/CLIENT_LOGIN_ERROR event's error says client_not_found (20+) or client_disabled.`,
	Causes: []string{
		"Typo in the client_id, or the client exists in another realm (admin-portal is a client of each tenant realm tenant-<id>).",
		"The client is disabled (20+ gives the same answer).",
		"The client was never created or imported in this realm.",
	},
	Fix: steps(
		"Look the client up with kcadm.sh get clients -q clientId=<client>: [] means it does not exist in this realm; \"enabled\": false means it is disabled.",
		"For administrative work on a tenant use the admin-portal client of realm tenant-<id>.",
		"If it is disabled, enable it (see CLIENT_DISABLED).",
	),
	Console: `Clients (search by Client ID)` + "\n" + `Events > User events (error client_not_found / client_disabled)`,
	Command: `kcadm.sh get clients -r tenant-<id> -q clientId=<client> --fields id,clientId,enabled,publicClient`,
})

var ClientDisabled = define(&Code{
	ID:       "CLIENT_DISABLED",
	Check:    CheckCredentials,
	Severity: Fail,
	Title:    "Client is disabled",
	Meaning: `Keycloak 17-19 answer 400 {"error":"unauthorized_client","error_description":"Invalid client credentials"} for a disabled client (event error client_disabled). ` +
		`Keycloak 20+ answer a disabled client like an unknown one (401 invalid_client "Invalid client or Invalid client credentials"), reported as CLIENT_NOT_FOUND.`,
	Causes: []string{
		"An administrator disabled the client.",
		"The client was imported with \"enabled\": false.",
	},
	Fix: steps(
		"Check that the client is meant to be in use.",
		"Enable it in the console or with kcadm.sh update clients/$CID -s enabled=true, where CID is the client's internal id (the kcadm.sh get clients lookup prints it).",
	),
	Console: `Clients > <client> > Enabled (switch at the top of the page)`,
	Command: `kcadm.sh get clients -r tenant-<id> -q clientId=<client> --fields id,enabled` + "\n" +
		`kcadm.sh update clients/<client-uuid> -r tenant-<id> -s enabled=true`,
})

var InvalidClientCredentials = define(&Code{
	ID:       "INVALID_CLIENT_CREDENTIALS",
	Check:    CheckCredentials,
	Severity: Fail,
	Title:    "Client secret wrong or missing",
	Meaning: `Keycloak could not authenticate the confidential client and answered 401 {"error":"unauthorized_client",...}. ` +
		`17-19: "Invalid client secret" (wrong) or "Client secret not provided in request" (missing); 20+: "Invalid client or Invalid client credentials" for both. ` +
		`Event error invalid_client_credentials. A public client never gets this: Keycloak ignores a secret sent by a public client.`,
	Causes: []string{
		"The secret is outdated: it was regenerated, or it belongs to another environment.",
		"No secret was given for a confidential client.",
		"The secret was altered by shell or .env quoting. (authdoctor form-encodes the secret in HTTP Basic as RFC 6749 requires; other clients that do not will fail with '+' or '%' in a secret.)",
		"A rotated secret has expired, or the client has no stored secret.",
	},
	Fix: steps(
		"Read the current secret (console Credentials tab, or kcadm.sh get clients/$CID/client-secret after looking up the client's internal id CID) and pass it exactly as --client-secret / CLIENT_SECRET (single quotes in a shell).",
		"If the secret was regenerated, update every application that uses this client.",
		"If the client should be public (e.g. admin-portal), do not send a secret and use the password grant.",
	),
	Console: `Clients > <client> > Credentials > Client secret`,
	Command: `kcadm.sh get clients/<client-uuid>/client-secret -r tenant-<id>`,
})

var BearerOnlyClient = define(&Code{
	ID:       "BEARER_ONLY_CLIENT",
	Check:    CheckCredentials,
	Severity: Fail,
	Title:    "Bearer-only client cannot obtain tokens",
	Meaning: `Keycloak answered 400 {"error":"invalid_client","error_description":"Bearer-only not allowed"} (any grant; no event error is recorded). ` +
		`A bearer-only client only validates tokens; it can never get one from the token endpoint. ` +
		`With client_credentials the answer can instead be 401 unauthorized_client "Bearer-only client not allowed to retrieve service account".`,
	Causes: []string{
		"authdoctor was given the client_id of a backend/resource-server client instead of the client users or services log in with.",
		"The client was created or imported as bearer-only (bearerOnly=true).",
	},
	Fix: steps(
		"Use a client meant for logging in: admin-portal for users doing administrative work, a confidential client with service accounts for machines.",
		"Only if this client really must issue tokens: set bearerOnly to false (kcadm.sh update clients/$CID -s bearerOnly=false) and enable the flows it needs.",
	),
	Command: `kcadm.sh get clients -r tenant-<id> -q clientId=<client> --fields id,clientId,bearerOnly` + "\n" +
		`kcadm.sh update clients/<client-uuid> -r tenant-<id> -s bearerOnly=false`,
})

var ServiceAccountOff = define(&Code{
	ID:       "SERVICE_ACCOUNT_DISABLED",
	Check:    CheckCredentials,
	Severity: Fail,
	Title:    "client_credentials not allowed for this client",
	Meaning: `Keycloak answered 401 {"error":"unauthorized_client",...} to the client_credentials grant: "Public client not allowed to retrieve service account" (public client, e.g. admin-portal) ` +
		`or "Client not enabled to retrieve service account" (confidential client without service accounts). Same in 17-26; event CLIENT_LOGIN_ERROR, error invalid_client. ` +
		`authdoctor uses client_credentials whenever no username and password are given.`,
	Causes: []string{
		"No username/password were given, so authdoctor tried client_credentials on a public client such as admin-portal.",
		"The confidential client has \"Service accounts roles\" switched off.",
		"Wrong client: the platform's machine clients are confidential ones such as service-account or api-key-client, not admin-portal.",
	},
	Fix: steps(
		"To test a user (e.g. an administrator on admin-portal), give --username and --password (USERNAME, PASSWORD) so the password grant is used.",
		"To test a machine client, use a confidential client with service accounts and its secret.",
		"To allow client_credentials on a confidential client, switch on Service accounts roles. Do not make admin-portal confidential: the admin portal logs users in through it as a public client.",
	),
	Console: `Clients > <client> > Settings > Capability config > Client authentication` + "\n" +
		`Clients > <client> > Settings > Capability config > Service accounts roles`,
	Command: `kcadm.sh get clients -r tenant-<id> -q clientId=<client> --fields id,publicClient,serviceAccountsEnabled` + "\n" +
		`kcadm.sh update clients/<client-uuid> -r tenant-<id> -s serviceAccountsEnabled=true`,
})

var DirectGrantsOff = define(&Code{
	ID:       "DIRECT_GRANTS_DISABLED",
	Check:    CheckCredentials,
	Severity: Fail,
	Title:    "Password grant not allowed: Direct access grants disabled",
	Meaning: `Keycloak answered 400 {"error":"unauthorized_client","error_description":"Client not allowed for direct access grants"} (same in 17-26; event LOGIN_ERROR, error not_allowed). ` +
		`The client does not allow the resource owner password grant that authdoctor uses when a username and password are given. The password was not checked.`,
	Causes: []string{
		"\"Direct access grants\" is switched off on the client.",
		"Wrong client: a browser-only client was used instead of one that allows direct grants (admin-portal does in the platform's realm export).",
	},
	Fix: steps(
		"Use a client that allows direct access grants, or",
		"switch on Direct access grants for this client (console, or kcadm.sh update clients/$CID -s directAccessGrantsEnabled=true), if password logins are acceptable for it.",
	),
	Console: `Clients > <client> > Settings > Capability config > Direct access grants`,
	Command: `kcadm.sh update clients/<client-uuid> -r tenant-<id> -s directAccessGrantsEnabled=true`,
})

var ConsentRequired = define(&Code{
	ID:       "CONSENT_REQUIRED",
	Check:    CheckCredentials,
	Severity: Fail,
	Title:    "Client requires user consent; password grant cannot give it",
	Meaning: `Keycloak answered 400 {"error":"invalid_client","error_description":"Client requires user consent"} (same in 17-26; event error consent_denied). ` +
		`The password grant has no screen on which the user could consent, so Keycloak refuses it for clients with "Consent required" on.`,
	Causes: []string{
		"\"Consent required\" is on for this client.",
		"Wrong client: one meant for third-party browser logins was used.",
	},
	Fix: steps(
		"Switch off Consent required for this client, or",
		"use a client without consent for the password grant.",
	),
	Console: `Clients > <client> > Settings > Login settings > Consent required`,
	Command: `kcadm.sh update clients/<client-uuid> -r tenant-<id> -s consentRequired=false`,
})

var InvalidUserCredentials = define(&Code{
	ID:       "INVALID_USER_CREDENTIALS",
	Check:    CheckCredentials,
	Severity: Fail,
	Title:    "Invalid user credentials (wrong password, unknown user or locked out)",
	Meaning: `Keycloak answered {"error":"invalid_grant","error_description":"Invalid user credentials"}: HTTP 401 up to 26.5, 400 from 26.6. ` +
		`The answer is deliberately the same for a wrong password, an unknown username and a brute-force lockout (even with the right password). ` +
		`Only the LOGIN_ERROR event tells them apart: error invalid_user_credentials, user_not_found or user_temporarily_disabled. ` +
		`A 401 invalid_request with the same description means the username matched more than one user (e.g. a duplicated e-mail).`,
	Causes: []string{
		"Wrong password, or a password changed by shell quoting (special characters).",
		"The user does not exist in this realm (another tenant's realm, or master).",
		"Temporary brute-force lockout after repeated failures (the platform's tenant realm export has brute-force detection on).",
		"An e-mail address was given as username while Login with email is off, or a federated (LDAP) user's password was rejected by the directory.",
	},
	Fix: steps(
		"Check the event: Events > User events, filter Event type LOGIN_ERROR and the user (needs Save events on), or kcadm.sh get events -r tenant-<id> -q type=LOGIN_ERROR.",
		"user_not_found: check the realm and the username (kcadm.sh get users).",
		"user_temporarily_disabled: wait for the lockout to end or clear it (kcadm.sh delete attack-detection/brute-force/users/$USER_ID), then find what keeps sending the wrong password.",
		"invalid_user_credentials: reset the password (without --temporary, or the next login fails with ACCOUNT_NOT_SET_UP).",
	),
	Console: `Events > User events (Event type LOGIN_ERROR)` + "\n" +
		`Users > <user> > Credentials > Reset password` + "\n" +
		`Realm settings > Events > User events settings > Save events` + "\n" +
		`Realm settings > Login > Login with email`,
	Command: `kcadm.sh get events -r tenant-<id> -q type=LOGIN_ERROR -q max=10` + "\n" +
		`kcadm.sh get users -r tenant-<id> -q username=<user> -q exact=true --fields id,username,enabled` + "\n" +
		`kcadm.sh get attack-detection/brute-force/users/<user-id> -r tenant-<id>` + "\n" +
		`kcadm.sh delete attack-detection/brute-force/users/<user-id> -r tenant-<id>` + "\n" +
		`kcadm.sh set-password -r tenant-<id> --username <user> --new-password '<password>'`,
})

var AccountDisabled = define(&Code{
	ID:       "ACCOUNT_DISABLED",
	Check:    CheckCredentials,
	Severity: Fail,
	Title:    "User account is disabled",
	Meaning: `Keycloak answered 400 {"error":"invalid_grant","error_description":"Account disabled"} (same in 17-26; event error user_disabled). ` +
		`The user exists and is disabled, either by an administrator or by a permanent brute-force lockout. ` +
		`For client_credentials the answer is 401 {"error":"invalid_request","error_description":"User 'service-account-<client>' disabled"}: the client's service-account user is disabled.`,
	Causes: []string{
		"An administrator disabled the user.",
		"Permanent lockout by brute-force detection after repeated failed logins.",
		"The user was imported or created with enabled=false.",
		"client_credentials: the service-account-<client> user was disabled.",
	},
	Fix: steps(
		"Check why the user is disabled before enabling it (offboarding, security incident).",
		"Enable the user (console, or kcadm.sh update users/$USER_ID -s enabled=true); if it was a lockout, also clear the brute-force state.",
	),
	Console: `Users > <user> > Enabled (switch at the top of the page)`,
	Command: `kcadm.sh get users -r tenant-<id> -q username=<user> -q exact=true --fields id,username,enabled` + "\n" +
		`kcadm.sh update users/<user-id> -r tenant-<id> -s enabled=true` + "\n" +
		`kcadm.sh delete attack-detection/brute-force/users/<user-id> -r tenant-<id>`,
})

var AccountNotSetUp = define(&Code{
	ID:       "ACCOUNT_NOT_SET_UP",
	Check:    CheckCredentials,
	Severity: Fail,
	Title:    "Account is not fully set up (required actions pending)",
	Meaning: `Keycloak answered 400 {"error":"invalid_grant","error_description":"Account is not fully set up"} (same in 17-26; event error resolve_required_actions). ` +
		`The password was right, but the user has something to do in a browser first, which the password grant cannot show. ` +
		`On 24+ this also happens when the user profile requires attributes the user lacks (e.g. email, firstName, lastName), even when the user's required actions list is empty.`,
	Causes: []string{
		"A required action is pending: Update Password (e.g. the password was set as temporary), Verify Email, Configure OTP, Update Profile.",
		"24+: a user-profile attribute is missing (email, first name, last name), so Verify Profile fires with an empty required-actions list.",
	},
	Fix: steps(
		"Log in once through the browser (e.g. the admin portal) and complete the requested steps, or",
		"clear the required actions and fill in the missing fields: email, first name, last name, Email verified (console, or kcadm.sh update users/$USER_ID).",
		"When setting a password for a test user, do not mark it temporary.",
		"On 24+, compare the user with the realm's user profile if the required actions list is already empty.",
	),
	Console: `Users > <user> > Details > Required user actions` + "\n" +
		`Users > <user> > Details (Email, Email verified, First name, Last name)` + "\n" +
		`Realm settings > User profile`,
	Command: `kcadm.sh get users -r tenant-<id> -q username=<user> -q exact=true --fields id,requiredActions,email,emailVerified,firstName,lastName` + "\n" +
		`kcadm.sh update users/<user-id> -r tenant-<id> -s 'requiredActions=[]' -s emailVerified=true`,
})

var InvalidScope = define(&Code{
	ID:       "INVALID_SCOPE",
	Check:    CheckCredentials,
	Severity: Fail,
	Title:    "Requested scope not allowed",
	Meaning: `Keycloak refused the scope parameter: 400 {"error":"invalid_scope","error_description":"Invalid scopes: <scope>"} when a scope is neither a default nor an optional client scope of the client, ` +
		`or 400 {"error":"not_allowed","error_description":"Offline tokens not allowed for the user or client"} for offline_access when the user lacks the offline_access role or the client lacks that scope. ` +
		`authdoctor requests scope "openid" unless --scope (KEYCLOAK_SCOPE) says otherwise.`,
	Causes: []string{
		"A scope was requested that is not assigned to this client.",
		"offline_access requested, but the user does not have the offline_access role (normally part of default-roles-<realm>).",
		"offline_access requested, but the offline_access client scope is not assigned to the client.",
	},
	Fix: steps(
		"Request only scopes listed on the client's Client scopes tab, or add the scope there as Default or Optional.",
		"For offline tokens, give the user the offline_access role and assign the offline_access client scope to the client.",
	),
	Console: `Clients > <client> > Client scopes` + "\n" + `Users > <user> > Role mapping`,
	Command: `kcadm.sh get clients/<client-uuid>/default-client-scopes -r tenant-<id> --fields name` + "\n" +
		`kcadm.sh get clients/<client-uuid>/optional-client-scopes -r tenant-<id> --fields name`,
})

var GrantRejected = define(&Code{
	ID:       "GRANT_REJECTED",
	Check:    CheckCredentials,
	Severity: Fail,
	Title:    "Token request rejected for a reason authdoctor does not recognise",
	Meaning: `Keycloak answered the token request with an OAuth error that is not one of the known cases; the message quotes its "error" and "error_description". ` +
		`Examples are "Missing client_id parameter", "Unexpected error when authenticating client", a client policy's own error, or answers from newer Keycloak versions.`,
	Causes: []string{
		"A client policy or custom authenticator on the server rejected the request.",
		"A Keycloak version whose wording authdoctor does not know yet.",
		"A malformed request (missing or duplicated parameter).",
		"authdoctor itself refused to send the password a second time in the same run (the message says so); it never sends a password twice.",
	},
	Fix: steps(
		"Read the quoted error_description; it usually names the problem.",
		"Look at the matching event (details.reason holds client-policy and required-action reasons) and at the Keycloak server log.",
		"If the reason is a known one phrased differently, report it so authdoctor can classify it.",
	),
	Console: `Events > User events`,
	Command: `kcadm.sh get events -r tenant-<id> -q max=10`,
})

// The codes below refine INVALID_USER_CREDENTIALS and its kin with the
// server's own LOGIN_ERROR event, read through the admin API: Keycloak
// answers them all with the same bytes.

var UserNotFound = define(&Code{
	ID:       "USER_NOT_FOUND",
	Check:    CheckCredentials,
	Severity: Fail,
	Title:    "No such user in this realm (the server's LOGIN_ERROR event says user_not_found)",
	Meaning: `Keycloak answered "Invalid user credentials", which it also answers for a wrong password and a locked account; its LOGIN_ERROR event for this very attempt has the error user_not_found. ` +
		`No user with this username (or e-mail, when Login with email is on) exists in the realm the request went to.`,
	Causes: []string{
		"A typo in USERNAME, or an e-mail address given while Login with email is off.",
		"The user exists in another realm: another tenant's realm, or master (tenant-<id> is derived from TENANT_ID).",
		"The user was deleted, or a user federation (LDAP) no longer finds it.",
	},
	Fix: steps(
		"Check the username against the realm's users (kcadm.sh get users -q username=<user>); usernames are stored in lower case.",
		"Check that TENANT_ID names the tenant the user belongs to.",
		"If the user signs in with an e-mail address, turn on Login with email, or use the username.",
	),
	Console: `Users (search the username)` + "\n" +
		`Realm settings > Login > Login with email`,
	Command: `kcadm.sh get users -r tenant-<id> -q username=<user> -q exact=true --fields id,username,enabled`,
})

var AccountLocked = define(&Code{
	ID:       "ACCOUNT_LOCKED",
	Check:    CheckCredentials,
	Severity: Fail,
	Title:    "Account locked by brute-force detection (the server's LOGIN_ERROR event says so)",
	Meaning: `Keycloak answered "Invalid user credentials", which it also answers for a wrong password, but its LOGIN_ERROR event for this attempt has the error user_temporarily_disabled (a temporary lockout) or user_disabled after failures (a permanent lockout). ` +
		`While the account is locked even the right password is refused with the same answer. The message says how many failures Keycloak counted and, when the realm's settings make it readable, when the lockout lifts.`,
	Causes: []string{
		"Repeated wrong passwords from a script, a CI job or an application with an old password.",
		"Someone (or something) guessing passwords for this username.",
		"A permanent lockout: the realm's brute-force detection disables the user after the limit, until an administrator enables it.",
	},
	Fix: steps(
		"Find what sent the wrong passwords: the LOGIN_ERROR events list the client and IP address of each failure (authdoctor events --user <user>).",
		"Clear the lockout (kcadm.sh delete attack-detection/brute-force/users/$USER_ID, or the admin console), or wait until it lifts; a permanent lockout needs the user enabled again.",
		"Fix the password in the client that kept failing before it locks the account again.",
	),
	Console: `Users > <user> > (banner) Unlock / Enabled` + "\n" +
		`Realm settings > Security defenses > Brute force detection`,
	Command: `kcadm.sh get attack-detection/brute-force/users/<user-id> -r tenant-<id>` + "\n" +
		`kcadm.sh delete attack-detection/brute-force/users/<user-id> -r tenant-<id>` + "\n" +
		`kcadm.sh update users/<user-id> -r tenant-<id> -s enabled=true`,
	Cases: map[string]Case{
		// A permanent lockout disabled the user: deleting the brute-force
		// record leaves it disabled (AttackDetectionResource), enabling it
		// clears the lockout too (UserResource.updateUser).
		CasePermanentLockout: {
			When: "the lockout is permanent: Keycloak disabled the user",
			Fix: steps(
				"Enable the user again (kcadm.sh update users/$USER_ID -s enabled=true, or Users > <user> > Enabled on): that also clears the lockout, while deleting the brute-force record alone leaves the user disabled.",
				"Find what sent the wrong passwords: the LOGIN_ERROR events list the client and IP address of each failure (authdoctor events --user <user>).",
				"Fix the password in the client that kept failing before it locks the account again.",
			),
			Console: `Users > <user> > Enabled` + "\n" +
				`Realm settings > Security defenses > Brute force detection`,
			Command: `kcadm.sh update users/<user-id> -r tenant-<id> -s enabled=true` + "\n" +
				`kcadm.sh get attack-detection/brute-force/users/<user-id> -r tenant-<id>`,
		},
	},
})

// CasePermanentLockout is the case of ACCOUNT_LOCKED where the lockout is
// permanent, so only enabling the user lifts it.
const CasePermanentLockout = "permanent-lockout"

var TokenLifetimeInvalid = define(&Code{
	ID:       "TOKEN_LIFETIME_INVALID",
	Check:    CheckCredentials,
	Severity: Fail,
	Title:    "Token granted with a zero or negative lifetime",
	Meaning: `The token answer states expires_in of 0 or less (or a negative refresh_expires_in): the access token is expired the moment it arrives, so every API call with it fails (Hasura: JWTExpired). ` +
		`Keycloak computes expires_in as the token's exp minus now; the access-token lifespan comes from the client attribute access.token.lifespan when it is set, else from the realm's Access Token Lifespan, and -1 means "until the session ends". ` +
		`Any other value of 0 or below gives an expired token. authdoctor reports the stated number as it is and never treats such a token as valid. Later checks can report this code for the refreshed token too.`,
	Causes: []string{
		"The client's Access Token Lifespan (attribute access.token.lifespan) is set to 0 or a negative number other than -1, through the admin REST API or an imported realm file.",
		"The realm's Access Token Lifespan is 0.",
		"A proxy or gateway in front of Keycloak rewrites the token answer.",
	},
	Fix: steps(
		"Set the client's Access Token Lifespan to a positive number of seconds, or remove the attribute so the realm's lifespan applies (kcadm.sh update clients/$CID -s 'attributes.\"access.token.lifespan\"=300').",
		"Check the realm's Access Token Lifespan (Realm settings > Tokens); Keycloak's default is 300 s.",
		"If neither is set that way, request the token endpoint with curl and compare the answer: something between authdoctor and Keycloak changes it.",
	),
	Console: `Clients > <client> > Advanced > Advanced settings > Access Token Lifespan` + "\n" +
		`Realm settings > Tokens > Access Token Lifespan`,
	Command: `kcadm.sh update clients/<client-uuid> -r tenant-<id> -s 'attributes."access.token.lifespan"=300'`,
})

var ShortTokenLifetime = define(&Code{
	ID:       "SHORT_TOKEN_LIFETIME",
	Check:    CheckCredentials,
	Severity: Warn,
	Title:    "Access token lives less than a minute",
	Meaning: `The token answer states expires_in under 60 s. Such a token can expire between being read and being checked by the API: ` +
		`a few seconds of clock skew between Keycloak and the API, a slow request or a retry are enough for the API to answer JWTExpired, and a job must refresh (or log in again) more than once a minute. ` +
		`Keycloak takes the lifespan from the client attribute access.token.lifespan when set, else from the realm's Access Token Lifespan (default 300 s; 60 s in the master realm); the session's maximum also caps it near the session's end.`,
	Causes: []string{
		"The client's Access Token Lifespan (attribute access.token.lifespan) was set very low, for testing or by mistake (seconds instead of minutes).",
		"The realm's Access Token Lifespan was lowered.",
		"The SSO session (or client session) is about to reach its maximum lifespan, which caps the token's exp.",
	},
	Fix: steps(
		"If the short lifetime is not intended, raise the client's Access Token Lifespan (or remove the attribute to use the realm's) with kcadm.sh update clients/$CID.",
		"If it is intended, make sure the callers refresh well before expiry and that the API allows for clock skew.",
	),
	Console: `Clients > <client> > Advanced > Advanced settings > Access Token Lifespan` + "\n" +
		`Realm settings > Tokens > Access Token Lifespan`,
	Command: `kcadm.sh update clients/<client-uuid> -r tenant-<id> -s 'attributes."access.token.lifespan"=300'`,
})
