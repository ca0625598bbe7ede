package checks

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/internal/jsonpath"
	"github.com/authdoctor/authdoctor/internal/shell"
	"github.com/authdoctor/authdoctor/keycloak"
)

// checkClaims reads the Hasura claims from the access token itself, before
// (and independently of) any GraphQL request, so that the diagnosis names
// the claim and the mapper behind it whatever words the server uses, and
// also finds what a bare __typename query cannot show (a tenant id naming
// another tenant is no error to Hasura: the row permissions just filter
// everything out).
//
// The rules are Hasura's (server/src-lib/Hasura/Server/Auth/JWT.hs,
// parseClaimsMap and parseHasuraClaims): the claims_namespace key holds a
// JSON object (claims_format json, the default) or a string holding one
// (stringified_json); only its x-hasura-* keys count, compared
// case-insensitively; x-hasura-allowed-roles is a list of role names,
// x-hasura-default-role one role name, and the requested role (the
// x-hasura-role header, else the default role) must be allowed. Every
// other x-hasura-* value becomes a session variable, which is text.
func checkClaims(ctx context.Context, facts *Facts) Result {
	cfg := facts.Config
	token := decodeClaims(facts.Tokens.Access.Reveal())
	hc := readHasuraClaims(token, cfg.HasuraClaims)
	details := map[string]any{"client_id": cfg.Credentials.ClientID}
	if u, ok := token["preferred_username"].(string); ok {
		details["user"] = u
	}
	if cfg.TenantID != "" {
		details["tenant_id"] = cfg.TenantID
	}
	if !hc.present && cfg.GraphQLURL == "" && !hc.misplaced {
		// A token of a client not meant for Hasura, and no API to call:
		// nothing here says the claims are needed.
		r := skip(fmt.Sprintf("the token from client %s carries no Hasura claims (%s) and no GraphQL URL is given, so the tenant claim was not checked", cfg.Credentials.ClientID, hc.at))
		r.Details = details
		return r
	}
	findings := hc.findings(cfg)
	for i := range findings {
		if findings[i].noTenantClaim {
			traceTenantAttribute(ctx, facts, &findings[i], details)
		}
	}
	for k, v := range hc.details() {
		details[k] = v
	}
	// The role Hasura runs the request as (filled into the fix's commands).
	if role, _ := hc.object["x-hasura-default-role"].(string); cfg.HasuraRole != "" || role != "" {
		if cfg.HasuraRole != "" {
			role = cfg.HasuraRole
		}
		details["hasura_role"] = role
	}
	if len(findings) == 0 {
		return pass(hc.summary(cfg), details)
	}
	first := findings[0]
	r := found(first.code, first.message)
	if len(findings) > 1 {
		// Every finding at once: the person fixes them in one go.
		var also, alsoCodes []string
		for _, f := range findings[1:] {
			also = append(also, fmt.Sprintf("%s: %s", f.code.ID, f.message))
			alsoCodes = append(alsoCodes, f.code.ID)
		}
		r.Message += "; also " + strings.Join(also, "; ")
		details["also"] = alsoCodes
	}
	r.Hint = first.hint
	if first.fixCase != "" {
		details[codes.DetailFixCase] = first.fixCase
		details["claims_found_at"] = hc.elsewhere.String()
	}
	r.Details = details
	if first.code == codes.HasuraRoleNotAllowed {
		// With admin access, the role tracer tells a role the user lacks
		// from one its token does not carry (evidence.go).
		role, _ := details["hasura_role"].(string)
		r = traceHasuraRole(ctx, facts, r, role)
		r = becauseOfMissingRole(facts, r, role)
	}
	return r
}

// becauseOfMissingRole marks a Hasura role refusal as a consequence of the
// roles check when that check already failed on the same role (--require-role
// admin-user, and admin-user is the Hasura role): one missing role, one
// cause to fix, not two.
func becauseOfMissingRole(facts *Facts, r Result, role string) Result {
	if role == "" || !contains(facts.Config.RequireRoles, role) {
		return r
	}
	switch _, code := facts.Outcome(codes.CheckRoles); code {
	case codes.MissingRole, codes.RoleNotAssigned, codes.RoleNotInToken:
		return r.Because(codes.CheckRoles, code)
	}
	return r
}

