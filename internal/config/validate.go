package config

import (
	"crypto/x509"
	"errors"
	"io/fs"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// maxShown caps how much of a bad value an error message repeats: enough to
// recognise it, not a 100 KB paste echoed back.
const maxShown = 80

// shown quotes a user's value for an error message: shortened, and with the
// password of a URL's user-info part masked.
func shown(v string) string {
	if u, err := url.Parse(v); err == nil && u.User != nil {
		v = u.Redacted()
	} else if at := strings.LastIndex(v, "@"); at > 0 && strings.Contains(v, "://") {
		// Not parseable, but it may still carry user:password@.
		scheme, rest, _ := strings.Cut(v[:at], "://")
		if user, _, hasPass := strings.Cut(rest, ":"); hasPass {
			v = scheme + "://" + user + ":xxxxx" + v[at:]
		}
	}
	if r := []rune(v); len(r) > maxShown {
		v = string(r[:maxShown]) + "…"
	}
	return strconv.Quote(v)
}

// parseBaseURL validates a base URL; what names the setting as the user gave
// it. required marks KEYCLOAK_URL, whose path must be Keycloak's base.
func parseBaseURL(what, raw string, required bool) (string, error) {
	example := "https://api.example.com/v1/graphql"
	if required {
		example = "https://sso.example.com"
	}
	if raw == "" {
		if required {
			return "", &Error{Msg: msgNoKeycloakURL}
		}
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		return "", errorf("%s %s is not an http(s) URL such as %s", what, shown(raw), example)
	}
	if u.User != nil {
		return "", errorf("%s %s: remove the user:password@ part; authdoctor sends credentials only as OAuth parameters", what, shown(raw))
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return "", errorf("%s %s: give the URL without a query or fragment, such as %s", what, shown(raw), example)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", errorf("%s %s: port %s is not between 1 and 65535", what, shown(raw), p)
		}
	}
	if strings.ContainsFunc(u.Path, unicode.IsSpace) {
		return "", errorf("%s %s: the path contains a space", what, shown(raw))
	}
	if required {
		if err := keycloakBasePath(what, raw, u); err != nil {
			return "", err
		}
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// keycloakBasePath refuses the URLs people copy by mistake instead of
// Keycloak's base URL: one that points into a realm (from a browser or a
// token's iss) and the GraphQL endpoint.
func keycloakBasePath(what, raw string, u *url.URL) error {
	path := strings.TrimRight(u.Path, "/")
	base := func(p string) string {
		b := *u
		b.Path = p
		return strings.TrimRight(b.String(), "/")
	}
	if before, after, found := strings.Cut(path+"/", "/realms/"); found {
		realm, _, _ := strings.Cut(after, "/")
		if realm == "" {
			return errorf("%s %s ends in /realms: give the base URL %s, and the realm with --realm or --tenant-id", what, shown(raw), base(before))
		}
		return errorf("%s %s points into realm %q: give the base URL %s (and the realm with --realm %s or --tenant-id)", what, shown(raw), realm, base(before), realm)
	}
	if strings.HasSuffix(path, "/graphql") {
		return errorf("%s %s is a GraphQL endpoint: give Keycloak's base URL here, and this URL as --graphql-url (GRAPHQL_URL)", what, shown(raw))
	}
	return nil
}

// realmNameUnsafe are characters that cannot be in a realm name that goes
// into a URL path as is: they would end the path, start a query or fragment,
// or be decoded by a proxy.
const realmNameUnsafe = "/?#%\\"

func realmName(realmLabel, realm, tenantLabel, tenant string) (string, error) {
	bad := func(s string) bool {
		return strings.ContainsAny(s, realmNameUnsafe) || strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) })
	}
	switch {
	case realm != "":
		if bad(realm) {
			return "", errorf("%s %s: a realm name with spaces or any of %s cannot be used in a URL; give the name as shown in the admin console's realm list", realmLabel, shown(realm), realmNameUnsafe)
		}
		return realm, nil
	case tenant != "":
		if bad(tenant) {
			return "", errorf("%s %s contains a space, a slash or another character not allowed in a realm name; give the tenant id only, e.g. 3f6c0b9e-…", tenantLabel, shown(tenant))
		}
		return "tenant-" + tenant, nil
	}
	return "", &Error{Msg: msgNoRealm}
}

func validRoles(label string, roles []string) ([]string, error) {
	for _, r := range roles {
		client, role, isClient := strings.Cut(r, ":")
		if r == "" || (isClient && (client == "" || role == "")) || strings.ContainsFunc(r, unicode.IsControl) {
			return nil, errorf("%s %s: want ROLE for a realm role or CLIENT:ROLE for a client role", label, shown(r))
		}
	}
	return roles, nil
}

// graphQLName is the GraphQL spec's Name: a root field is always one.
var graphQLName = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]*$`)

func validFields(label string, fields []string) ([]string, error) {
	for _, f := range fields {
		if !graphQLName.MatchString(f) {
			return nil, errorf("%s %s: want the name of a root field, such as get_upload_url (letters, digits and _)", label, shown(f))
		}
	}
	return fields, nil
}

// validHasuraRole refuses what cannot travel in the x-hasura-role header.
func validHasuraRole(label, role string) error {
	if strings.ContainsFunc(role, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r > unicode.MaxASCII }) {
		return errorf("%s %s: a role name goes into the x-hasura-role header: no spaces, control or non-ASCII characters", label, shown(role))
	}
	return nil
}

func loadCAFile(label, path string, readFile func(string) ([]byte, error)) (*x509.CertPool, error) {
	pem, err := readFile(path)
	if err != nil {
		// "--ca-file PATH: no such file or directory": the reader's own
		// operation and path are not repeated.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, errorf("%s %s: %v", label, path, err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, errorf("%s %s: no PEM certificate found in it", label, path)
	}
	return pool, nil
}
