package codes

// Codes of the "realm" check: the realm, its discovery document, and answers that are not what Keycloak sends.

// CheckRealm is the id of the check these codes belong to.
const CheckRealm CheckID = "realm"

var RealmNotFound = define(&Code{
	ID:       "REALM_NOT_FOUND",
	Check:    CheckRealm,
	Severity: Fail,
	Title:    "Realm does not exist on this Keycloak",
	Meaning: `Keycloak answered 404 {"error":"Realm does not exist"} for GET {base}/realms/{realm} or the token endpoint (24.x-25.x add "error_description":"For more on this error consult the server log at the debug level."). ` +
		`The base path is right (Keycloak routed the request to its realm resource) but no realm has that name. Realm names are case-sensitive.`,
	Causes: []string{
		"Typo or wrong tenant id: realms are named tenant-<TENANT_ID> with a hyphen (not tenant/<id>); election-event realms are tenant-<tenantId>-event-<eventId>.",
		"Wrong Keycloak instance (e.g. staging URL with a production tenant id).",
		"The realm has not been created or imported yet, or was deleted.",
	},
	Fix: steps(
		"List the realms that exist (kcadm.sh get realms, after logging in as a master-realm admin) and compare with the realm used, character by character. authdoctor uses tenant-<TENANT_ID> unless --realm (KEYCLOAK_REALM) is given.",
		"Check the tenant id against the platform's tenant list.",
		"If the realm is missing, import or create it before testing anything else.",
	),
	Console: `Realm selector (top of the left-hand menu): lists every realm`,
	Command: KcadmLogin + "\n" +
		`kcadm.sh get realms --fields realm,enabled`,
})

var TenantPrefixDoubled = define(&Code{
	ID:       "TENANT_PREFIX_DOUBLED",
	Check:    CheckRealm,
	Severity: Fail,
	Title:    "Tenant id given with its tenant- prefix (realm tenant-tenant-...)",
	Meaning: `The realm tenant-tenant-<id> does not exist, but tenant-<id> does: the tenant id was given with the tenant- prefix that the realm name adds, so the prefix appears twice. ` +
		`authdoctor found this by asking Keycloak for the realm's public info (GET {base}/realms/tenant-<id>, no credentials sent): 200 for the realm without the doubled prefix, 404 {"error":"Realm does not exist"} for the one used.`,
	Causes: []string{
		"TENANT_ID was copied from the realm name (tenant-<id>) instead of the tenant id (<id>).",
		"--realm (KEYCLOAK_REALM) was built as tenant-$TENANT_ID from a variable that already held the realm name.",
	},
	Fix: steps(
		"Set TENANT_ID to the tenant id without the tenant- prefix (the message shows the exact value), or give the realm itself with --realm tenant-<id>.",
		"Fix the same variable wherever else it is built into a realm name (application settings, Hasura's jwk_url).",
	),
	Console: `Realm selector (top of the left-hand menu): lists every realm`,
	Command: `kcadm.sh get realms --fields realm,enabled`,
})

var RealmGivenAsTenantID = define(&Code{
	ID:       "REALM_GIVEN_AS_TENANT_ID",
	Check:    CheckRealm,
	Severity: Fail,
	Title:    "A realm name was given as TENANT_ID",
	Meaning: `The realm tenant-<TENANT_ID> does not exist, but a realm named exactly <TENANT_ID> does: TENANT_ID holds a realm name, and authdoctor builds the realm as tenant-<TENANT_ID>. ` +
		`Found by asking Keycloak for the realm's public info (GET {base}/realms/<name>, no credentials sent).`,
	Causes: []string{
		"The realm does not follow the tenant-<id> naming (a realm created by hand, a shared realm, master).",
		"TENANT_ID was filled from a KEYCLOAK_REALM-style setting of another tool.",
	},
	Fix: steps(
		"Give the realm directly with --realm <name> (KEYCLOAK_REALM=<name>); the message shows the exact value.",
		"If the application really uses tenant-<id> realms, find the tenant id of this tenant and set TENANT_ID to it instead.",
	),
	Console: `Realm selector (top of the left-hand menu): lists every realm`,
	Command: `kcadm.sh get realms --fields realm,enabled`,
})

var TenantIDGivenAsRealm = define(&Code{
	ID:       "TENANT_ID_GIVEN_AS_REALM",
	Check:    CheckRealm,
	Severity: Fail,
	Title:    "A tenant id was given as the realm name",
	Meaning: `The realm given with --realm (KEYCLOAK_REALM) does not exist, but tenant-<that value> does: the value is a tenant id, and the realm of a tenant is named tenant-<id>. ` +
		`Found by asking Keycloak for the realm's public info (GET {base}/realms/tenant-<id>, no credentials sent).`,
	Causes: []string{
		"KEYCLOAK_REALM was set to the tenant id.",
		"A script passes the tenant id where a realm name is expected.",
	},
	Fix: steps(
		"Give the realm as --realm tenant-<id> (the message shows the exact value), or drop --realm and set TENANT_ID=<id>.",
	),
	Console: `Realm selector (top of the left-hand menu): lists every realm`,
	Command: `kcadm.sh get realms --fields realm,enabled`,
})