// hasuraClaims is the claims namespace as Hasura would read it.
type hasuraClaims struct {
	at          HasuraClaimsAt // where Hasura reads them (--hasura-claims-namespace, --hasura-claims-namespace-path)
	present     bool           // something is there
	raw         any            // its value as decoded from the token
	stringified bool           // a string holding a JSON object (claims_format stringified_json)
	object      map[string]any // the x-hasura-* claims, keys lower-cased
	shape       string         // why raw is not usable; "" when object is set
	// misplaced: with no x-hasura-* claim at at, Hasura claims were found
	// at elsewhere instead (a mapper claim name with an unescaped dot, or a
	// Hasura that reads another namespace than authdoctor was told).
	misplaced bool
	elsewhere jsonpath.Path
	token     jwt.MapClaims
}

func readHasuraClaims(token jwt.MapClaims, at HasuraClaimsAt) hasuraClaims {
	hc := hasuraClaims{at: at, token: token}
	hc.raw, hc.present = at.lookup(token)
	if !hc.present {
		hc.elsewhere, hc.misplaced = claimsElsewhere(token, at)
		return hc
	}
	var obj map[string]any
	switch v := hc.raw.(type) {
	case map[string]any:
		obj = v
	case string:
		if err := json.Unmarshal([]byte(v), &obj); err != nil || obj == nil {
			hc.shape = "is a string that does not hold a JSON object"
			return hc
		}
		hc.stringified = true
	default:
		hc.shape = fmt.Sprintf("is %s, not a JSON object", jsonKind(v))
		return hc
	}
	hc.object = map[string]any{}
	for k, v := range obj {
		if lk := strings.ToLower(k); strings.HasPrefix(lk, "x-hasura-") {
			hc.object[lk] = v
		}
	}
	if len(hc.object) == 0 {
		// "$", or a namespace holding other claims only: the claims
		// may sit elsewhere.
		hc.elsewhere, hc.misplaced = claimsElsewhere(token, at)
	}
	return hc
}

type claimFinding struct {
	code    *codes.Code
	message string
	hint    string
	// noTenantClaim: x-hasura-tenant-id is missing, which the user's
	// attributes can trace to the attribute or the mapper.
	noTenantClaim bool
	fixCase       string // the code's Case, when not its own fix
}

// findings lists what Hasura would refuse, in the order Hasura checks it
// (namespace, allowed roles, default role, requested role, session
// variables), then the tenant contract, which Hasura does not check.
func (hc hasuraClaims) findings(cfg *Config) []claimFinding {
	client := cfg.Credentials.ClientID
	if !hc.present || (hc.object != nil && len(hc.object) == 0 && hc.misplaced) {
		return []claimFinding{hc.notHere(client)}
	}
	if hc.object == nil {
		return []claimFinding{{code: codes.HasuraClaimsMalformed, message: fmt.Sprintf("%s %s; Hasura wants an object (claims_format json) or a string holding one (claims_format stringified_json)", hc.where(), hc.shape)}}
	}
	var out []claimFinding
	add := func(code *codes.Code, hint, format string, args ...any) {
		out = append(out, claimFinding{code: code, message: fmt.Sprintf(format, args...), hint: hint})
	}
	allowed, allowedOK := hc.allowedRoles()
	switch raw, has := hc.object["x-hasura-allowed-roles"]; {
	case !has:
		add(codes.HasuraClaimsMalformed, fmt.Sprintf("The allowed-roles mapper of client %s adds nothing when the user has none of the roles it maps: assign the user's roles, or check the mapper.", client),
			"the Hasura claims have no x-hasura-allowed-roles (Hasura: \"JWT claim does not contain x-hasura-allowed-roles\")")
	case !allowedOK:
		if s, isString := raw.(string); isString {
			add(codes.HasuraClaimsMalformed, fmt.Sprintf("Switch Multivalued on in the x-hasura-allowed-roles mapper of client %s.", client),
				"x-hasura-allowed-roles is the string %q, not a list: its mapper has Multivalued off (Hasura: \"invalid x-hasura-allowed-roles; should be a list of roles\")", clip(s))
		} else {
			add(codes.HasuraClaimsMalformed, "", "x-hasura-allowed-roles is %s, not a list of role names (Hasura: \"invalid x-hasura-allowed-roles; should be a list of roles\")", jsonKind(raw))
		}
	}
	defaultRole, defaultOK := hc.object["x-hasura-default-role"].(string)
	switch raw, has := hc.object["x-hasura-default-role"]; {
	case !has:
		add(codes.HasuraClaimsMalformed, "", "the Hasura claims have no x-hasura-default-role (Hasura: \"JWT claim does not contain x-hasura-default-role\")")
	case !defaultOK || defaultRole == "":
		add(codes.HasuraClaimsMalformed, "", "x-hasura-default-role is %s, not one role name (Hasura: \"invalid x-hasura-default-role; should be a single role name\")", describeValue(raw))
	}
	if allowedOK && defaultOK && defaultRole != "" {
		switch {
		case cfg.HasuraRole != "" && !contains(allowed, cfg.HasuraRole):
			add(codes.HasuraRoleNotAllowed, fmt.Sprintf("Request a role the user has with --hasura-role, or assign the realm role %s to the user.", cfg.HasuraRole),
				"--hasura-role %s is not among the token's allowed roles [%s] (Hasura: \"Your requested role is not in allowed roles\")", cfg.HasuraRole, strings.Join(allowed, ", "))
		case cfg.HasuraRole == "" && !contains(allowed, defaultRole):
			add(codes.HasuraRoleNotAllowed, fmt.Sprintf("Client %s makes %s the default role: assign that realm role to the user, or request one of the allowed roles with --hasura-role.", client, defaultRole),
				"the token's default role %s is not among its allowed roles [%s], so every request without x-hasura-role is refused (Hasura: \"Your requested role is not in allowed roles\")", defaultRole, strings.Join(allowed, ", "))
		}
	}
	for _, name := range sortedKeys(hc.object) {
		if name == "x-hasura-allowed-roles" || name == "x-hasura-default-role" {
			continue
		}
		if _, isString := hc.object[name].(string); !isString {
			hint := ""
			if _, isList := hc.object[name].([]any); isList {
				hint = fmt.Sprintf("Switch Multivalued off in the %s mapper of client %s.", name, client)
			}
			add(codes.HasuraClaimsMalformed, hint, "%s is %s, but Hasura session variables are strings, so it refuses the whole token (jwt-invalid-claims)", name, describeValue(hc.object[name]))
		}
	}
	if f, ok := hc.tenantFinding(cfg); ok {
		out = append(out, f)
	}
	return out
}

