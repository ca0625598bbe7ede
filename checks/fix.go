package checks

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/shell"
	"github.com/authdoctor/authdoctor/report"
)

// fixVars are the run's values a fix is filled in with. There is no field
// for a secret: a password, a client secret or a token cannot reach a
// command, whatever a template says (<password> stays a placeholder).
type fixVars struct {
	keycloakURL, graphQLURL, graphQLBase string
	realm, tenantID, client, user        string
	admin, adminRealm                    string
	roles                                []string // to assign; client roles as client:role
	hasuraRole                           string
	host, port, url                      string
	grant                                string
	seconds                              string // a session lifespan that outlasts the job
}

// varsOf collects the values of one run, and of one result (the host a TLS
// finding is about, the roles a token lacks).
func varsOf(cfg *Config, r report.CheckResult) fixVars {
	v := fixVars{
		keycloakURL: strings.TrimRight(cfg.KeycloakURL, "/"),
		graphQLURL:  cfg.GraphQLURL,
		realm:       cfg.Realm,
		tenantID:    cfg.TenantID,
		client:      cfg.Credentials.ClientID,
		user:        cfg.Credentials.Username,
		admin:       cfg.Admin.Username,
		adminRealm:  cfg.Admin.Realm,
		roles:       cfg.RequireRoles,
		hasuraRole:  cfg.HasuraRole,
		grant:       cfg.Grant(),
	}
	if v.grant == "client_credentials" && v.client != "" {
		// Keycloak names the client's service account so, in lower case
		// (usernames are stored lower-cased).
		v.user = "service-account-" + strings.ToLower(v.client)
	}
	if u, err := url.Parse(cfg.GraphQLURL); err == nil && u.Host != "" {
		v.graphQLBase = u.Scheme + "://" + u.Host
	}
	if role, ok := r.Details["hasura_role"].(string); ok && role != "" {
		v.hasuraRole = role
	}
	v.roles = lackedRoles(cfg.RequireRoles, r.Details)
	// The role tracer names the roles it found missing; a Hasura role
	// refusal is about the Hasura role, required or not.
	switch r.Code {
	case codes.RoleNotAssigned.ID:
		if l, ok := r.Details["roles_not_assigned"].([]string); ok && len(l) > 0 {
			v.roles = l
		}
	case codes.RoleNotInToken.ID:
		if l, ok := r.Details["roles_not_in_token"].([]string); ok && len(l) > 0 {
			v.roles = l
		}
	}
	if len(v.roles) == 0 && v.hasuraRole != "" {
		v.roles = []string{v.hasuraRole}
	}
	if cfg.JobDuration > 0 {
		// The session maximum the JOB_OUTLIVES_SESSION message names.
		v.seconds = strconv.FormatInt(int64(sessionFor(cfg.JobDuration)/time.Second), 10)
	}
	// The host and port a TLS finding is about: the GraphQL host when the
	// message says so, else Keycloak's.
	target := cfg.KeycloakURL
	v.url = v.keycloakURL + "/realms/" + url.PathEscape(cfg.Realm)
	if strings.HasPrefix(r.Message, "GraphQL host") || r.Code == codes.GraphQLUnreachable.ID {
		target, v.url = cfg.GraphQLURL, cfg.GraphQLURL
	}
	if u, err := url.Parse(target); err == nil && u.Hostname() != "" {
		v.host, v.port = u.Hostname(), u.Port()
		if v.port == "" {
			v.port = map[string]string{"https": "443", "http": "80"}[u.Scheme]
		}
	}
	return v
}

// fillFix completes a result's fix for this run: its commands (login and
// lookups first), with every placeholder the run knows filled in and
// shell-quoted, and its console path filled in as plain text. The steps
// stay the registry's words (the same as `authdoctor explain`): the
// commands beside them carry this run's values.
func fillFix(r *report.CheckResult, c *codes.Code, v fixVars) {
	r.Commands = fillCommands(c.CommandLines(), v)
	r.Console = fillText(c.Console, v)
}

// FillFixes fills in the fix of every result that has a code, with the
// values of the run cfg describes.
func FillFixes(results []report.CheckResult, cfg *Config) {
	for i := range results {
		c, ok := codes.Lookup(results[i].Code)
		if !ok || results[i].Code == "" {
			continue
		}
		fillFix(&results[i], c.For(fixCase(results[i].Details)), varsOf(cfg, results[i]))
	}
}

