package codes

// Codes of the "tls" check: reachability and TLS of the Keycloak host and of the GraphQL host.

// CheckTLS is the id of the check these codes belong to.
const CheckTLS CheckID = "tls"

var Unreachable = define(&Code{
	ID:       "UNREACHABLE",
	Check:    CheckTLS,
	Severity: Fail,
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
	Fix: steps(
		"Check the URL you gave authdoctor: scheme, host and port.",
		"From the same machine, run curl -sv against the same URL. \"Could not resolve host\" is DNS; \"Connection refused\" means nothing listens on that port; a hang is a firewall or routing problem.",
		"If Keycloak runs in a container, check that it is up (docker ps / kubectl get pods) and look at its log for the line saying it is listening.",
	),
	Command: `curl -sv -o /dev/null -H 'Accept: application/json' <url>`,
})

var TLSUntrusted = define(&Code{
	ID:       "TLS_UNTRUSTED",
	Check:    CheckTLS,
	Severity: Fail,
	Title:    "TLS certificate not trusted (unknown certificate authority)",
	Meaning: `The server presented a certificate that does not chain to a CA this machine trusts. ` +
		`Go reports "x509: certificate signed by unknown authority" (on macOS the text can instead end in "certificate is not trusted"). ` +
		`No request was sent over this connection.`,
	Causes: []string{
		"Self-signed certificate or a private/internal CA that is not in this machine's trust store.",
		"The server sends only its leaf certificate and omits the intermediate certificate(s).",
		"A corporate proxy intercepts TLS with its own CA.",
	},
	Fix: steps(
		"Look at the chain the server sends with openssl s_client -showcerts (issuer and subject of every certificate).",
		"If the server omits intermediates, configure the full chain where TLS ends (reverse proxy, ingress, or Keycloak's certificate file).",
		"If the CA is private, pass it with --ca-file <pem> (trusted in addition to the system roots), or add it to the system trust store.",
		"Use --insecure-skip-tls-verify only to see whether the later checks pass; it is reported as TLS_VERIFY_DISABLED.",
	),
	Command: `openssl s_client -connect <host>:<port> -servername <host> -showcerts </dev/null`,
})

var TLSHostnameMismatch = define(&Code{
	ID:       "TLS_HOSTNAME_MISMATCH",
	Check:    CheckTLS,
	Severity: Fail,
	Title:    "TLS certificate does not match the host name in the URL",
	Meaning: `The certificate is trusted but not valid for the name or IP address in the URL. ` +
		`Go reports e.g. "x509: certificate is valid for keycloak.example.com, not localhost", "x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs" ` +
		`or "x509: certificate relies on legacy Common Name field, use SANs instead".`,
	Causes: []string{
		"The URL uses an internal name, an alias or an IP address instead of the public name on the certificate.",
		"The certificate was issued for another host, or a load balancer serves a default certificate for this name (SNI not configured).",
		"The certificate has only a Common Name and no Subject Alternative Names.",
	},
	Fix: steps(
		"Use the host name listed in the certificate's Subject Alternative Names (openssl x509 -ext subjectAltName).",
		"Prefer the same public name your applications use: Keycloak puts the host name of the issuing request into the token's iss, and Hasura may check it.",
		"If the certificate's name does not resolve from this machine, keep it in the URL and connect to the right address with --resolve <host>:<port>:<ip>.",
		"Otherwise reissue the certificate with the missing name as a SAN.",
	),
	Command: `openssl s_client -connect <host>:<port> -servername <host> </dev/null 2>/dev/null | openssl x509 -noout -subject -ext subjectAltName`,
})

var TLSExpired = define(&Code{
	ID:       "TLS_EXPIRED",
	Check:    CheckTLS,
	Severity: Fail,
	Title:    "TLS certificate expired or not yet valid",
	Meaning: `The certificate's validity period does not include the current time of this machine. ` +
		`Go reports "x509: certificate has expired or is not yet valid: current time ... is after ..." (expired) or "... is before ..." (not yet valid).`,
	Causes: []string{
		"The certificate expired and was not renewed, or it was renewed but the server (or proxy) still serves the old one.",
		"\"is before\": the certificate is brand new and this machine's clock is behind, or the clock is wrong in general.",
	},
	Fix: steps(
		"Check the dates with openssl x509 -dates and compare with `date -u`.",
		"Renew the certificate where TLS ends (reverse proxy, ingress, or the files given to Keycloak with --https-certificate-file/--https-certificate-key-file) and make sure the server loads the new one.",
		"If the certificate's dates look right, check this machine's clock: compare `date -u` with a trusted source (a host kept in sync, or the Date header curl -sI shows for a well-known site) and, if it is off, enable time synchronisation (chrony or systemd-timesyncd).",
	),
	Command: `openssl s_client -connect <host>:<port> -servername <host> </dev/null 2>/dev/null | openssl x509 -noout -dates`,
})

