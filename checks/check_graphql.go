package checks

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/graphql"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/internal/safego"
)

func checkGraphQL(ctx context.Context, facts *Facts) Result {
	cfg := facts.Config
	if cfg.GraphQLURL == "" {
		return skip(msgGraphQLUnset)
	}
	if facts.GraphQLTLS != nil {
		return skip(fmt.Sprintf("skipped because the GraphQL host failed the tls check (%s)", facts.GraphQLTLS.Code)).Because(codes.CheckTLS, facts.GraphQLTLS.Code)
	}
	if blocked := bearerOverPlainHTTP(cfg); blocked != "" {
		r := found(codes.PlainHTTPBlocked, blocked)
		r.Details = map[string]any{"url": cfg.GraphQLURL}
		return r
	}
	client := facts.Transport.Client()
	token := facts.Tokens.Access

	// The typename probe and the introspection run side by side.
	var fieldsEx httpx.Exchange
	var fieldsAns *graphql.Answer
	wait := func() {}
	if len(cfg.RequireFields) > 0 {
		wait = safego.Go(func() {
			fieldsEx, fieldsAns = graphql.Post(ctx, client, cfg.GraphQLURL, token, cfg.HasuraRole, graphql.IntrospectionQuery)
		})
	}
	ex, ans := graphql.Post(ctx, client, cfg.GraphQLURL, token, cfg.HasuraRole, graphql.TypenameQuery)
	wait()

	role := hasuraRole(facts)
	details := map[string]any{"url": cfg.GraphQLURL}
	if role != "" {
		details["hasura_role"] = role
	}
	if p := graphql.Classify(ex, ans); p != nil {
		r := fromProblem(p)
		for k, v := range details {
			r.Details[k] = v
		}
		if p.Code == codes.GraphQLRejected {
			explainRejectedClaims(&r, decodeClaims(facts.Tokens.Access.Reveal()))
			if msg, _ := p.Details["graphql_message"].(string); clockRejection(msg) != "" {
				// Expired or from the future: the clock check tells
				// whether a clock explains it (clock.go).
				r = clockConsequence(r)
			}
		}
		if p.Code == codes.GraphQLDenied || p.Code == codes.GraphQLClaims {
			allowed := hasuraAllowedRoles(facts)
			r.Details["allowed_roles"] = allowed
			if p.Code == codes.GraphQLDenied && role != "" {
				r.Message += fmt.Sprintf(" (requested role %s; the token allows %v)", role, allowed)
			}
		}
		if p.Code == codes.GraphQLDenied && p.Details["graphql_code"] == "access-denied" {
			// Hasura refused the role itself: with admin access, tell a role
			// the user lacks from one the token does not carry. When the
			// token's claims already show the refusal, the claims check
			// traces it and this answer is its consequence.
			if traced := traceHasuraRole(ctx, facts, r, role); traced.Code != r.Code {
				if claimsShowRoleRefusal(facts) {
					return r.Because(codes.CheckClaims, traced.Code)
				}
				return traced
			}
		}
		return explainedByClaims(facts, p, r)
	}
	typename := ans.Typename()
	if typename == "" {
		r := found(codes.NotGraphQL, fmt.Sprintf("%s answered without data.__typename to %q", cfg.GraphQLURL, graphql.TypenameQuery))
		r.Details = details
		return r
	}
	details["typename"] = typename
	msg := fmt.Sprintf("%s answered __typename %q with the bearer token", cfg.GraphQLURL, typename)
	if role != "" {
		msg += fmt.Sprintf(" (role %s)", role)
	}
	if typename != "query_root" {
		msg += "; not Hasura's query_root, so Hasura-specific checks do not apply"
	}
	if len(cfg.RequireFields) == 0 {
		return pass(msg, details)
	}
	return checkFields(fieldsEx, fieldsAns, cfg.RequireFields, role, facts.Config.Credentials.ClientID, msg, details)
}

// bearerOverPlainHTTP refuses to send the access token unencrypted across a
// network unless the user said so: like a password, it lets whoever reads
// it act as the user until it expires.
func bearerOverPlainHTTP(cfg *Config) string {
	u, err := url.Parse(cfg.GraphQLURL)
	if err != nil || u.Scheme != "http" || httpx.IsLoopback(u.Hostname()) || cfg.AllowPlainHTTP {
		return ""
	}
	return fmt.Sprintf("not sent: %s is plain http:// to %s, which is not this machine, and the request would carry the access token (pass --allow-plain-http to send it anyway)", cfg.GraphQLURL, u.Hostname())
}

// checkFields reads the introspection answer and looks for every required
// root field among the query and mutation fields the role can see.
func checkFields(ex httpx.Exchange, ans *graphql.Answer, required []string, role, clientID, msg string, details map[string]any) Result {
	if p := graphql.Classify(ex, ans); p != nil {
		r := found(codes.GraphQLNoIntrospec, "introspection of the root fields was refused, so --require-field could not be verified: "+p.Message)
		r.Details = details
		return r
	}
	visible, ok := ans.RootFields()
	if !ok {
		r := found(codes.GraphQLNoIntrospec, "the introspection answer has no __schema.queryType, so --require-field could not be verified")
		r.Details = details
		return r
	}
	var missing []string
	for _, f := range required {
		if !visible[f] {
			missing = append(missing, f)
		}
	}
	details["required_fields"] = required
	if len(missing) > 0 {
		who := "this token"
		if role != "" {
			who = "role " + role
		}
		r := found(codes.GraphQLField, fmt.Sprintf("%s does not see %s among the query and mutation root fields (token from client %s)", who, strings.Join(missing, ", "), clientID))
		details["missing_fields"] = missing
		r.Details = details
		return r
	}
	return pass(msg+"; required fields visible: "+strings.Join(required, ", "), details)
}

// explainRejectedClaims adds the claim Hasura compared when it names one:
// the person then sees both sides, the token's value here and the
// configured one in HASURA_GRAPHQL_JWT_SECRET.
func explainRejectedClaims(r *Result, claims map[string]any) {
	for _, c := range []struct{ jose, claim string }{{"JWTNotInIssuer", "iss"}, {"JWTNotInAudience", "aud"}} {
		if v, ok := claims[c.claim]; ok && strings.Contains(r.Message, c.jose) {
			r.Details["token_"+c.claim] = v
			r.Message += fmt.Sprintf(" (the token's %s is %v)", c.claim, v)
		}
	}
}

// hasuraRole is the role the GraphQL server will use: the x-hasura-role
// header if given, else the token's default role.
func hasuraRole(facts *Facts) string {
	if facts.Config.HasuraRole != "" {
		return facts.Config.HasuraRole
	}
	// As Hasura reads them: x-hasura-* keys in any letter case, and a
	// stringified namespace too (see readHasuraClaims).
	r, _ := readHasuraClaims(decodeClaims(facts.Tokens.Access.Reveal()), facts.Config.HasuraClaims).object["x-hasura-default-role"].(string)
	return r
}

func hasuraAllowedRoles(facts *Facts) any {
	return readHasuraClaims(decodeClaims(facts.Tokens.Access.Reveal()), facts.Config.HasuraClaims).object["x-hasura-allowed-roles"]
}