// where names the claims value in a message.
func (hc hasuraClaims) where() string {
	if hc.at.ByPath {
		return "the value at " + hc.at.String()
	}
	return fmt.Sprintf("the token's %s claim", hc.at)
}

// notHere is the finding for a token without x-hasura-* claims where
// Hasura reads them: none at all (a client without Hasura mappers), or
// some elsewhere, which the person fixes either in the mappers or, when
// Hasura reads them there, in authdoctor's settings.
func (hc hasuraClaims) notHere(client string) claimFinding {
	f := claimFinding{code: codes.HasuraClaimsMalformed}
	switch {
	case hc.present:
		f.message = fmt.Sprintf("%s holds no x-hasura-* claim", hc.where())
	case hc.at.ByPath:
		f.message = "the access token has no claims at " + hc.at.String()
	default:
		f.message = fmt.Sprintf("the access token has no %s claim", hc.at)
	}
	mapperName, mappable := hc.at.mapperClaimName("x-hasura-<name>")
	fixMappers := "Fix the claim names of the Hasura mappers of client " + client + ": each must read " + mapperName + "."
	if !mappable {
		fixMappers = "A Keycloak mapper cannot write into a list, which " + hc.at.String() + " passes through."
	}
	switch {
	case !hc.misplaced:
		f.message += fmt.Sprintf(": client %s has no Hasura mappers, so Hasura cannot tell who the user is", client)
		f.hint = fmt.Sprintf("Client %s puts no Hasura claims into its tokens: use a client with the Hasura mappers (admin-portal), or add them to %s.", client, client)
	case hc.at.isDefault() && samePath(hc.elsewhere, jsonpath.Keys("https://hasura", "io/jwt/claims")):
		// Keycloak splits a claim name at every unescaped dot: the
		// classic mistake, not another namespace.
		f.message += `; Hasura claims were found under "https://hasura" > "io/jwt/claims" (the mappers' claim names do not escape the dot: write https://hasura\.io/jwt/claims.x-hasura-...)`
		f.hint = fixMappers
	default:
		found := hc.elsewhere.String()
		hasura := fmt.Sprintf(`"claims_namespace_path": %q`, found)
		switch {
		case len(hc.elsewhere) == 0:
			var top []string
			for k := range unregistered(hc.token) {
				if strings.HasPrefix(strings.ToLower(k), "x-hasura-") {
					top = append(top, k)
				}
			}
			sort.Strings(top)
			found = fmt.Sprintf("at the top level of the token (%s)", clip(strings.Join(top, ", ")))
		case len(hc.elsewhere) == 1:
			found = fmt.Sprintf("under the key %q", hc.elsewhere[0].Key)
			hasura = fmt.Sprintf(`"claims_namespace": %q`, hc.elsewhere[0].Key)
		default:
			found = "at " + found
		}
		// The setting is in the message too: the short output and CI
		// logs show no hint.
		f.message += "; Hasura claims were found " + found + " instead (if Hasura reads them there: " + settingFor(hc.elsewhere) + ")"
		f.hint = fmt.Sprintf("If Hasura reads them there (%s in HASURA_GRAPHQL_JWT_SECRET), tell authdoctor: %s. Otherwise %s",
			hasura, settingFor(hc.elsewhere), strings.ToLower(fixMappers[:1])+fixMappers[1:])
		f.fixCase = codes.CaseClaimsElsewhere
	}
	return f
}