// fillCommands fills in template command lines. A line naming <role> is
// written once per role to assign: a client role (client:role) only into
// the line with --cclientid, a realm role only into the others.
func fillCommands(lines []string, v fixVars) []report.Command {
	var out []report.Command
	if v.grant == "client_credentials" {
		for i, l := range lines {
			if l == codes.TokenRequest {
				lines[i] = codes.TokenRequestClient
			}
		}
	}
	for _, l := range lines {
		if l == codes.KcadmLogin && v.adminRealm != "" && v.adminRealm != "master" {
			l = strings.Replace(l, "--realm master", "--realm "+shell.Quote(v.adminRealm), 1)
		}
		if !strings.Contains(l, codes.PhRole) || len(v.roles) == 0 {
			out = append(out, command(fillLine(l, v, "")))
			continue
		}
		clientLine := strings.Contains(l, "--cclientid "+codes.PhClient)
		hasClientForm := false
		for _, other := range lines {
			if other != l && strings.Contains(other, codes.PhRole) && strings.Contains(other, "--cclientid "+codes.PhClient) {
				hasClientForm = true
			}
		}
		for _, role := range v.roles {
			client, name, isClient := strings.Cut(role, ":")
			switch {
			case isClient && clientLine:
				l2 := strings.Replace(l, "--cclientid "+codes.PhClient, "--cclientid "+shell.Quote(client), 1)
				out = append(out, command(fillLine(l2, v, name)))
			case !isClient && !clientLine:
				out = append(out, command(fillLine(l, v, role)))
			case isClient && !clientLine && !hasClientForm:
				// No client-role form in this fix: keep the whole name.
				out = append(out, command(fillLine(l, v, role)))
			}
		}
	}
	return out
}

// command names the program a line runs: the first word, or for
// VAR=$(program ...) the program inside.
func command(text string) report.Command {
	tool := text
	if name, rest, ok := strings.Cut(tool, "=$("); ok && !strings.ContainsAny(name, " '\"") {
		tool = rest
	}
	tool, _, _ = strings.Cut(tool, " ")
	return report.Command{Tool: tool, Text: text}
}

// placeholders in the order they are tried at a position (longest first
// where one is the start of another).
func (v fixVars) values(role string) []struct{ ph, value string } {
	return []struct{ ph, value string }{
		{codes.PhGraphQLBase, v.graphQLBase},
		{codes.PhKeycloakURL, v.keycloakURL},
		{codes.PhGraphQLURL, v.graphQLURL},
		{codes.PhRealm, v.realm},
		{"<realm>", v.realm},
		{codes.PhTenantID, v.tenantID},
		{codes.PhClient, v.client},
		{codes.PhUser, v.user},
		{codes.PhAdmin, v.admin},
		{codes.PhRole, role},
		{codes.PhHasuraRole, v.hasuraRole},
		{codes.PhURL, v.url},
		{codes.PhHost, v.host},
		{codes.PhPort, v.port},
		{codes.PhSeconds, v.seconds},
	}
}

// fillLine substitutes the placeholders of one shell command line, quoting
// each value for where it stands: outside quotes as one shell word, inside
// single quotes with ' escaped, inside double quotes with \ " $ ` escaped.
// A value that cannot stand where the placeholder is (a " or \ inside a
// single-quoted JSON text) leaves the placeholder as it is, and an unknown
// value (empty) does too: the command then shows what to put there.
func fillLine(line string, v fixVars, role string) string {
	subs := v.values(role)
	var b strings.Builder
	var quote byte // 0, '\'' or '"'
	for i := 0; i < len(line); {
		ch := line[i]
		matched := false
		for _, s := range subs {
			if !strings.HasPrefix(line[i:], s.ph) {
				continue
			}
			matched = true
			b.WriteString(quoteIn(quote, s.ph, s.value))
			i += len(s.ph)
			break
		}
		if matched {
			continue
		}
		switch {
		case quote == 0 && (ch == '\'' || ch == '"'):
			quote = ch
		case quote == ch:
			quote = 0
		case quote == '"' && ch == '\\' && i+1 < len(line):
			b.WriteByte(ch)
			i++
			ch = line[i]
		}
		b.WriteByte(ch)
		i++
	}
	return b.String()
}

func quoteIn(quote byte, ph, value string) string {
	if value == "" || strings.ContainsAny(value, "\n\r\x00") {
		return ph
	}
	switch quote {
	case '\'':
		if strings.ContainsAny(value, `"\`) {
			return ph
		}
		return strings.ReplaceAll(value, "'", `'\''`)
	case '"':
		r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`")
		return r.Replace(value)
	}
	return shell.Quote(value)
}

// fillText fills in placeholders in prose (console paths) with
// the plain values: it is read, not run.
func fillText(text string, v fixVars) string {
	if text == "" {
		return ""
	}
	var pairs []string
	for _, s := range v.values(oneRole(v.roles)) {
		if s.value != "" && !strings.ContainsAny(s.value, "\n\r") {
			pairs = append(pairs, s.ph, s.value)
		}
	}
	return strings.NewReplacer(pairs...).Replace(text)
}

// oneRole is the role prose can name: the only one, else none.
func oneRole(roles []string) string {
	if len(roles) == 1 {
		return roles[0]
	}
	return ""
}

// lackedRoles are the required roles the token in details does not carry
// (all of them when the details name no roles): the roles to assign.
func lackedRoles(required []string, details map[string]any) []string {
	realm, hasRealm := details["realm_roles"].([]string)
	clients, _ := details["client_roles"].(map[string][]string)
	if !hasRealm {
		return required
	}
	var out []string
	for _, role := range required {
		held := realm
		if client, name, ok := strings.Cut(role, ":"); ok {
			held, role = clients[client], name
			if !contains(held, role) {
				out = append(out, client+":"+role)
			}
			continue
		}
		if !contains(held, role) {
			out = append(out, role)
		}
	}
	return out
}
