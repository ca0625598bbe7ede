package codes

// Codes of the "refresh" check: the refresh-token grant.

// CheckRefresh is the id of the check these codes belong to.
const CheckRefresh CheckID = "refresh"

var NoRefreshToken = define(&Code{
	ID:       "NO_REFRESH_TOKEN",
	Check:    CheckRefresh,
	Severity: Warn,
	Title:    "Password grant returned no refresh token",
	Meaning: `The token response had no refresh_token, so the refresh could not be tested and applications using this client must log in again when the access token expires. ` +
		`For client_credentials no refresh token is Keycloak's default (client attribute client_credentials.use_refresh_token is false), so authdoctor skips the refresh check there; for the password grant it means the client has refresh tokens switched off.`,
	Causes: []string{
		"\"Use refresh tokens\" is off for the client (attribute use.refresh.tokens=false).",
		"The URL points to a gateway or backend-for-frontend that keeps the refresh token instead of passing it on.",
	},
	Fix: steps(
		"Switch on Use refresh tokens for the client if its applications need to refresh.",
		"If the missing refresh token is intended, ignore this warning.",
	),
	Console: `Clients > <client> > Advanced > OpenID Connect Compatibility Modes > Use refresh tokens`,
	Command: `kcadm.sh update clients/<client-uuid> -r tenant-<id> -s 'attributes."use.refresh.tokens"=true'`,
})

var RefreshRejected = define(&Code{
	ID:       "REFRESH_REJECTED",
	Check:    CheckRefresh,
	Severity: Fail,
	Title:    "Refresh token rejected",
	Meaning: `Keycloak answered the refresh_token grant with 400 {"error":"invalid_grant",...}; the message quotes the reason: "Token is not active" (refresh token expired), "Session not active", "Stale token", ` +
		`"Invalid refresh token. Token client and authorized client don't match", or on 26 "Invalid token issuer. Expected '...'". ` +
		`The event is REFRESH_TOKEN_ERROR with error invalid_token and the reason in details.reason, but that event type is not saved by default.`,
	Causes: []string{
		"Session not active / Token is not active: the session ended (logout, admin sign-out, SSO Session Idle default 1800 s or Max 36000 s passed, sessions lost on a restart of a pre-26 setup).",
		"Stale token or \"Maximum allowed refresh token reuse exceeded\": Revoke refresh token is on and the refresh token was already used, or tokens were revoked (not-before).",
		"Token client and authorized client don't match: the refresh was sent with another client_id than the one that obtained it.",
		"26: Invalid token issuer: the refresh went through another hostname than the login (see ISSUER_MISMATCH).",
	},
	Fix: steps(
		"Act on the quoted reason; check SSO Session Idle/Max and Revoke refresh token in the realm settings.",
		"Refresh through the same Keycloak URL and client_id that obtained the token.",
		"To see these failures later, add REFRESH_TOKEN_ERROR to the saved event types, then read it with kcadm.sh get events.",
	),
	Console: `Realm settings > Sessions > SSO Session Idle / SSO Session Max` + "\n" +
		`Realm settings > Tokens > Revoke refresh token` + "\n" +
		`Realm settings > Events > User events settings > Save events (event types: add REFRESH_TOKEN_ERROR)`,
	Command: `kcadm.sh get events -r tenant-<id> -q type=REFRESH_TOKEN_ERROR -q max=10`,
})
