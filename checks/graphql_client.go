package checks

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"

	"github.com/authdoctor/authdoctor/keycloak"
	"github.com/authdoctor/authdoctor/report/redact"
)

// The two GraphQL requests authdoctor sends. Neither executes anything: the
// typename query touches no data, and fields are checked by introspection,
// never by running a mutation.
const (
	typenameQuery      = "query { __typename }"
	introspectionQuery = "query { __schema { queryType { name fields { name } } mutationType { name fields { name } } } }"
)

// gqlAnswer is a GraphQL response body.
type gqlAnswer struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

type gqlError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
		Path string `json:"path"`
	} `json:"extensions"`
}

// postGraphQL sends one query with the bearer token and returns the exchange
// and, when the body is a GraphQL answer, its parsed form.
func postGraphQL(ctx context.Context, client *http.Client, url string, token redact.Secret, role, query string) (keycloak.Exchange, *gqlAnswer) {
	rctx, rec := keycloak.Record(ctx)
	body, _ := json.Marshal(map[string]string{"query": query})
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return keycloak.Exchange{Method: http.MethodPost, URL: url, Err: err}, nil
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+token.Reveal())
	if role != "" {
		req.Header.Set("x-hasura-role", role)
	}
	resp, err := client.Do(req)
	if resp != nil {
		_ = resp.Body.Close()
	}
	ex, ok := rec.Last()
	if !ok {
		return keycloak.Exchange{Method: http.MethodPost, URL: url, Err: err}, nil
	}
	var ans gqlAnswer
	if ex.Err != nil || ex.ContentType() != "application/json" || json.Unmarshal(ex.Body, &ans) != nil || (ans.Data == nil && len(ans.Errors) == 0) {
		return ex, nil
	}
	return ex, &ans
}
