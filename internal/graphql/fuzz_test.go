package graphql

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/internal/fuzzseed"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/internal/redact"
)

const fuzzSecret = "fuzz-Bearer-Tok3n-9a4d"

// The GraphQL answer parser and classifier never panic, whatever the body,
// and never put a registered secret in a problem.
func FuzzClassify(f *testing.F) {
	answers, err := fuzzseed.Answers()
	if err != nil {
		f.Fatal(err)
	}
	for _, a := range answers {
		f.Add(a.Status, a.ContentType, a.Body)
	}
	for _, body := range []string{
		`{"data":{"__typename":"query_root"}}`,
		hasuraError("invalid-jwt", "Could not verify JWT: JWTExpired"),
		hasuraError("access-denied", "denied for "+fuzzSecret+"\x1b[2J"),
		`{"data":{"__schema":{"queryType":{"name":"query_root","fields":[{"name":"a"}]},"mutationType":{"name":"m","fields":[{"name":"b"}]}}}}`,
		`{"errors":[{"message":5,"extensions":{"code":[1]}}]}`,
		`{"data":null,"errors":[]}`,
	} {
		f.Add(200, "application/json", []byte(body))
	}
	f.Fuzz(func(t *testing.T, status int, ctype string, body []byte) {
		set := redact.NewSet()
		set.Add(fuzzSecret)
		ex := httpx.Exchange{Method: "POST", URL: "https://api.example.com/v1/graphql", Status: status,
			Header: http.Header{"Content-Type": {ctype}}, Body: body, Secrets: set}
		ans := ParseAnswer(ex)
		p := Classify(ex, ans)
		if ans != nil {
			_ = ans.Typename()
			_, _ = ans.RootFields()
		}
		if p == nil {
			if ans == nil {
				t.Fatal("no problem and no answer")
			}
			return
		}
		texts := []string{p.Message, p.Hint}
		for k, v := range p.Details {
			texts = append(texts, k, fmt.Sprint(v))
		}
		for _, s := range texts {
			if strings.Contains(s, fuzzSecret) {
				t.Fatalf("the secret reaches the problem: %q", s)
			}
		}
	})
}