// tenantFinding checks x-hasura-tenant-id against TENANT_ID.
func (hc hasuraClaims) tenantFinding(cfg *Config) (claimFinding, bool) {
	if cfg.TenantID == "" {
		return claimFinding{}, false
	}
	client := cfg.Credentials.ClientID
	raw, has := hc.object["x-hasura-tenant-id"]
	if !has {
		// The other claims show the client has Hasura mappers: what is
		// missing is the attribute or that one mapper, which the token
		// alone cannot tell apart (the user's attributes can).
		others := sortedKeys(hc.object)
		msg := fmt.Sprintf("the token's Hasura claims have no x-hasura-tenant-id (TENANT_ID is %s)", cfg.TenantID)
		if len(others) > 0 {
			msg += fmt.Sprintf(", though they carry %s: the user has no tenant-id attribute, or client %s has no tenant-id mapper", strings.Join(others, ", "), client)
		} else {
			msg += fmt.Sprintf(": the user has no tenant-id attribute, or client %s has no tenant-id mapper", client)
		}
		hint := fmt.Sprintf("Read the user's attributes first (kcadm.sh get users/<user-id> --fields username,attributes): with tenant-id set there, the tenant-id mapper of client %s is what is missing.", client)
		return claimFinding{code: codes.TenantMismatch, message: msg, hint: hint, noTenantClaim: true}, true
	}
	got, isString := raw.(string)
	if !isString {
		if list, isList := raw.([]any); isList && len(list) == 1 && list[0] == cfg.TenantID {
			return claimFinding{}, false // the right tenant, in the wrong shape: reported above
		}
		return claimFinding{code: codes.TenantMismatch, message: fmt.Sprintf("x-hasura-tenant-id is %s, not TENANT_ID %s", describeValue(raw), cfg.TenantID)}, true
	}
	if got == cfg.TenantID {
		return claimFinding{}, false
	}
	msg := fmt.Sprintf("x-hasura-tenant-id is %s but TENANT_ID is %s: the user's tenant-id attribute names another tenant", clip(got), cfg.TenantID)
	if strings.EqualFold(got, cfg.TenantID) {
		msg = fmt.Sprintf("x-hasura-tenant-id is %s but TENANT_ID is %s: they differ in letter case, and Hasura compares session variables with the database's tenant ids exactly", got, cfg.TenantID)
	}
	return claimFinding{code: codes.TenantMismatch, message: msg, hint: fmt.Sprintf("Set the user's tenant-id attribute to %s (kcadm.sh update users/<user-id>), or check that TENANT_ID names the tenant this user belongs to.", cfg.TenantID)}, true
}