var TLSExpiringSoon = define(&Code{
	ID:       "TLS_EXPIRING_SOON",
	Check:    CheckTLS,
	Severity: Warn,
	Title:    "TLS certificate expires in less than 14 days",
	Meaning: `The certificate is valid today but its notAfter date is less than 14 days away. ` +
		`Once it passes, every client fails with TLS_EXPIRED.`,
	Causes: []string{
		"Automatic renewal (e.g. cert-manager, ACME) is not set up or is failing.",
		"A manually installed certificate is due for renewal.",
	},
	Fix: steps(
		"Renew the certificate and deploy it where TLS ends (reverse proxy, ingress or Keycloak).",
		"If renewal is automated, check its logs for why it has not happened yet.",
	),
	Command: `openssl s_client -connect <host>:<port> -servername <host> </dev/null 2>/dev/null | openssl x509 -noout -enddate`,
})

var TLSVerifyDisabled = define(&Code{
	ID:       "TLS_VERIFY_DISABLED",
	Check:    CheckTLS,
	Severity: Warn,
	Title:    "TLS certificate verification disabled (--insecure-skip-tls-verify)",
	Meaning: `authdoctor did not verify certificates because --insecure-skip-tls-verify was given. ` +
		`The credentials were sent to a server whose identity was not checked. The message says whether verification would have failed (and why) or whether the certificate verifies anyway, in which case the flag can simply go.`,
	Causes: []string{
		"The flag was added to get past a TLS_UNTRUSTED, TLS_HOSTNAME_MISMATCH or TLS_EXPIRED failure.",
		"The flag is set in a script or CI job and was never removed.",
	},
	Fix: steps(
		"Run again without --insecure-skip-tls-verify and fix the TLS code it reports.",
		"Do not use this flag with production credentials.",
	),
})

var TLSHandshakeFailed = define(&Code{
	ID:       "TLS_HANDSHAKE_FAILED",
	Check:    CheckTLS,
	Severity: Fail,
	Title:    "TLS handshake failed",
	Meaning: `A TCP connection was made but no TLS session could be established, or the certificate failed for a reason other than trust, name or dates (e.g. "x509: certificate specifies an incompatible key usage"). ` +
		`The most common case is https:// to a port that speaks plain HTTP: the message then says the host "does not speak TLS" and quotes Go ("tls: first record does not look like a TLS handshake" or "http: server gave HTTP response to HTTPS client").`,
	Causes: []string{
		"https:// used with a plain-HTTP port, e.g. Keycloak started with start-dev on port 8080.",
		"The server or proxy requires a client certificate (mutual TLS).",
		"No common TLS version or cipher suite between this client and the server.",
		"Something other than a TLS server listens on that port.",
	},
	Fix: steps(
		"If the message says the host does not speak TLS, either use http:// for that port or use the port where TLS is served (often 443 or 8443).",
		"Otherwise inspect the handshake with openssl s_client; it shows the protocol, the cipher and any alert the server sends.",
	),
	Command: `openssl s_client -connect <host>:<port> -servername <host> </dev/null`,
})

var PlainHTTP = define(&Code{
	ID:       "PLAIN_HTTP",
	Check:    CheckTLS,
	Severity: Warn,
	Title:    "Plain http:// to a non-loopback host",
	Meaning: `The URL uses http:// and the host is not a loopback address, so passwords, client secrets and tokens travel unencrypted. ` +
		`Keycloak itself answers 403 "HTTPS required" on the token endpoint when it sees http from an address it does not consider local (realm Require SSL "external", the default) or always (Require SSL "all").`,
	Causes: []string{
		"The URL was copied from a development setup (e.g. http://keycloak:8080).",
		"TLS ends at a reverse proxy and the URL bypasses it, going straight to Keycloak's HTTP port.",
	},
	Fix: steps(
		"Use the https:// URL that your applications use.",
		"If this is a private development network and plain HTTP is intended, the warning can be ignored; authdoctor refuses to send credentials over it unless --allow-plain-http is given (PLAIN_HTTP_BLOCKED).",
	),
})
