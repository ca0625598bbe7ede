package checks

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authdoctor/authdoctor/internal/jsonpath"
	"github.com/authdoctor/authdoctor/internal/shell"
)

// HasuraClaimsAt is where Hasura reads its claims in a token: the
// claims_namespace (a top-level key) or the claims_namespace_path of
// HASURA_GRAPHQL_JWT_SECRET, which Hasura refuses together (JWTConfig's
// FromJSON in server/src-lib/Hasura/Server/Auth/JWT.hs). The zero value is
// Hasura's default, the key "https://hasura.io/jwt/claims".
type HasuraClaimsAt struct {
	Namespace string        // claims_namespace; "" is the default
	Path      jsonpath.Path // claims_namespace_path, when ByPath ("$" is the empty path)
	ByPath    bool
}

// key is the claims_namespace in use.
func (at HasuraClaimsAt) key() string {
	if at.Namespace == "" {
		return hasuraNamespace
	}
	return at.Namespace
}

// isDefault: Hasura's default place, where a mapper mistake is the likely
// reason for claims found elsewhere.
func (at HasuraClaimsAt) isDefault() bool { return !at.ByPath && at.key() == hasuraNamespace }

// String names the place in a message: `"hasura"` or
// `claims_namespace_path $.hasura.claims` (the path as Hasura prints it).
func (at HasuraClaimsAt) String() string {
	if at.ByPath {
		return "claims_namespace_path " + at.Path.String()
	}
	return fmt.Sprintf("%q", at.key())
}

// registeredClaims are the claims jose keeps out of the unregistered
// claims, the only ones Hasura looks the namespace up in (parseClaimsMap).
var registeredClaims = []string{"iss", "sub", "aud", "exp", "nbf", "iat", "jti"}

func unregistered(token jwt.MapClaims) map[string]any {
	out := make(map[string]any, len(token))
	for k, v := range token {
		out[k] = v
	}
	for _, k := range registeredClaims {
		delete(out, k)
	}
	return out
}

// lookup is the claims value as Hasura finds it, before its format is read.
func (at HasuraClaimsAt) lookup(token jwt.MapClaims) (any, bool) {
	claims := unregistered(token)
	if at.ByPath {
		return at.Path.Lookup(claims)
	}
	v, ok := claims[at.key()]
	return v, ok
}

// mapperClaimName is the claim name a Keycloak mapper needs to write the
// Hasura claim name at this place: dots nest, "\." is a literal dot.
// False when no mapper can (a path through a list).
func (at HasuraClaimsAt) mapperClaimName(name string) (string, bool) {
	var parts []string
	for _, e := range at.asPath() {
		if e.IsIndex {
			return "", false
		}
		parts = append(parts, strings.ReplaceAll(e.Key, ".", `\.`))
	}
	return strings.Join(append(parts, name), "."), true
}

// settingFor is the authdoctor setting that reads the claims at path: the
// namespace for one top-level key, else the path; shell-quoted.
func settingFor(path jsonpath.Path) string {
	if len(path) == 1 && !path[0].IsIndex {
		return "--hasura-claims-namespace " + shell.Quote(path[0].Key)
	}
	return "--hasura-claims-namespace-path " + shell.Quote(path.String())
}

// claimsElsewhere finds Hasura claims (an object with an x-hasura-* key,
// or a string holding one) at another place in the token than at: the
// nearest to the top, keys in order, so the answer is stable. Lists are
// not searched: a Keycloak mapper cannot write into one.
func claimsElsewhere(token jwt.MapClaims, at HasuraClaimsAt) (jsonpath.Path, bool) {
	type node struct {
		path jsonpath.Path
		v    any
	}
	here := at.asPath()
	queue := []node{{jsonpath.Path{}, unregistered(token)}}
	// Claims four keys deep at most: a hostile token cannot make the search
	// long, and a mapper's claim name nests no deeper in practice.
	for depth := 0; depth < 5; depth++ {
		var next []node
		for _, n := range queue {
			obj, ok := n.v.(map[string]any)
			if s, isString := n.v.(string); isString { // never the token itself: that is an object
				ok = json.Unmarshal([]byte(s), &obj) == nil
			}
			if !ok {
				continue
			}
			if hasHasuraKey(obj) && !samePath(n.path, here) {
				return n.path, true
			}
			if _, isString := n.v.(string); isString {
				continue
			}
			keys := make([]string, 0, len(obj))
			for k := range obj {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				next = append(next, node{append(append(jsonpath.Path{}, n.path...), jsonpath.Element{Key: k}), obj[k]})
			}
		}
		queue = next
	}
	return nil, false
}

// asPath is the place as a path from the token's root.
func (at HasuraClaimsAt) asPath() jsonpath.Path {
	if at.ByPath {
		return at.Path
	}
	return jsonpath.Keys(at.key())
}

func hasHasuraKey(obj map[string]any) bool {
	for k := range obj {
		if strings.HasPrefix(strings.ToLower(k), "x-hasura-") {
			return true
		}
	}
	return false
}

func samePath(a, b jsonpath.Path) bool {
	return a.String() == b.String()
}