// traceTenantAttribute tells, with admin access, which of the two causes
// of a missing x-hasura-tenant-id it is: the user's attributes either
// have tenant-id (so the client's mapper is missing or does not reach the
// access token) or do not. Without admin access the finding stays as the
// token alone can say it.
func traceTenantAttribute(ctx context.Context, facts *Facts, f *claimFinding, details map[string]any) {
	admin, problem := facts.AdminSession(ctx)
	if admin == nil {
		if problem != nil {
			details["user_attributes"] = "not read: " + problem.Message
		}
		return
	}
	cfg := facts.Config
	var (
		user *keycloak.User
		ae   *keycloak.AdminError
		who  string
	)
	if cfg.Grant() == keycloak.GrantPassword {
		user, ae = admin.FindUser(ctx, cfg.Credentials.Username)
		who = "user " + cfg.Credentials.Username
	} else {
		user, ae = admin.ServiceAccountUser(ctx, cfg.Credentials.ClientID)
		who = "the service-account user of " + cfg.Credentials.ClientID
	}
	switch {
	case ae != nil:
		details["user_attributes"] = "not read: " + ae.Problem.Message
		return
	case user == nil:
		return
	}
	client := cfg.Credentials.ClientID
	values := user.Attributes["tenant-id"]
	if len(values) == 0 {
		details["tenant_id_attribute"] = nil
		f.message = fmt.Sprintf("the token's Hasura claims have no x-hasura-tenant-id (TENANT_ID is %s): the admin API shows that %s has no tenant-id attribute", cfg.TenantID, who)
		f.hint = fmt.Sprintf("Set the tenant-id attribute of %s to %s (kcadm.sh update users/<user-id>).", who, cfg.TenantID)
		return
	}
	details["tenant_id_attribute"] = values
	f.message = fmt.Sprintf("the token's Hasura claims have no x-hasura-tenant-id (TENANT_ID is %s), although %s has the tenant-id attribute [%s] (admin API): client %s has no tenant-id mapper, or it does not reach the access token",
		cfg.TenantID, who, clip(strings.Join(values, ", ")), client)
	name, _ := cfg.HasuraClaims.mapperClaimName("x-hasura-tenant-id")
	f.hint = fmt.Sprintf("Add to client %s a User Attribute mapper: user.attribute tenant-id, claim name %s, Add to access token on (as admin-portal has it).", client, name)
}

func (hc hasuraClaims) allowedRoles() ([]string, bool) {
	list, ok := hc.object["x-hasura-allowed-roles"].([]any)
	if !ok {
		return nil, false
	}
	roles := make([]string, 0, len(list))
	for _, v := range list {
		s, ok := v.(string)
		if !ok || s == "" {
			return nil, false
		}
		roles = append(roles, s)
	}
	return roles, true
}

func (hc hasuraClaims) details() map[string]any {
	d := map[string]any{}
	if !hc.present {
		return d
	}
	d["claims_format"] = "json"
	if hc.stringified {
		d["claims_format"] = "stringified_json"
	}
	if hc.object == nil {
		d["hasura_claims"] = hc.raw
		return d
	}
	d["hasura_claims"] = hc.object
	return d
}

// summary is the message of a pass.
func (hc hasuraClaims) summary(cfg *Config) string {
	allowed, _ := hc.allowedRoles()
	role, how := cfg.HasuraRole, "requested with --hasura-role"
	if role == "" {
		role, _ = hc.object["x-hasura-default-role"].(string)
		how = "the default role"
	}
	var parts []string
	if cfg.TenantID != "" {
		parts = append(parts, "x-hasura-tenant-id is TENANT_ID "+cfg.TenantID)
	}
	// The whole list is in the details; a user with many roles would
	// otherwise fill the table with them.
	list := fmt.Sprintf("[%s]", strings.Join(allowed, ", "))
	if len(allowed) > 4 {
		list = fmt.Sprintf("(%d roles)", len(allowed))
	}
	parts = append(parts, fmt.Sprintf("role %s (%s) is among the allowed roles %s", role, how, list))
	if def, _ := hc.object["x-hasura-default-role"].(string); cfg.HasuraRole != "" && !contains(allowed, def) {
		parts = append(parts, fmt.Sprintf("the default role %s is not allowed, so requests without x-hasura-role are refused", def))
	}
	if hc.stringified {
		parts = append(parts, "the claims are a JSON string, which Hasura reads only with claims_format stringified_json")
	}
	head := "the token's Hasura claims"
	if !hc.at.isDefault() {
		// Not Hasura's default place: say which one was read.
		head += " at " + hc.at.String()
		if !hc.at.ByPath {
			head = "the token's Hasura claims (claims_namespace " + hc.at.String() + ")"
		}
	}
	return head + ": " + strings.Join(parts, "; ")
}

