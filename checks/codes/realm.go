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
		"List the realms that exist (kcadm.sh command below, needs a master-realm admin) and compare with the realm used, character by character. authdoctor uses tenant-<TENANT_ID> unless --realm (KEYCLOAK_REALM) is given.",
		"Check the tenant id against the platform's tenant list.",
		"If the realm is missing, import or create it before testing anything else.",
	),
	Console: `Realm selector (top of the left-hand menu): lists every realm`,
	Command: `kcadm.sh config credentials --server $KEYCLOAK_URL --realm master --user admin` + "\n" +
		`kcadm.sh get realms --fields realm,enabled`,
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
		"Request the realm URL with curl (below) and check that the answer is JSON starting with {\"realm\":...}.",
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
		"Check the issuer with the curl command below after every change.",
	),
	Console: `Realm settings > General > Frontend URL`,
	Command: `curl -s -H 'Accept: application/json' $KEYCLOAK_URL/realms/tenant-<id>/.well-known/openid-configuration | jq -r .issuer`,
})
