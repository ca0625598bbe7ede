// Package graphql talks to the GraphQL API behind Keycloak (Hasura style):
// it sends the two read-only queries authdoctor needs and names what went
// wrong from the answer's body, since Hasura answers HTTP 200 even for
// authentication errors.
package graphql

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"

	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/internal/redact"
)

// The two GraphQL requests authdoctor sends. Neither executes anything: the
// typename query touches no data, and fields are checked by introspection,
// never by running a mutation.
const (
	TypenameQuery      = "query { __typename }"
	IntrospectionQuery = "query { __schema { queryType { name fields { name } } mutationType { name fields { name } } } }"
)

// Answer is a GraphQL response body.
type Answer struct {
	Data   json.RawMessage `json:"data"`
	Errors []Error         `json:"errors"`
}

// Error is one entry of an answer's "errors" list.
type Error struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
		Path string `json:"path"`
	} `json:"extensions"`
}

// Post sends one query with the bearer token and returns the exchange
// and, when the body is a GraphQL answer, its parsed form.
func Post(ctx context.Context, client *http.Client, url string, token redact.Secret, role, query string) (httpx.Exchange, *Answer) {
	rctx, rec := httpx.Record(ctx)
	body, _ := json.Marshal(map[string]string{"query": query})
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return httpx.Exchange{Method: http.MethodPost, URL: url, Err: err}, nil
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
		return httpx.Exchange{Method: http.MethodPost, URL: url, Err: err}, nil
	}
	return ex, ParseAnswer(ex)
}

// ParseAnswer reads an exchange's body as a GraphQL answer: JSON with data
// or errors. It returns nil for anything else (a transport error, another
// content type, HTML, JSON of another shape or with fields of other types).
func ParseAnswer(ex httpx.Exchange) *Answer {
	var ans Answer
	if ex.Err != nil || ex.ContentType() != "application/json" || json.Unmarshal(ex.Body, &ans) != nil || (ans.Data == nil && len(ans.Errors) == 0) {
		return nil
	}
	return &ans
}

// Typename is data.__typename, "" when absent: the answer to TypenameQuery.
func (a *Answer) Typename() string {
	var data struct {
		Typename string `json:"__typename"`
	}
	_ = json.Unmarshal(a.Data, &data)
	return data.Typename
}

// RootFields reads the answer to IntrospectionQuery: the names of the query
// and mutation root fields the caller's role can see. ok is false when the
// answer has no __schema.queryType.
func (a *Answer) RootFields() (fields map[string]bool, ok bool) {
	type rootType struct {
		Fields []struct {
			Name string `json:"name"`
		} `json:"fields"`
	}
	var schema struct {
		Schema struct {
			QueryType    *rootType `json:"queryType"`
			MutationType *rootType `json:"mutationType"`
		} `json:"__schema"`
	}
	if json.Unmarshal(a.Data, &schema) != nil || schema.Schema.QueryType == nil {
		return nil, false
	}
	fields = map[string]bool{}
	for _, t := range []*rootType{schema.Schema.QueryType, schema.Schema.MutationType} {
		if t != nil {
			for _, f := range t.Fields {
				fields[f.Name] = true
			}
		}
	}
	return fields, true
}