// explainedByClaims marks a GraphQL refusal as the consequence of what the
// claims check found in the token, when that finding is what Hasura
// refused: the report then leads with the claim and the mapper behind it,
// and the server's words stay as evidence. The runner keeps the mark only
// when the claims check ran and reported that very code. A refusal the
// token does not explain (a key Hasura does not trust, a claims_namespace
// configured elsewhere) stays a finding of its own.
func explainedByClaims(facts *Facts, p *httpx.Problem, r Result) Result {
	if p.Code != codes.GraphQLClaims && p.Code != codes.GraphQLDenied {
		return r
	}
	hc := readHasuraClaims(decodeClaims(facts.Tokens.Access.Reveal()), facts.Config.HasuraClaims)
	said, _ := p.Details["graphql_message"].(string)
	code, _ := p.Details["graphql_code"].(string)
	// The claims_format mismatch, which the token alone cannot show: the
	// token's shape is valid for one format, Hasura is set to the other.
	switch {
	case hc.stringified && strings.Contains(said, "expecting a json object when claims_format is json"):
		name, _ := hc.at.mapperClaimName("x-hasura-<name>")
		r.Hint = strings.TrimSpace(fmt.Sprintf("%s is a string holding JSON (claims_format stringified_json), and Hasura reads it as an object (claims_format json, the default): "+
			"give the mappers claim names under the namespace (%s, one mapper per claim) so Keycloak writes an object, or set \"claims_format\": \"stringified_json\" in HASURA_GRAPHQL_JWT_SECRET.", upperFirst(hc.where()), name) + "\n" + r.Hint)
	case hc.object != nil && !hc.stringified && strings.Contains(said, "expecting a string when claims_format is stringified_json"):
		r.Hint = strings.TrimSpace("The token's Hasura claims are a JSON object, and Hasura is set to read a string (claims_format stringified_json): remove claims_format from HASURA_GRAPHQL_JWT_SECRET, or set it to json.\n" + r.Hint)
	}
	if setting := hasuraReadsElsewhere(said, hc.at); setting != "" {
		// Hasura's answer names the place it reads: the claims check
		// read another one, so its finding is no explanation.
		r.Hint = strings.TrimSpace(fmt.Sprintf("Hasura reads its claims elsewhere than authdoctor (%s): run authdoctor with %s so both read the same place.", hc.at, setting) + "\n" + r.Hint)
		return r
	}
	findings := hc.findings(facts.Config)
	if len(findings) == 0 {
		return r
	}
	first := findings[0].code
	switch {
	case first == codes.HasuraClaimsMalformed && (code == "jwt-invalid-claims" || code == "jwt-missing-role-claims"):
	case first == codes.HasuraRoleNotAllowed && code == "access-denied":
	case first == codes.TenantMismatch && strings.Contains(strings.ToLower(said), `missing session variable: "x-hasura-tenant-id"`):
	default:
		return r
	}
	return r.Because(codes.CheckClaims, first)
}

// hasuraReadsElsewhere reads the place Hasura's claimsNotFound answer
// names ("claims key: '<ns>' not found", "claims not found at
// claims_namespace_path: '<path>'") and, when it is not at, returns the
// setting that reads it; "" otherwise.
func hasuraReadsElsewhere(said string, at HasuraClaimsAt) string {
	if ns, ok := between(said, "claims key: '", "' not found"); ok && (at.ByPath || ns != at.key()) {
		return settingFor(jsonpath.Keys(ns))
	}
	if raw, ok := between(said, "claims not found at claims_namespace_path: '", "'"); ok {
		if p, err := jsonpath.Parse(raw); err == nil && (!at.ByPath || p.String() != at.Path.String()) {
			return "--hasura-claims-namespace-path " + shell.Quote(p.String())
		}
	}
	return ""
}

// between is the text of s between prefix (at its start) and suffix (at its end).
func between(s, prefix, suffix string) (string, bool) {
	if !strings.HasPrefix(s, prefix) || !strings.HasSuffix(s, suffix) || len(s) < len(prefix)+len(suffix) {
		return "", false
	}
	return s[len(prefix) : len(s)-len(suffix)], true
}

func upperFirst(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case float64:
		return "a number"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("a %T", v)
}

// describeValue shows a claim's value with its kind, e.g. `the list ["a"]`.
func describeValue(v any) string {
	b, err := json.Marshal(v)
	if err != nil || len(b) > 200 {
		return jsonKind(v)
	}
	return fmt.Sprintf("%s %s", jsonKind(v), b)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// clip bounds a value taken from the token for a message: the token
// comes from a server, and a message is one line of a report.
func clip(s string) string {
	const max = 100
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}
