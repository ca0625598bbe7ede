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

var JobOutlivesSession = define(&Code{
	ID:       "JOB_OUTLIVES_SESSION",
	Check:    CheckRefresh,
	Severity: Fail,
	Title:    "The job runs longer than the session can keep access",
	Meaning: `--job-duration (JOB_DURATION) says how long the job that uses this login runs, and the session cannot last that long: refreshing extends a session only up to its maximum lifespan. ` +
		`Keycloak ends a refreshable session at the earliest of the realm's SSO Session Max (ssoSessionMaxLifespan, default 36000 s = 10 h) and the Client Session Max (the realm's clientSessionMaxLifespan or the client's attribute client.session.max.lifespan, when set); ` +
		`each refresh token's exp is bounded by those and by the idle timeouts. Without a refresh token the job loses access when the first access token expires. The message says at what time into the job access is lost, and why.`,
	Causes: []string{
		"SSO Session Max (or the client's Client Session Max) is shorter than the job.",
		"The client issues no refresh token (Use refresh tokens off), so the job keeps access only for one access-token lifetime.",
		"The job uses an interactive user's login where a service account (client credentials) or an offline token would fit.",
	},
	Fix: steps(
		"For a long unattended job, use a service account (client_credentials grant with the client secret): it requests a new token whenever one expires and has no session to outlive.",
		"Or request an offline token (scope offline_access; the user needs the offline_access role), which is bounded by the offline session settings instead.",
		"Or raise SSO Session Max and the client's Client Session Max above the job's length (the message names the setting), or let the job log in again before the time given.",
	),
	Console: `Realm settings > Sessions > SSO Session Max / Client Session Max` + "\n" +
		`Clients > <client> > Advanced > Advanced settings > Client Session Max`,
	Command: `kcadm.sh get realms/tenant-<id> --fields ssoSessionIdleTimeout,ssoSessionMaxLifespan,clientSessionIdleTimeout,clientSessionMaxLifespan` + "\n" +
		`kcadm.sh update realms/tenant-<id> -s ssoSessionMaxLifespan=<seconds>`,
})

var JobDurationUnverified = define(&Code{
	ID:       "JOB_DURATION_UNVERIFIED",
	Check:    CheckRefresh,
	Severity: Warn,
	Title:    "Whether the session lasts the whole job cannot be told without admin access",
	Meaning: `--job-duration is longer than the refresh token's lifetime (refresh_expires_in), which is the smaller of the session's idle timeout and its remaining maximum lifespan. ` +
		`Refreshing resets the idle timeout but not the maximum, and the token answer does not say which of the two it stated. The realm's SSO Session Max and the client's Client Session Max are readable only through the admin API.`,
	Causes: []string{
		"No admin access was given (--admin-username/--admin-password, --admin-client-secret or --admin-token), or the admin account lacks view-realm and view-clients.",
	},
	Fix: steps(
		"Run again with admin access (view-realm and view-clients in the tenant's realm-management client) so authdoctor can read the session limits.",
		"Or read SSO Session Max and Client Session Max yourself (kcadm.sh get realms/<realm>) and compare them with the job's length.",
	),
	Console: `Realm settings > Sessions > SSO Session Max / Client Session Max`,
	Command: `kcadm.sh get realms/tenant-<id> --fields ssoSessionIdleTimeout,ssoSessionMaxLifespan,clientSessionIdleTimeout,clientSessionMaxLifespan`,
})
