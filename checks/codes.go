package checks

import (
	"strconv"
	"strings"

	"github.com/authdoctor/authdoctor/keycloak"
)

// Codes returns the documentation of every code authdoctor reports, in check
// order: tls, realm, credentials, roles, graphql, refresh, then the runner.
// `authdoctor explain CODE` prints an entry; reports embed it.
//
// Placeholders used in the texts: tenant-<id> is the realm, <client> the
// client_id, <client-uuid> the client's internal id (from
// `kcadm.sh get clients -r tenant-<id> -q clientId=<client> --fields id`),
// <user> the username, <user-id> the user's internal id.
func Codes() []Code {
	return []Code{
		// ---------------------------------------------------------------
		// tls: reachability and TLS of the Keycloak host and the GraphQL host
		// ---------------------------------------------------------------
		{
			ID:       keycloak.CodeUnreachable,
			Check:    "tls",
			Severity: SeverityFail,
			Title:    "Host unreachable: no HTTP answer at all",
			Meaning: `authdoctor could not open a connection to the host, so nothing is known yet about Keycloak or the GraphQL API behind it. ` +
				`The message says which host and which failure: DNS lookup failed, connection refused, timeout, or connection reset. ` +
				`When only the GraphQL host fails, the message starts with "GraphQL host" and the Keycloak checks still run; a later Keycloak request that fails the same way (e.g. the token request) is reported with this code on its own check.`,
			Causes: []string{
				"Wrong host name or port in the URL, e.g. an internal Docker/Kubernetes name (keycloak:8080) used from outside that network.",
				"The server is not running, is still starting, or listens on another port.",
				"A firewall, security group, VPN or proxy drops or resets the connection.",
				"DNS: the name does not resolve from this machine (split-horizon DNS, missing /etc/hosts entry).",
			},
			Fix: codeSteps(
				"Check the URL you gave authdoctor: scheme, host and port.",
				"From the same machine, run the curl below. \"Could not resolve host\" is DNS; \"Connection refused\" means nothing listens on that port; a hang is a firewall or routing problem.",
				"If Keycloak runs in a container, check that it is up (docker ps / kubectl get pods) and look at its log for the line saying it is listening.",
			),
			Command: `curl -sv -o /dev/null -H 'Accept: application/json' $KEYCLOAK_URL/realms/tenant-<id>`,
		},
		{
			ID:       keycloak.CodeTLSUntrusted,
			Check:    "tls",
			Severity: SeverityFail,
			Title:    "TLS certificate not trusted (unknown certificate authority)",
			Meaning: `The server presented a certificate that does not chain to a CA this machine trusts. ` +
				`Go reports "x509: certificate signed by unknown authority" (on macOS the text can instead end in "certificate is not trusted"). ` +
				`No request was sent over this connection.`,
			Causes: []string{
				"Self-signed certificate or a private/internal CA that is not in this machine's trust store.",
				"The server sends only its leaf certificate and omits the intermediate certificate(s).",
				"A corporate proxy intercepts TLS with its own CA.",
			},
			Fix: codeSteps(
				"Look at the chain the server sends with the openssl command below (issuer and subject of every certificate).",
				"If the server omits intermediates, configure the full chain where TLS ends (reverse proxy, ingress, or Keycloak's certificate file).",
				"If the CA is private, pass it with --ca-file <pem> (trusted in addition to the system roots), or add it to the system trust store.",
				"Use --insecure-skip-tls-verify only to see whether the later checks pass; it is reported as TLS_VERIFY_DISABLED.",
			),
			Command: `openssl s_client -connect <host>:443 -servername <host> -showcerts </dev/null`,
		},
		{
			ID:       keycloak.CodeTLSHostnameMismatch,
			Check:    "tls",
			Severity: SeverityFail,
			Title:    "TLS certificate does not match the host name in the URL",
			Meaning: `The certificate is trusted but not valid for the name or IP address in the URL. ` +
				`Go reports e.g. "x509: certificate is valid for keycloak.example.com, not localhost", "x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs" ` +
				`or "x509: certificate relies on legacy Common Name field, use SANs instead".`,
			Causes: []string{
				"The URL uses an internal name, an alias or an IP address instead of the public name on the certificate.",
				"The certificate was issued for another host, or a load balancer serves a default certificate for this name (SNI not configured).",
				"The certificate has only a Common Name and no Subject Alternative Names.",
			},
			Fix: codeSteps(
				"Use the host name listed in the certificate's Subject Alternative Names (openssl command below).",
				"Prefer the same public name your applications use: Keycloak puts the host name of the issuing request into the token's iss, and Hasura may check it.",
				"If the certificate's name does not resolve from this machine, keep it in the URL and connect to the right address with --resolve <host>:443:<ip>.",
				"Otherwise reissue the certificate with the missing name as a SAN.",
			),
			Command: `openssl s_client -connect <host>:443 -servername <host> </dev/null 2>/dev/null | openssl x509 -noout -subject -ext subjectAltName`,
		},
		{
			ID:       keycloak.CodeTLSExpired,
			Check:    "tls",
			Severity: SeverityFail,
			Title:    "TLS certificate expired or not yet valid",
			Meaning: `The certificate's validity period does not include the current time of this machine. ` +
				`Go reports "x509: certificate has expired or is not yet valid: current time ... is after ..." (expired) or "... is before ..." (not yet valid).`,
			Causes: []string{
				"The certificate expired and was not renewed, or it was renewed but the server (or proxy) still serves the old one.",
				"\"is before\": the certificate is brand new and this machine's clock is behind, or the clock is wrong in general.",
			},
			Fix: codeSteps(
				"Check the dates with the openssl command below and compare with `date -u`.",
				"Renew the certificate where TLS ends (reverse proxy, ingress, or the files given to Keycloak with --https-certificate-file/--https-certificate-key-file) and make sure the server loads the new one.",
				"If the local clock is wrong, sync it (NTP); see also CLOCK_SKEW.",
			),
			Command: `openssl s_client -connect <host>:443 -servername <host> </dev/null 2>/dev/null | openssl x509 -noout -dates`,
		},
		{
			ID:       keycloak.CodeTLSExpiringSoon,
			Check:    "tls",
			Severity: SeverityWarn,
			Title:    "TLS certificate expires in less than 14 days",
			Meaning: `The certificate is valid today but its notAfter date is less than 14 days away. ` +
				`Once it passes, every client fails with TLS_EXPIRED.`,
			Causes: []string{
				"Automatic renewal (e.g. cert-manager, ACME) is not set up or is failing.",
				"A manually installed certificate is due for renewal.",
			},
			Fix: codeSteps(
				"Renew the certificate and deploy it where TLS ends (reverse proxy, ingress or Keycloak).",
				"If renewal is automated, check its logs for why it has not happened yet.",
			),
			Command: `openssl s_client -connect <host>:443 -servername <host> </dev/null 2>/dev/null | openssl x509 -noout -enddate`,
		},
		{
			ID:       keycloak.CodeTLSVerifyDisabled,
			Check:    "tls",
			Severity: SeverityWarn,
			Title:    "TLS certificate verification disabled (--insecure-skip-tls-verify)",
			Meaning: `authdoctor did not verify certificates because --insecure-skip-tls-verify was given. ` +
				`The credentials were sent to a server whose identity was not checked. The message says whether verification would have failed (and why) or whether the certificate verifies anyway, in which case the flag can simply go.`,
			Causes: []string{
				"The flag was added to get past a TLS_UNTRUSTED, TLS_HOSTNAME_MISMATCH or TLS_EXPIRED failure.",
				"The flag is set in a script or CI job and was never removed.",
			},
			Fix: codeSteps(
				"Run again without --insecure-skip-tls-verify and fix the TLS code it reports.",
				"Do not use this flag with production credentials.",
			),
		},
		{
			ID:       keycloak.CodeTLSHandshakeFailed,
			Check:    "tls",
			Severity: SeverityFail,
			Title:    "TLS handshake failed",
			Meaning: `A TCP connection was made but no TLS session could be established, or the certificate failed for a reason other than trust, name or dates (e.g. "x509: certificate specifies an incompatible key usage"). ` +
				`The most common case is https:// to a port that speaks plain HTTP: the message then says the host "does not speak TLS" and quotes Go ("tls: first record does not look like a TLS handshake" or "http: server gave HTTP response to HTTPS client").`,
			Causes: []string{
				"https:// used with a plain-HTTP port, e.g. Keycloak started with start-dev on port 8080.",
				"The server or proxy requires a client certificate (mutual TLS).",
				"No common TLS version or cipher suite between this client and the server.",
				"Something other than a TLS server listens on that port.",
			},
			Fix: codeSteps(
				"If the message says the host does not speak TLS, either use http:// for that port or use the port where TLS is served (often 443 or 8443).",
				"Otherwise inspect the handshake with the openssl command below; it shows the protocol, the cipher and any alert the server sends.",
			),
			Command: `openssl s_client -connect <host>:<port> -servername <host> </dev/null`,
		},
		{
			ID:       keycloak.CodePlainHTTP,
			Check:    "tls",
			Severity: SeverityWarn,
			Title:    "Plain http:// to a non-loopback host",
			Meaning: `The URL uses http:// and the host is not a loopback address, so passwords, client secrets and tokens travel unencrypted. ` +
				`Keycloak itself answers 403 "HTTPS required" on the token endpoint when it sees http from an address it does not consider local (realm Require SSL "external", the default) or always (Require SSL "all").`,
			Causes: []string{
				"The URL was copied from a development setup (e.g. http://keycloak:8080).",
				"TLS ends at a reverse proxy and the URL bypasses it, going straight to Keycloak's HTTP port.",
			},
			Fix: codeSteps(
				"Use the https:// URL that your applications use.",
				"If this is a private development network and plain HTTP is intended, the warning can be ignored; authdoctor refuses to send credentials over it unless --allow-plain-http is given (PLAIN_HTTP_BLOCKED).",
			),
		},

		// ---------------------------------------------------------------
		// realm: GET {base}/realms/{realm} and discovery
		// ---------------------------------------------------------------
		{
			ID:       keycloak.CodeRealmNotFound,
			Check:    "realm",
			Severity: SeverityFail,
			Title:    "Realm does not exist on this Keycloak",
			Meaning: `Keycloak answered 404 {"error":"Realm does not exist"} for GET {base}/realms/{realm} or the token endpoint (24.x-25.x add "error_description":"For more on this error consult the server log at the debug level."). ` +
				`The base path is right (Keycloak routed the request to its realm resource) but no realm has that name. Realm names are case-sensitive.`,
			Causes: []string{
				"Typo or wrong tenant id: realms are named tenant-<TENANT_ID> with a hyphen (not tenant/<id>); election-event realms are tenant-<tenantId>-event-<eventId>.",
				"Wrong Keycloak instance (e.g. staging URL with a production tenant id).",
				"The realm has not been created or imported yet, or was deleted.",
			},
			Fix: codeSteps(
				"List the realms that exist (kcadm.sh command below, needs a master-realm admin) and compare with the realm used, character by character. authdoctor uses tenant-<TENANT_ID> unless --realm (KEYCLOAK_REALM) is given.",
				"Check the tenant id against the platform's tenant list.",
				"If the realm is missing, import or create it before testing anything else.",
			),
			Console: `Realm selector (top of the left-hand menu): lists every realm`,
			Command: `kcadm.sh config credentials --server $KEYCLOAK_URL --realm master --user admin` + "\n" +
				`kcadm.sh get realms --fields realm,enabled`,
		},
		{
			ID:       keycloak.CodeBasePathMismatch,
			Check:    "realm",
			Severity: SeverityFail,
			Title:    "Keycloak base path is wrong (with or without /auth)",
			Meaning: `The realm was not found under the URL given, but answers under the other layout: with /auth added or removed. ` +
				`Keycloak 17+ (Quarkus) serves /realms/... with no prefix unless started with --http-relative-path=/auth; WildFly-based releases up to 16 always use /auth. ` +
				`On the wrong path Keycloak answers 404 {"error":"RESTEASY003210: Could not find resource for full path: ..."} (17 to about 22) or {"error":"Unable to find matching target resource method"} (23+).`,
			Causes: []string{
				"An /auth URL from old documentation or a WildFly-era configuration used against Keycloak 17+.",
				"The server was started with --http-relative-path=/auth and the URL lacks /auth.",
				"A reverse proxy adds or strips a path prefix.",
			},
			Fix: codeSteps(
				"Use the base URL authdoctor found (the message shows it) as --keycloak-url / KEYCLOAK_URL and run again.",
				"Apply the same base URL everywhere the realm is referenced: application KEYCLOAK_URL settings and Hasura's jwk_url.",
				"If you want to keep /auth, start Keycloak with --http-relative-path=/auth instead of rewriting paths in the proxy.",
			),
			Command: `curl -s -o /dev/null -w '%{http_code}\n' -H 'Accept: application/json' $KEYCLOAK_URL/realms/tenant-<id>` + "\n" +
				`curl -s -o /dev/null -w '%{http_code}\n' -H 'Accept: application/json' $KEYCLOAK_URL/auth/realms/tenant-<id>`,
		},
		{
			ID:       keycloak.CodeUnexpectedAnswer,
			Check:    "realm",
			Severity: SeverityFail,
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
			Fix: codeSteps(
				"Read the quoted body: an HTML title or proxy signature tells you who answered.",
				"Request the realm URL with curl (below) and check that the answer is JSON starting with {\"realm\":...}.",
				"For 5xx answers, look at the Keycloak server log at the time of the request.",
			),
			Command: `curl -si -H 'Accept: application/json' $KEYCLOAK_URL/realms/tenant-<id>`,
		},
		{
			ID:       keycloak.CodeIssuerMismatch,
			Check:    "realm",
			Severity: SeverityWarn,
			Title:    "Discovery issuer differs from the URL used",
			Meaning: `The issuer in {base}/realms/{realm}/.well-known/openid-configuration is not the URL authdoctor used. ` +
				`Keycloak puts that issuer into every token's iss, and it depends on Keycloak's hostname / frontend URL configuration and on the host the request came in with. ` +
				`Hasura configured with "issuer" rejects tokens whose iss differs ("Could not verify JWT: JWTNotInIssuer"), and Keycloak 26 rejects a refresh through a different hostname ("Invalid token issuer. Expected '...'").`,
			Causes: []string{
				"authdoctor was pointed at an internal URL (e.g. http://keycloak:8080) while Keycloak's hostname is the public one, or the reverse.",
				"Keycloak's --hostname option or the realm's Frontend URL is set to a different URL.",
				"TLS ends at a reverse proxy that does not forward the original host/scheme, or Keycloak does not trust the forwarded headers (--proxy-headers xforwarded|forwarded on 24+; --proxy edge|reencrypt on 17-25, removed in 26).",
			},
			Fix: codeSteps(
				"Decide which URL is the public one and use exactly that URL in authdoctor, in the applications, and in Hasura's JWT configuration.",
				"If the issuer itself is wrong, fix Keycloak's --hostname setting or the realm's Frontend URL, and the proxy headers.",
				"Check the issuer with the curl command below after every change.",
			),
			Console: `Realm settings > General > Frontend URL`,
			Command: `curl -s -H 'Accept: application/json' $KEYCLOAK_URL/realms/tenant-<id>/.well-known/openid-configuration | jq -r .issuer`,
		},

		// ---------------------------------------------------------------
		// credentials: password grant (username+password) or client_credentials
		// ---------------------------------------------------------------
		{
			ID:       keycloak.CodePlainHTTPBlocked,
			Check:    "credentials",
			Severity: SeverityFail,
			Title:    "Credentials not sent: plain http:// to a non-loopback host",
			Meaning: `authdoctor refused to send a password or client secret over plain HTTP to a host that is not a loopback address. ` +
				`Nothing was sent to Keycloak; this is authdoctor's own safety check, not a Keycloak answer.`,
			Causes: []string{
				"The Keycloak URL uses http:// (see PLAIN_HTTP).",
				"The URL bypasses the TLS-terminating proxy and goes straight to Keycloak's HTTP port.",
			},
			Fix: codeSteps(
				"Use the https:// URL of Keycloak.",
				"On a trusted development network, pass --allow-plain-http to send the credentials anyway.",
			),
		},
		{
			ID:       keycloak.CodeHTTPSRequired,
			Check:    "credentials",
			Severity: SeverityFail,
			Title:    "Keycloak requires HTTPS for this request",
			Meaning: `The token endpoint answered 403 {"error":"invalid_request","error_description":"HTTPS required"}. ` +
				`Keycloak saw the request as http and the realm's Require SSL is "all", or "external" (the default) and the client address is not local. ` +
				`Local means loopback and private ranges (10/8, 172.16/12, 192.168/16); 26 also counts link-local and IPv6 fc00::/7. No event is recorded.`,
			Causes: []string{
				"Plain http:// used from a public address.",
				"TLS ends at a reverse proxy and Keycloak does not know: the proxy does not send X-Forwarded-Proto/Forwarded, or Keycloak does not trust them (--proxy-headers xforwarded|forwarded on 24+; --proxy edge|reencrypt on 17-25).",
				"Require SSL is set to \"all\" on a realm that is served over http.",
			},
			Fix: codeSteps(
				"Call Keycloak over https.",
				"If https already ends at a proxy, make the proxy forward the scheme and start Keycloak with the matching proxy option.",
				"Only on a development realm: set Require SSL to \"none\".",
			),
			Console: `Realm settings > General > Require SSL`,
			Command: `kcadm.sh get realms/tenant-<id> --fields realm,sslRequired`,
		},
		{
			ID:       keycloak.CodeRealmDisabled,
			Check:    "credentials",
			Severity: SeverityFail,
			Title:    "Realm is disabled",
			Meaning: `The token endpoint answered 403 {"error":"access_denied","error_description":"Realm not enabled"}. ` +
				`Keycloak checks this before looking at the client or the user, so nobody can get a token from this realm. No event is recorded.`,
			Causes: []string{
				"An administrator disabled the realm (e.g. a suspended tenant).",
				"The realm was imported with \"enabled\": false.",
			},
			Fix: codeSteps(
				"Confirm that the tenant is supposed to be active.",
				"Enable the realm in the console or with kcadm.sh (below).",
			),
			Console: `Realm settings > Enabled (switch at the top of the page)`,
			Command: `kcadm.sh update realms/tenant-<id> -s enabled=true`,
		},
		{
			ID:       keycloak.CodeClientNotFound,
			Check:    "credentials",
			Severity: SeverityFail,
			Title:    "Client not found (or disabled, on Keycloak 20+)",
			Meaning: `Keycloak 20+ answered 401 {"error":"invalid_client","error_description":"Invalid client or Invalid client credentials"}: this is the answer for an unknown client_id and also for a disabled client, so they cannot be told apart from the response. ` +
				`Keycloak 17-19 answer 400 invalid_client "Invalid client credentials" for an unknown client. ` +
				`If events are saved, the LOGIN_ERROR/CLIENT_LOGIN_ERROR event's error says client_not_found (20+) or client_disabled.`,
			Causes: []string{
				"Typo in the client_id, or the client exists in another realm (admin-portal is a client of each tenant realm tenant-<id>).",
				"The client is disabled (20+ gives the same answer).",
				"The client was never created or imported in this realm.",
			},
			Fix: codeSteps(
				"Look the client up with kcadm.sh (below): [] means it does not exist in this realm; \"enabled\": false means it is disabled.",
				"For administrative work on a tenant use the admin-portal client of realm tenant-<id>.",
				"If it is disabled, enable it (see CLIENT_DISABLED).",
			),
			Console: `Clients (search by Client ID)` + "\n" + `Events > User events (error client_not_found / client_disabled)`,
			Command: `kcadm.sh get clients -r tenant-<id> -q clientId=<client> --fields id,clientId,enabled,publicClient`,
		},
		{
			ID:       keycloak.CodeClientDisabled,
			Check:    "credentials",
			Severity: SeverityFail,
			Title:    "Client is disabled",
			Meaning: `Keycloak 17-19 answer 400 {"error":"unauthorized_client","error_description":"Invalid client credentials"} for a disabled client (event error client_disabled). ` +
				`Keycloak 20+ answer a disabled client like an unknown one (401 invalid_client "Invalid client or Invalid client credentials"), reported as CLIENT_NOT_FOUND.`,
			Causes: []string{
				"An administrator disabled the client.",
				"The client was imported with \"enabled\": false.",
			},
			Fix: codeSteps(
				"Check that the client is meant to be in use.",
				"Enable it in the console or with kcadm.sh (below).",
			),
			Console: `Clients > <client> > Enabled (switch at the top of the page)`,
			Command: `kcadm.sh get clients -r tenant-<id> -q clientId=<client> --fields id,enabled` + "\n" +
				`kcadm.sh update clients/<client-uuid> -r tenant-<id> -s enabled=true`,
		},
		{
			ID:       keycloak.CodeInvalidClientCredentials,
			Check:    "credentials",
			Severity: SeverityFail,
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
			Fix: codeSteps(
				"Read the current secret (console Credentials tab or kcadm.sh below) and pass it exactly as --client-secret / CLIENT_SECRET (single quotes in a shell).",
				"If the secret was regenerated, update every application that uses this client.",
				"If the client should be public (e.g. admin-portal), do not send a secret and use the password grant.",
			),
			Console: `Clients > <client> > Credentials > Client secret`,
			Command: `kcadm.sh get clients/<client-uuid>/client-secret -r tenant-<id>`,
		},
		{
			ID:       keycloak.CodeBearerOnlyClient,
			Check:    "credentials",
			Severity: SeverityFail,
			Title:    "Bearer-only client cannot obtain tokens",
			Meaning: `Keycloak answered 400 {"error":"invalid_client","error_description":"Bearer-only not allowed"} (any grant; no event error is recorded). ` +
				`A bearer-only client only validates tokens; it can never get one from the token endpoint. ` +
				`With client_credentials the answer can instead be 401 unauthorized_client "Bearer-only client not allowed to retrieve service account".`,
			Causes: []string{
				"authdoctor was given the client_id of a backend/resource-server client instead of the client users or services log in with.",
				"The client was created or imported as bearer-only (bearerOnly=true).",
			},
			Fix: codeSteps(
				"Use a client meant for logging in: admin-portal for users doing administrative work, a confidential client with service accounts for machines.",
				"Only if this client really must issue tokens: set bearerOnly to false (kcadm.sh below) and enable the flows it needs.",
			),
			Command: `kcadm.sh get clients -r tenant-<id> -q clientId=<client> --fields id,clientId,bearerOnly` + "\n" +
				`kcadm.sh update clients/<client-uuid> -r tenant-<id> -s bearerOnly=false`,
		},
		{
			ID:       keycloak.CodeServiceAccountOff,
			Check:    "credentials",
			Severity: SeverityFail,
			Title:    "client_credentials not allowed for this client",
			Meaning: `Keycloak answered 401 {"error":"unauthorized_client",...} to the client_credentials grant: "Public client not allowed to retrieve service account" (public client, e.g. admin-portal) ` +
				`or "Client not enabled to retrieve service account" (confidential client without service accounts). Same in 17-26; event CLIENT_LOGIN_ERROR, error invalid_client. ` +
				`authdoctor uses client_credentials whenever no username and password are given.`,
			Causes: []string{
				"No username/password were given, so authdoctor tried client_credentials on a public client such as admin-portal.",
				"The confidential client has \"Service accounts roles\" switched off.",
				"Wrong client: the platform's machine clients are confidential ones such as service-account or api-key-client, not admin-portal.",
			},
			Fix: codeSteps(
				"To test a user (e.g. an administrator on admin-portal), give --username and --password (USERNAME, PASSWORD) so the password grant is used.",
				"To test a machine client, use a confidential client with service accounts and its secret.",
				"To allow client_credentials on a confidential client, switch on Service accounts roles. Do not make admin-portal confidential: the admin portal logs users in through it as a public client.",
			),
			Console: `Clients > <client> > Settings > Capability config > Client authentication` + "\n" +
				`Clients > <client> > Settings > Capability config > Service accounts roles`,
			Command: `kcadm.sh get clients -r tenant-<id> -q clientId=<client> --fields id,publicClient,serviceAccountsEnabled` + "\n" +
				`kcadm.sh update clients/<client-uuid> -r tenant-<id> -s serviceAccountsEnabled=true`,
		},
		{
			ID:       keycloak.CodeDirectGrantsOff,
			Check:    "credentials",
			Severity: SeverityFail,
			Title:    "Password grant not allowed: Direct access grants disabled",
			Meaning: `Keycloak answered 400 {"error":"unauthorized_client","error_description":"Client not allowed for direct access grants"} (same in 17-26; event LOGIN_ERROR, error not_allowed). ` +
				`The client does not allow the resource owner password grant that authdoctor uses when a username and password are given. The password was not checked.`,
			Causes: []string{
				"\"Direct access grants\" is switched off on the client.",
				"Wrong client: a browser-only client was used instead of one that allows direct grants (admin-portal does in the platform's realm export).",
			},
			Fix: codeSteps(
				"Use a client that allows direct access grants, or",
				"switch on Direct access grants for this client (console or kcadm.sh below), if password logins are acceptable for it.",
			),
			Console: `Clients > <client> > Settings > Capability config > Direct access grants`,
			Command: `kcadm.sh update clients/<client-uuid> -r tenant-<id> -s directAccessGrantsEnabled=true`,
		},
		{
			ID:       keycloak.CodeConsentRequired,
			Check:    "credentials",
			Severity: SeverityFail,
			Title:    "Client requires user consent; password grant cannot give it",
			Meaning: `Keycloak answered 400 {"error":"invalid_client","error_description":"Client requires user consent"} (same in 17-26; event error consent_denied). ` +
				`The password grant has no screen on which the user could consent, so Keycloak refuses it for clients with "Consent required" on.`,
			Causes: []string{
				"\"Consent required\" is on for this client.",
				"Wrong client: one meant for third-party browser logins was used.",
			},
			Fix: codeSteps(
				"Switch off Consent required for this client, or",
				"use a client without consent for the password grant.",
			),
			Console: `Clients > <client> > Settings > Login settings > Consent required`,
			Command: `kcadm.sh update clients/<client-uuid> -r tenant-<id> -s consentRequired=false`,
		},
		{
			ID:       keycloak.CodeInvalidUserCredentials,
			Check:    "credentials",
			Severity: SeverityFail,
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
			Fix: codeSteps(
				"Check the event: Events > User events, filter Event type LOGIN_ERROR and the user (needs Save events on), or kcadm.sh get events below.",
				"user_not_found: check the realm and the username (kcadm.sh get users).",
				"user_temporarily_disabled: wait for the lockout to end or clear it (attack-detection command below), then find what keeps sending the wrong password.",
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
		},
		{
			ID:       keycloak.CodeAccountDisabled,
			Check:    "credentials",
			Severity: SeverityFail,
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
			Fix: codeSteps(
				"Check why the user is disabled before enabling it (offboarding, security incident).",
				"Enable the user (console or kcadm.sh below); if it was a lockout, also clear the brute-force state.",
			),
			Console: `Users > <user> > Enabled (switch at the top of the page)`,
			Command: `kcadm.sh get users -r tenant-<id> -q username=<user> -q exact=true --fields id,username,enabled` + "\n" +
				`kcadm.sh update users/<user-id> -r tenant-<id> -s enabled=true` + "\n" +
				`kcadm.sh delete attack-detection/brute-force/users/<user-id> -r tenant-<id>`,
		},
		{
			ID:       keycloak.CodeAccountNotSetUp,
			Check:    "credentials",
			Severity: SeverityFail,
			Title:    "Account is not fully set up (required actions pending)",
			Meaning: `Keycloak answered 400 {"error":"invalid_grant","error_description":"Account is not fully set up"} (same in 17-26; event error resolve_required_actions). ` +
				`The password was right, but the user has something to do in a browser first, which the password grant cannot show. ` +
				`On 24+ this also happens when the user profile requires attributes the user lacks (e.g. email, firstName, lastName), even when the user's required actions list is empty.`,
			Causes: []string{
				"A required action is pending: Update Password (e.g. the password was set as temporary), Verify Email, Configure OTP, Update Profile.",
				"24+: a user-profile attribute is missing (email, first name, last name), so Verify Profile fires with an empty required-actions list.",
			},
			Fix: codeSteps(
				"Log in once through the browser (e.g. the admin portal) and complete the requested steps, or",
				"clear the required actions and fill in the missing fields: email, first name, last name, Email verified (console or kcadm.sh below).",
				"When setting a password for a test user, do not mark it temporary.",
				"On 24+, compare the user with the realm's user profile if the required actions list is already empty.",
			),
			Console: `Users > <user> > Details > Required user actions` + "\n" +
				`Users > <user> > Details (Email, Email verified, First name, Last name)` + "\n" +
				`Realm settings > User profile`,
			Command: `kcadm.sh get users -r tenant-<id> -q username=<user> -q exact=true --fields id,requiredActions,email,emailVerified,firstName,lastName` + "\n" +
				`kcadm.sh update users/<user-id> -r tenant-<id> -s 'requiredActions=[]' -s emailVerified=true`,
		},
		{
			ID:       keycloak.CodeInvalidScope,
			Check:    "credentials",
			Severity: SeverityFail,
			Title:    "Requested scope not allowed",
			Meaning: `Keycloak refused the scope parameter: 400 {"error":"invalid_scope","error_description":"Invalid scopes: <scope>"} when a scope is neither a default nor an optional client scope of the client, ` +
				`or 400 {"error":"not_allowed","error_description":"Offline tokens not allowed for the user or client"} for offline_access when the user lacks the offline_access role or the client lacks that scope. ` +
				`authdoctor requests scope "openid" unless --scope (KEYCLOAK_SCOPE) says otherwise.`,
			Causes: []string{
				"A scope was requested that is not assigned to this client.",
				"offline_access requested, but the user does not have the offline_access role (normally part of default-roles-<realm>).",
				"offline_access requested, but the offline_access client scope is not assigned to the client.",
			},
			Fix: codeSteps(
				"Request only scopes listed on the client's Client scopes tab, or add the scope there as Default or Optional.",
				"For offline tokens, give the user the offline_access role and assign the offline_access client scope to the client.",
			),
			Console: `Clients > <client> > Client scopes` + "\n" + `Users > <user> > Role mapping`,
			Command: `kcadm.sh get clients/<client-uuid>/default-client-scopes -r tenant-<id> --fields name` + "\n" +
				`kcadm.sh get clients/<client-uuid>/optional-client-scopes -r tenant-<id> --fields name`,
		},
		{
			ID:       keycloak.CodeGrantRejected,
			Check:    "credentials",
			Severity: SeverityFail,
			Title:    "Token request rejected for a reason authdoctor does not recognise",
			Meaning: `Keycloak answered the token request with an OAuth error that is not one of the known cases; the message quotes its "error" and "error_description". ` +
				`Examples are "Missing client_id parameter", "Unexpected error when authenticating client", a client policy's own error, or answers from newer Keycloak versions.`,
			Causes: []string{
				"A client policy or custom authenticator on the server rejected the request.",
				"A Keycloak version whose wording authdoctor does not know yet.",
				"A malformed request (missing or duplicated parameter).",
				"authdoctor itself refused to send the password a second time in the same run (the message says so); it never sends a password twice.",
			},
			Fix: codeSteps(
				"Read the quoted error_description; it usually names the problem.",
				"Look at the matching event (details.reason holds client-policy and required-action reasons) and at the Keycloak server log.",
				"If the reason is a known one phrased differently, report it so authdoctor can classify it.",
			),
			Console: `Events > User events`,
			Command: `kcadm.sh get events -r tenant-<id> -q max=10`,
		},

		// ---------------------------------------------------------------
		// roles: access token well formed, signature, expiry, required roles
		// ---------------------------------------------------------------
		{
			ID:       CodeTokenInvalid,
			Check:    "roles",
			Severity: SeverityFail,
			Title:    "Access token malformed, badly signed or expired",
			Meaning: `The access token Keycloak issued did not pass authdoctor's checks: it is not a well-formed JWT, its signature does not verify against the realm's keys ({base}/realms/{realm}/protocol/openid-connect/certs, matched by kid), ` +
				`it has no exp or is expired or not yet valid by this machine's clock, or its typ is not "Bearer". The message says which.`,
			Causes: []string{
				"Expired on arrival: this machine's clock is ahead (see CLOCK_SKEW), or the access token lifespan is very short (default 300 s; 60 s in master).",
				"The signing key is not in the JWKS fetched: keys were rotated or removed, or the JWKS came from another Keycloak instance or realm.",
				"The client signs access tokens with an algorithm whose key is not in the JWKS (HS256/HS384/HS512 use a secret HMAC key, which is never published).",
			},
			Fix: codeSteps(
				"If the message says expired, compare the clock with the server's (CLOCK_SKEW) and check the realm's Access Token Lifespan.",
				"If the signature fails, compare the token's kid with the kids in the JWKS (curl below) and check the realm's active keys.",
				"Check the client's access token signature algorithm (Clients > <client> > Advanced > Fine grain OpenID Connect configuration).",
			),
			Console: `Realm settings > Keys` + "\n" + `Realm settings > Tokens > Access Token Lifespan`,
			Command: `curl -s -H 'Accept: application/json' $KEYCLOAK_URL/realms/tenant-<id>/protocol/openid-connect/certs | jq '.keys[] | {kid, alg, use}'`,
		},
		{
			ID:       CodeMissingRole,
			Check:    "roles",
			Severity: SeverityFail,
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
			Fix: codeSteps(
				"List the user's effective roles (kcadm.sh get-roles below). If the role is missing, assign it.",
				"If it is assigned, preview the token in Clients > <client> > Client scopes > Evaluate for that user and check Full scope allowed and the roles client scope.",
				"Run authdoctor again to get a fresh token.",
			),
			Console: `Users > <user> > Role mapping` + "\n" +
				`Clients > <client> > Client scopes > <client>-dedicated > Scope > Full scope allowed` + "\n" +
				`Clients > <client> > Client scopes > Evaluate`,
			Command: `kcadm.sh get-roles -r tenant-<id> --uusername <user> --effective` + "\n" +
				`kcadm.sh add-roles -r tenant-<id> --uusername <user> --rolename <role>` + "\n" +
				`kcadm.sh add-roles -r tenant-<id> --uusername <user> --cclientid <client> --rolename <role>`,
		},
		{
			ID:       CodeRolesNotInToken,
			Check:    "roles",
			Severity: SeverityWarn,
			Title:    "Access token carries no role claims at all",
			Meaning: `The token has neither realm_access nor resource_access, so role requirements cannot be checked from it. ` +
				`This happens with lightweight access tokens (client attribute client.use.lightweight.access.token.enabled=true; in 26.7.1 master's admin-cli has it on and its tokens carry only azp, exp, iat, iss, jti, scope, sid, typ) or when the roles client scope is removed. ` +
				`With lightweight tokens Keycloak's own admin API still works (it resolves roles from the session), but anything that reads roles from the token, such as Hasura, does not see them.`,
			Causes: []string{
				"\"Always use lightweight access token\" is on for the client.",
				"The roles client scope is not among the client's default client scopes.",
			},
			Fix: codeSteps(
				"If the token is meant for Hasura or another API that reads roles, switch off lightweight access tokens for this client.",
				"Add the roles client scope back to the client as a Default scope.",
				"Preview the result in Clients > <client> > Client scopes > Evaluate.",
			),
			Console: `Clients > <client> > Advanced > Advanced settings > Always use lightweight access token` + "\n" +
				`Clients > <client> > Client scopes (roles, assigned type Default)`,
			Command: `kcadm.sh get clients/<client-uuid>/default-client-scopes -r tenant-<id> --fields name` + "\n" +
				`kcadm.sh get clients/<client-uuid> -r tenant-<id> --fields clientId,attributes`,
		},
		{
			ID:       CodeClockSkew,
			Check:    "roles",
			Severity: SeverityWarn,
			Title:    "Local clock differs from the server's by more than 60 seconds",
			Meaning: `The Date header of the server's answer and this machine's clock differ by more than 60 s. ` +
				`Token times (exp, iat, nbf) are set by Keycloak's clock, so a skewed verifier sees fresh tokens as expired or not yet valid. ` +
				`Hasura's allowed_skew defaults to 0, so a clock difference between the Keycloak host and the Hasura host matters too.`,
			Causes: []string{
				"NTP is not running on this machine (laptops after sleep, VMs, containers on a host with a drifting clock).",
				"NTP is not running on the Keycloak host.",
			},
			Fix: codeSteps(
				"Compare both clocks (command below) to see which side is wrong.",
				"Enable time synchronisation (systemd-timesyncd, chrony) on that side.",
				"Check the Hasura host as well: if its clock differs from Keycloak's, Hasura may reject fresh tokens as expired or not yet valid.",
			),
			Command: `curl -sI $KEYCLOAK_URL/realms/tenant-<id> | grep -i '^date:'; date -u`,
		},

		// ---------------------------------------------------------------
		// graphql: POST { __typename } with the bearer token; required fields
		// ---------------------------------------------------------------
		{
			ID:       CodeGraphQLUnreachable,
			Check:    "graphql",
			Severity: SeverityFail,
			Title:    "GraphQL endpoint unreachable",
			Meaning: `The POST to the GraphQL URL got no HTTP answer (DNS failure, connection refused, timeout, reset, TLS error), or got a 5xx that is not a GraphQL answer. The message quotes the error. ` +
				`Keycloak may be fine; only the GraphQL side is affected. If the GraphQL host already failed the tls check, the graphql check is skipped instead.`,
			Causes: []string{
				"Wrong host or port in the GraphQL URL (e.g. an internal Docker name such as graphql-engine:8080 used from outside).",
				"Hasura is not running or is restarting.",
				"A firewall, VPN or proxy between this machine and Hasura.",
				"A proxy in front of Hasura answers 502/503/504 because Hasura (or its database) is down.",
			},
			Fix: codeSteps(
				"Check the GraphQL URL: it normally ends in /v1/graphql.",
				"Check Hasura's health endpoint (below): a healthy Hasura answers 200 OK.",
				"Look at the Hasura and proxy logs at the time of the run for 5xx answers.",
			),
			Command: `curl -sv https://<hasura-host>/healthz`,
		},
		{
			ID:       CodeNotGraphQL,
			Check:    "graphql",
			Severity: SeverityFail,
			Title:    "The URL does not answer like a Hasura GraphQL endpoint",
			Meaning: `The POST of {"query":"query { __typename }"} got an answer, but not a GraphQL one: no {"data":...} or {"errors":[...]} body, or data without __typename. ` +
				`Hasura's /v1/graphql answers HTTP 200 even for authentication errors, so any other shape means another program answered.`,
			Causes: []string{
				"The URL lacks the /v1/graphql path (e.g. the Hasura base URL or console URL was given).",
				"The URL points to a web front end, a proxy error page or another API.",
			},
			Fix: codeSteps(
				"Use the full endpoint, e.g. https://<hasura-host>/v1/graphql.",
				"Send the same request with curl (below) and look at what answers.",
			),
			Command: `curl -si -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"query":"query { __typename }"}' $GRAPHQL_URL`,
		},
		{
			ID:       CodeGraphQLRejected,
			Check:    "graphql",
			Severity: SeverityFail,
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
			Fix: codeSteps(
				"NoUsableKeys: compare the realm's kids (curl below) with the keys at Hasura's jwk_url (HASURA_GRAPHQL_JWT_SECRET) and refresh the aggregated JWKS.",
				"JWTNotInIssuer: make the issuer in HASURA_GRAPHQL_JWT_SECRET equal to the token's iss exactly, or fix Keycloak's hostname.",
				"JWTNotInAudience: add an Audience mapper to the client, or remove audience from Hasura's JWT config.",
				"JWTExpired: check clocks (CLOCK_SKEW) on the Hasura host.",
			),
			Console: `Realm settings > Keys` + "\n" +
				`Clients > <client> > Client scopes > <client>-dedicated > Mappers (Audience mapper)`,
			Command: `curl -s $KEYCLOAK_URL/realms/tenant-<id>/protocol/openid-connect/certs | jq -r '.keys[] | select(.use=="sig") | .kid'`,
		},
		{
			ID:       CodeGraphQLClaims,
			Check:    "graphql",
			Severity: SeverityFail,
			Title:    "Hasura claims missing or malformed in the token",
			Meaning: `Hasura accepted the signature but not the claims under "https://hasura.io/jwt/claims". ` +
				`Messages: "claims key: 'https://hasura.io/jwt/claims' not found", "JWT claim does not contain x-hasura-allowed-roles", "JWT claim does not contain x-hasura-default-role", ` +
				`"invalid x-hasura-allowed-roles; should be a list of roles: ..." (mapper not multivalued). ` +
				`When a permission uses a session variable the token lacks, Hasura answers code "not-found" with missing session variable: "x-hasura-tenant-id".`,
			Causes: []string{
				"Wrong client: only clients with the Hasura mappers (admin-portal, api-key-client, ...) put these claims into the token.",
				"The user has no tenant-id attribute, so x-hasura-tenant-id is missing.",
				"The allowed-roles mapper has Multivalued off, so x-hasura-allowed-roles is a string.",
				"A mapper's claim name does not escape the dot (it must read https://hasura\\.io/jwt/claims.x-hasura-...), or \"Add to access token\" is off.",
			},
			Fix: codeSteps(
				"Use admin-portal for administrative work on a tenant.",
				"Set the user's tenant-id attribute to the tenant id (on 24+, check that tenant-id is declared in Realm settings > User profile).",
				"Check the client's mappers: claim names, Multivalued for allowed roles, Add to access token.",
				"Preview the token for that user in Clients > <client> > Client scopes > Evaluate.",
			),
			Console: `Users > <user> > Attributes (tenant-id)` + "\n" +
				`Clients > <client> > Client scopes > <client>-dedicated > Mappers` + "\n" +
				`Clients > <client> > Client scopes > Evaluate`,
			Command: `kcadm.sh get users/<user-id> -r tenant-<id> --fields username,attributes` + "\n" +
				`kcadm.sh update users/<user-id> -r tenant-<id> -s 'attributes.tenant-id=["<TENANT_ID>"]'` + "\n" +
				`kcadm.sh get clients/<client-uuid>/evaluate-scopes/generate-example-access-token -r tenant-<id> -q userId=<user-id>`,
		},
		{
			ID:       CodeGraphQLDenied,
			Check:    "graphql",
			Severity: SeverityFail,
			Title:    "Requested Hasura role is not among the token's allowed roles",
			Meaning: `Hasura answered errors[0].extensions.code "access-denied", "Your requested role is not in allowed roles". ` +
				`The role requested with the x-hasura-role header, or the token's x-hasura-default-role, is not in x-hasura-allowed-roles. ` +
				`On admin-portal the default role is admin-user and the allowed roles are the user's realm roles. Other Hasura errors to the __typename query (e.g. a wrong x-hasura-admin-secret) are reported with this code too; the message quotes Hasura.`,
			Causes: []string{
				"The user lacks the realm role named by x-hasura-role or by the default role (e.g. admin-user).",
				"The role is assigned but not in the token (Full scope allowed off, or roles client scope removed; see MISSING_ROLE).",
				"Wrong client: its default role is one the user does not have.",
			},
			Fix: codeSteps(
				"Compare the requested role (--hasura-role / HASURA_ROLE, else the default role) with allowed_roles in the report's details.",
				"Assign the realm role to the user (kcadm.sh below) and run again to get a fresh token.",
			),
			Console: `Users > <user> > Role mapping`,
			Command: `kcadm.sh get-roles -r tenant-<id> --uusername <user> --effective` + "\n" +
				`kcadm.sh add-roles -r tenant-<id> --uusername <user> --rolename admin-user`,
		},
		{
			ID:       CodeGraphQLField,
			Check:    "graphql",
			Severity: SeverityFail,
			Title:    "Required GraphQL field not visible to this role",
			Meaning: `A field given with --require-field is not among the query or mutation root fields that introspection shows for the token's role. ` +
				`Hasura hides fields the role has no permission on, so "not found" and "not permitted" look the same; a query for it answers validation-failed "field '<name>' not found in type: 'query_root'" (or 'mutation_root'). ` +
				`The role comes from the client: admin-portal gives admin-user, voting-portal gives user.`,
			Causes: []string{
				"Wrong client: administrative operations such as get_upload_url need a token from admin-portal.",
				"The x-hasura-role in use has no permission on that table, action or field in Hasura's metadata.",
				"The field name is misspelled or belongs to another API version.",
			},
			Fix: codeSteps(
				"Get the token through admin-portal for administrative operations.",
				"Check which role was used (the message and details name it; --hasura-role sends x-hasura-role) and that the user has the matching realm role.",
				"In Hasura, check the permissions of that role on the table or action.",
			),
			Console: `Users > <user> > Role mapping`,
		},
		{
			ID:       CodeGraphQLNoIntrospec,
			Check:    "graphql",
			Severity: SeverityWarn,
			Title:    "Required fields not verified: introspection refused",
			Meaning: `The bearer token works, but the introspection query for --require-field was refused, so authdoctor could not check that the fields are visible. ` +
				`This is not an authentication failure.`,
			Causes: []string{
				"Introspection is disabled in Hasura for this role.",
				"A gateway in front of Hasura blocks introspection queries.",
			},
			Fix: codeSteps(
				"Verify the fields with a real query using the same token, or",
				"allow introspection for this role in Hasura, or run without --require-field.",
			),
		},

		// ---------------------------------------------------------------
		// refresh: refresh_token grant
		// ---------------------------------------------------------------
		{
			ID:       keycloak.CodeNoRefreshToken,
			Check:    "refresh",
			Severity: SeverityWarn,
			Title:    "Password grant returned no refresh token",
			Meaning: `The token response had no refresh_token, so the refresh could not be tested and applications using this client must log in again when the access token expires. ` +
				`For client_credentials no refresh token is Keycloak's default (client attribute client_credentials.use_refresh_token is false), so authdoctor skips the refresh check there; for the password grant it means the client has refresh tokens switched off.`,
			Causes: []string{
				"\"Use refresh tokens\" is off for the client (attribute use.refresh.tokens=false).",
				"The URL points to a gateway or backend-for-frontend that keeps the refresh token instead of passing it on.",
			},
			Fix: codeSteps(
				"Switch on Use refresh tokens for the client if its applications need to refresh.",
				"If the missing refresh token is intended, ignore this warning.",
			),
			Console: `Clients > <client> > Advanced > OpenID Connect Compatibility Modes > Use refresh tokens`,
			Command: `kcadm.sh update clients/<client-uuid> -r tenant-<id> -s 'attributes."use.refresh.tokens"=true'`,
		},
		{
			ID:       keycloak.CodeRefreshRejected,
			Check:    "refresh",
			Severity: SeverityFail,
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
			Fix: codeSteps(
				"Act on the quoted reason; check SSO Session Idle/Max and Revoke refresh token in the realm settings.",
				"Refresh through the same Keycloak URL and client_id that obtained the token.",
				"To see these failures later, add REFRESH_TOKEN_ERROR to the saved event types, then read it with kcadm.sh get events.",
			),
			Console: `Realm settings > Sessions > SSO Session Idle / SSO Session Max` + "\n" +
				`Realm settings > Tokens > Revoke refresh token` + "\n" +
				`Realm settings > Events > User events settings > Save events (event types: add REFRESH_TOKEN_ERROR)`,
			Command: `kcadm.sh get events -r tenant-<id> -q type=REFRESH_TOKEN_ERROR -q max=10`,
		},

		// ---------------------------------------------------------------
		// any check whose request goes unanswered, then the runner
		// ---------------------------------------------------------------
		{
			ID:       keycloak.CodeAnswerTimeout,
			Check:    "any",
			Severity: SeverityFail,
			Title:    "The server took the request but did not answer before the deadline",
			Meaning: `The connection was open and the whole request was sent, but no answer came back before the run's deadline (--timeout, default 30s). ` +
				`The host is reachable, so this is not a network or URL problem: the server (Keycloak, or the GraphQL server) is slow or stuck on this request. ` +
				`The message names the request and how long authdoctor waited; checks that had not started yet are reported as TIMEOUT.`,
			Causes: []string{
				"Token endpoint: user federation (LDAP, Active Directory, Kerberos) that Keycloak cannot reach, so each login waits for the LDAP connection timeout.",
				"Token endpoint: password hashing under heavy load or on a small CPU quota (Keycloak 24 made the default password hashing much costlier; its upgrading notes discuss the CPU impact).",
				"Keycloak still starting, or its database slow or out of connections.",
				"GraphQL: the server's database or an upstream (remote schema, action handler) does not answer.",
				"A proxy that holds the request without forwarding it (its upstream is down and it waits for its own timeout).",
			},
			Fix: codeSteps(
				"Replay the request by hand to time it: authdoctor -v prints it as a curl command; add -w 'total %{time_total}s\\n' to it.",
				"Look at the server's log at the time of the run: Keycloak logs LDAP connection timeouts and slow database queries with the request.",
				"If user federation is configured, test its connection: Keycloak admin console, User federation > provider > Test connection.",
				"If the server is just slow, raise --timeout, and look at its CPU and database.",
			),
			Console: `User federation > <provider> > Connection and authentication settings > Test connection`,
			Command: `curl -s -o /dev/null -w 'connect %{time_connect}s  first byte %{time_starttransfer}s  total %{time_total}s\n' -H 'Accept: application/json' $KEYCLOAK_URL/realms/tenant-<id>`,
		},
		{
			ID:       CodeTimeout,
			Check:    "runner",
			Severity: SeverityFail,
			Title:    "Run deadline (--timeout) expired before this check could start",
			Meaning: `--timeout is a deadline for the whole run (default 30s); it expired before this check's turn, so the check did not run and nothing is known about it. ` +
				`A request still in flight at the deadline is reported on its own check: ANSWER_TIMEOUT when it had been sent and the server did not answer, UNREACHABLE ("timeout: ...") when no connection could be opened.`,
			Causes: []string{
				"Earlier checks used up the deadline: Keycloak starting up or overloaded, slow LDAP/user federation, slow database, or a slow GraphQL server.",
				"Packets are dropped silently (firewall) instead of refused, so connections hang until the deadline.",
				"--timeout is too short for this network path and the number of checks.",
			},
			Fix: codeSteps(
				"Look at the durations of the earlier checks in the report, and time the slow request with curl (below).",
				"Run again with a larger --timeout.",
				"If Keycloak is slow, check its log and resource usage.",
			),
			Command: `curl -s -o /dev/null -w 'connect %{time_connect}s  tls %{time_appconnect}s  total %{time_total}s\n' $KEYCLOAK_URL/realms/tenant-<id>`,
		},
	}
}

// codeSteps numbers fix steps, one per line, for terminal output.
func codeSteps(steps ...string) string {
	var b strings.Builder
	for i, s := range steps {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strconv.Itoa(i + 1))
		b.WriteString(". ")
		b.WriteString(s)
	}
	return b.String()
}
