package checks

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/graphql"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/report"
)

func TestCheckFields(t *testing.T) {
	schema := `{"data":{"__schema":{"queryType":{"name":"query_root","fields":[{"name":"sequent_backend_tenant"}]},"mutationType":{"name":"mutation_root","fields":[{"name":"get_upload_url"}]}}}}`
	tests := []struct {
		name     string
		body     string
		required []string
		status   report.Status
		code     *codes.Code
	}{
		{"visible query and mutation", schema, []string{"sequent_backend_tenant", "get_upload_url"}, report.Pass, nil},
		{"missing", schema, []string{"create_election_event"}, report.Fail, codes.GraphQLField},
		{"introspection refused", hasuraError("validation-failed", "field '__schema' not found in type: 'query_root'"), []string{"get_upload_url"}, report.Warn, codes.GraphQLNoIntrospec},
		{"no schema in answer", `{"data":{}}`, []string{"get_upload_url"}, report.Warn, codes.GraphQLNoIntrospec},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, ans := gqlExchange(200, "application/json", tt.body)
			r := checkFields(ex, ans, tt.required, "user", "voting-portal", "ok", map[string]any{})
			if r.Status != tt.status || r.Code != tt.code {
				t.Fatalf("got %s %s (%s)", r.Status, r.Code, r.Message)
			}
		})
	}
}

func gqlExchange(status int, ctype, body string) (httpx.Exchange, *graphql.Answer) {
	ex := httpx.Exchange{Method: "POST", URL: "https://api.example.com/v1/graphql", Status: status,
		Header: http.Header{"Content-Type": {ctype}}, Body: []byte(body)}
	var ans graphql.Answer
	if json.Unmarshal(ex.Body, &ans) != nil || (ans.Data == nil && len(ans.Errors) == 0) {
		return ex, nil
	}
	return ex, &ans
}

func hasuraError(code, msg string) string {
	b, _ := json.Marshal(map[string]any{"errors": []any{map[string]any{"extensions": map[string]string{"path": "$", "code": code}, "message": msg}}})
	return string(b)
}
