package keycloak

// Codes this package's classifiers produce. They are documented, with their
// fixes, in the registry of package checks (checks/codes.go); a test there
// fails if one of these has no entry.
const (
	// Transport and TLS (check "tls", and any later check whose request fails).
	CodeUnreachable         = "UNREACHABLE"
	CodeAnswerTimeout       = "ANSWER_TIMEOUT"
	CodeTLSUntrusted        = "TLS_UNTRUSTED"
	CodeTLSHostnameMismatch = "TLS_HOSTNAME_MISMATCH"
	CodeTLSExpired          = "TLS_EXPIRED"
	CodeTLSExpiringSoon     = "TLS_EXPIRING_SOON"
	CodeTLSVerifyDisabled   = "TLS_VERIFY_DISABLED"
	CodeTLSHandshakeFailed  = "TLS_HANDSHAKE_FAILED"
	CodePlainHTTP           = "PLAIN_HTTP"

	// Realm (and any answer that is not what Keycloak sends).
	CodeRealmNotFound    = "REALM_NOT_FOUND"
	CodeBasePathMismatch = "BASE_PATH_MISMATCH"
	CodeIssuerMismatch   = "ISSUER_MISMATCH"
	CodeUnexpectedAnswer = "UNEXPECTED_RESPONSE"

	// Credentials: the password or client-credentials grant.
	CodePlainHTTPBlocked         = "PLAIN_HTTP_BLOCKED"
	CodeHTTPSRequired            = "HTTPS_REQUIRED"
	CodeRealmDisabled            = "REALM_DISABLED"
	CodeClientNotFound           = "CLIENT_NOT_FOUND"
	CodeClientDisabled           = "CLIENT_DISABLED"
	CodeInvalidClientCredentials = "INVALID_CLIENT_CREDENTIALS"
	CodeBearerOnlyClient         = "BEARER_ONLY_CLIENT"
	CodeServiceAccountOff        = "SERVICE_ACCOUNT_DISABLED"
	CodeDirectGrantsOff          = "DIRECT_GRANTS_DISABLED"
	CodeConsentRequired          = "CONSENT_REQUIRED"
	CodeInvalidUserCredentials   = "INVALID_USER_CREDENTIALS"
	CodeAccountDisabled          = "ACCOUNT_DISABLED"
	CodeAccountNotSetUp          = "ACCOUNT_NOT_SET_UP"
	CodeInvalidScope             = "INVALID_SCOPE"
	CodeGrantRejected            = "GRANT_REJECTED"

	// Refresh.
	CodeRefreshRejected = "REFRESH_REJECTED"
	CodeNoRefreshToken  = "NO_REFRESH_TOKEN"
)

// AllCodes lists every code above, for the registry's completeness test.
var AllCodes = []string{
	CodeUnreachable, CodeAnswerTimeout, CodeTLSUntrusted, CodeTLSHostnameMismatch, CodeTLSExpired,
	CodeTLSExpiringSoon, CodeTLSVerifyDisabled, CodeTLSHandshakeFailed, CodePlainHTTP,
	CodeRealmNotFound, CodeBasePathMismatch, CodeIssuerMismatch, CodeUnexpectedAnswer,
	CodeRealmDisabled, CodePlainHTTPBlocked, CodeHTTPSRequired, CodeGrantRejected,
	CodeRefreshRejected, CodeNoRefreshToken, CodeInvalidScope, CodeBearerOnlyClient,
	CodeConsentRequired, CodeClientDisabled, CodeClientNotFound, CodeAccountDisabled,
	CodeAccountNotSetUp, CodeDirectGrantsOff, CodeServiceAccountOff,
	CodeInvalidUserCredentials, CodeInvalidClientCredentials,
}