var RealmNameCase = define(&Code{
	ID:       "REALM_NAME_CASE",
	Check:    CheckRealm,
	Severity: Fail,
	Title:    "Realm name differs only in upper/lower case",
	Meaning: `The realm used does not exist, but the same name in lower case does. Keycloak's realm names are case-sensitive: /realms/Tenant-X answers 404 {"error":"Realm does not exist"} while /realms/tenant-x exists. ` +
		`Found by asking Keycloak for the realm's public info (GET {base}/realms/<name>, no credentials sent).`,
	Causes: []string{
		"The tenant id was written in upper case (a UUID printed by a tool that upper-cases it).",
		"The realm name was typed with a capital letter (Tenant-..., or a capitalised realm).",
	},
	Fix: steps(
		"Use the name exactly as Keycloak has it (the message shows the exact TENANT_ID or --realm value to set).",
		"Fix the same value wherever else the realm is named (application settings, Hasura's jwk_url): the issuer in tokens keeps the realm's case.",
	),
	Console: `Realm selector (top of the left-hand menu): lists every realm`,
	Command: `kcadm.sh get realms --fields realm`,
})

var BasePathMismatch = define(&Code{
	ID:       "BASE_PATH_MISMATCH",
	Check:    CheckRealm,
	Severity: Fail,
	Title:    "Keycloak base path is wrong (with or without /auth)",
	Meaning: `The realm was not found under the URL given, but answers under the other layout: with /auth added or removed. ` +
		`Keycloak 17+ (Quarkus) serves /realms/... with no prefix unless started with --http-relative-path=/auth; WildFly-based releases up to 16 always use /auth. ` +
		`On the wrong path Keycloak answers 404 {"error":"RESTEASY003210: Could not find resource for full path: ..."} (17 to about 22) or {"error":"Unable to find matching target resource method"} (23+).`,
	Causes: []string{
		"An /auth URL from old documentation or a WildFly-era configuration used against Keycloak 17+.",
		"The server was started with --http-relative-path=/auth and the URL lacks /auth.",
		"A reverse proxy adds or strips a path prefix.",
	},
	Fix: steps(
		"Use the base URL authdoctor found (the message shows it) as --keycloak-url / KEYCLOAK_URL and run again.",
		"Apply the same base URL everywhere the realm is referenced: application KEYCLOAK_URL settings and Hasura's jwk_url.",
		"If you want to keep /auth, start Keycloak with --http-relative-path=/auth instead of rewriting paths in the proxy.",
	),
	Command: `curl -s -o /dev/null -w '%{http_code}\n' -H 'Accept: application/json' $KEYCLOAK_URL/realms/tenant-<id>` + "\n" +
		`curl -s -o /dev/null -w '%{http_code}\n' -H 'Accept: application/json' $KEYCLOAK_URL/auth/realms/tenant-<id>`,
})

var UnexpectedAnswer = define(&Code{
	ID:       "UNEXPECTED_RESPONSE",
	Check:    CheckRealm,
	Severity: Fail,
	Title:    "Answer is not what a Keycloak/OAuth server sends",
	Meaning: `The server answered, but not with the JSON Keycloak sends (a realm document, discovery document, token response or {"error":...}). ` +
		`Typical answers are an HTML page, a redirect, a proxy error page (502/503/504), a 5xx that persisted after retries, a 200 that is not a token, or a key set (certs) that cannot be read. ` +
		`authdoctor sends Accept: application/json, so an HTML page normally comes from something in front of Keycloak or from another application. The message quotes the status, content type and start of the body; later checks can report this code too.`,
	Causes: []string{
		"The URL points to another service: a web front end, the Hasura console, an ingress default backend.",
		"A single-sign-on gateway or proxy in front of Keycloak redirects API calls to a login page (3xx).",
		"The reverse proxy cannot reach Keycloak (Keycloak down, restarting, or wrong upstream), so the proxy answers with its own error page.",
		"Keycloak itself fails with a 5xx (database unreachable, out of memory); Keycloak 26 adds \"For more on this error consult the server log.\" to 5xx bodies.",
	},
	Fix: steps(
		"Read the quoted body: an HTML title or proxy signature tells you who answered.",
		"Request the realm URL with curl and check that the answer is JSON starting with {\"realm\":...}.",
		"For 5xx answers, look at the Keycloak server log at the time of the request.",
	),
	Command: `curl -si -H 'Accept: application/json' $KEYCLOAK_URL/realms/tenant-<id>`,
})

var IssuerMismatch = define(&Code{
	ID:       "ISSUER_MISMATCH",
	Check:    CheckRealm,
	Severity: Warn,
	Title:    "Discovery issuer differs from the URL used",
	Meaning: `The issuer in {base}/realms/{realm}/.well-known/openid-configuration is not the URL authdoctor used. ` +
		`Keycloak puts that issuer into every token's iss, and it depends on Keycloak's hostname / frontend URL configuration and on the host the request came in with. ` +
		`Hasura configured with "issuer" rejects tokens whose iss differs ("Could not verify JWT: JWTNotInIssuer"), and Keycloak 26 rejects a refresh through a different hostname ("Invalid token issuer. Expected '...'").`,
	Causes: []string{
		"authdoctor was pointed at an internal URL (e.g. http://keycloak:8080) while Keycloak's hostname is the public one, or the reverse.",
		"Keycloak's --hostname option or the realm's Frontend URL is set to a different URL.",
		"TLS ends at a reverse proxy that does not forward the original host/scheme, or Keycloak does not trust the forwarded headers (--proxy-headers xforwarded|forwarded on 24+; --proxy edge|reencrypt on 17-25, removed in 26).",
	},
	Fix: steps(
		"Decide which URL is the public one and use exactly that URL in authdoctor, in the applications, and in Hasura's JWT configuration.",
		"If the issuer itself is wrong, fix Keycloak's --hostname setting or the realm's Frontend URL, and the proxy headers.",
		"Check the issuer with curl (.well-known/openid-configuration, .issuer) after every change.",
	),
	Console: `Realm settings > General > Frontend URL`,
	Command: `curl -s -H 'Accept: application/json' $KEYCLOAK_URL/realms/tenant-<id>/.well-known/openid-configuration | jq -r .issuer`,
})
