package checks

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/authdoctor/authdoctor/keycloak"
)

func checkGraphQL(ctx context.Context, run *Run) Result {
	cfg := run.Config
	if cfg.GraphQLURL == "" {
		return skip("no GraphQL URL given (--graphql-url or GRAPHQL_URL)")
	}
	if run.graphqlTLS != nil {
		return skip(fmt.Sprintf("skipped because the GraphQL host failed the tls check (%s)", run.graphqlTLS.Code))
	}
	client := run.Transport.Client()
	token := run.tokens.Access

	// The typename probe and the introspection run side by side.
	var fieldsEx keycloak.Exchange
	var fieldsAns *gqlAnswer
	done := make(chan struct{})
	if len(cfg.RequireFields) > 0 {
		go func() {
			defer close(done)
			fieldsEx, fieldsAns = postGraphQL(ctx, client, cfg.GraphQLURL, token, cfg.HasuraRole, introspectionQuery)
		}()
	} else {
		close(done)
	}
	ex, ans := postGraphQL(ctx, client, cfg.GraphQLURL, token, cfg.HasuraRole, typenameQuery)
	<-done

	role := hasuraRole(run)
	details := map[string]any{"url": cfg.GraphQLURL}
	if role != "" {
		details["hasura_role"] = role
	}
	if p := classifyGraphQL(ex, ans); p != nil {
		r := fromProblem(p)
		for k, v := range details {
			r.Details[k] = v
		}
		if p.Code == CodeGraphQLRejected {
			explainRejectedClaims(&r, decodeClaims(run.tokens.Access.Reveal()))
		}
		if p.Code == CodeGraphQLDenied || p.Code == CodeGraphQLClaims {
			allowed := hasuraAllowedRoles(run)
			r.Details["allowed_roles"] = allowed
			if p.Code == CodeGraphQLDenied && role != "" {
				r.Message += fmt.Sprintf(" (requested role %s; the token allows %v)", role, allowed)
			}
		}
		return r
	}
	var data struct {
		Typename string `json:"__typename"`
	}
	_ = json.Unmarshal(ans.Data, &data)
	if data.Typename == "" {
		r := fail(CodeNotGraphQL, fmt.Sprintf("%s answered without data.__typename to %q", cfg.GraphQLURL, typenameQuery))
		r.Details = details
		return r
	}
	details["typename"] = data.Typename
	msg := fmt.Sprintf("%s answered __typename %q with the bearer token", cfg.GraphQLURL, data.Typename)
	if role != "" {
		msg += fmt.Sprintf(" (role %s)", role)
	}
	if data.Typename != "query_root" {
		msg += "; not Hasura's query_root, so Hasura-specific checks do not apply"
	}
	if len(cfg.RequireFields) == 0 {
		return pass(msg, details)
	}
	return checkFields(fieldsEx, fieldsAns, cfg.RequireFields, role, run.Config.Credentials.ClientID, msg, details)
}

// checkFields reads the introspection answer and looks for every required
// root field among the query and mutation fields the role can see.
func checkFields(ex keycloak.Exchange, ans *gqlAnswer, required []string, role, clientID, msg string, details map[string]any) Result {
	if p := classifyGraphQL(ex, ans); p != nil {
		r := warn(CodeGraphQLNoIntrospec, "introspection of the root fields was refused, so --require-field could not be verified: "+p.Message)
		r.Details = details
		return r
	}
	var schema struct {
		Schema struct {
			QueryType    *rootType `json:"queryType"`
			MutationType *rootType `json:"mutationType"`
		} `json:"__schema"`
	}
	if json.Unmarshal(ans.Data, &schema) != nil || schema.Schema.QueryType == nil {
		r := warn(CodeGraphQLNoIntrospec, "the introspection answer has no __schema.queryType, so --require-field could not be verified")
		r.Details = details
		return r
	}
	visible := map[string]bool{}
	for _, t := range []*rootType{schema.Schema.QueryType, schema.Schema.MutationType} {
		if t != nil {
			for _, f := range t.Fields {
				visible[f.Name] = true
			}
		}
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
		r := fail(CodeGraphQLField, fmt.Sprintf("%s does not see %s among the query and mutation root fields (token from client %s)", who, strings.Join(missing, ", "), clientID))
		details["missing_fields"] = missing
		r.Details = details
		return r
	}
	return pass(msg+"; required fields visible: "+strings.Join(required, ", "), details)
}

type rootType struct {
	Name   string `json:"name"`
	Fields []struct {
		Name string `json:"name"`
	} `json:"fields"`
}

// hasuraRole is the role the GraphQL server will use: the x-hasura-role
// header if given, else the token's default role.
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

func hasuraRole(run *Run) string {
	if run.Config.HasuraRole != "" {
		return run.Config.HasuraRole
	}
	if h, ok := decodeClaims(run.tokens.Access.Reveal())[hasuraNamespace].(map[string]any); ok {
		if r, ok := h["x-hasura-default-role"].(string); ok {
			return r
		}
	}
	return ""
}

func hasuraAllowedRoles(run *Run) any {
	if h, ok := decodeClaims(run.tokens.Access.Reveal())[hasuraNamespace].(map[string]any); ok {
		return h["x-hasura-allowed-roles"]
	}
	return nil
}
