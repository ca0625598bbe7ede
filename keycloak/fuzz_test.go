package keycloak

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/internal/fuzzseed"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/internal/redact"
)

// fuzzSecret is registered before every call; the fuzzer finds it in the
// seeds (echoed in an error description) and moves it around.
const fuzzSecret = "fuzz-Pa55word-7c1e"

// recordedAnswers are the answers of fixtures/responses/*.json: the seed
// corpus of the classifier and decoder fuzz targets.
func recordedAnswers(f *testing.F) []fuzzseed.Answer {
	answers, err := fuzzseed.Answers()
	if err != nil {
		f.Fatal(err)
	}
	return answers
}

// addSeeds adds the recorded answers, a token answer, and an answer that
// echoes the secret, as (status, content type, body).
func addSeeds(f *testing.F) {
	for _, a := range recordedAnswers(f) {
		f.Add(a.Status, a.ContentType, a.Body)
	}
	f.Add(200, "application/json", []byte(goodAnswer))
	f.Add(200, "application/json", []byte(`{"access_token":"a.b.c","expires_in":"300","scope":["x"],"token_type":5}`))
	f.Add(401, "application/json", []byte(`{"error":"invalid_grant","error_description":"Invalid password `+fuzzSecret+`"}`))
	f.Add(400, "text/html", []byte("<html><body>password="+fuzzSecret+"&amp;x <b>"+fuzzSecret+"</b>\x1b[2J</body></html>"))
	f.Add(302, "", []byte(nil))
}

// checkProblem holds for every problem a classifier returns.
func checkProblem(t *testing.T, p *httpx.Problem) {
	t.Helper()
	if p == nil {
		return
	}
	if p.Code == nil {
		t.Fatalf("a problem without a code: %+v", p)
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
}

func exchangeOf(status int, ctype string, body []byte) httpx.Exchange {
	set := redact.NewSet()
	set.Add(fuzzSecret)
	h := http.Header{}
	if ctype != "" {
		h.Set("Content-Type", ctype)
	}
	return httpx.Exchange{Method: "POST", URL: "https://sso.example.com/realms/r/protocol/openid-connect/token",
		Status: status, Header: h, Body: body, Secrets: set}
}

func FuzzClassifyGrant(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, status int, ctype string, body []byte) {
		p := ClassifyGrant(exchangeOf(status, ctype, body))
		checkProblem(t, p)
		if p == nil {
			// A token answer: it decodes, with an access token.
			if ans, err := DecodeTokenAnswer(body); err != nil || ans.AccessToken == "" {
				t.Fatalf("let through an answer that does not decode: %v", err)
			}
		}
	})
}

func FuzzClassifyRefresh(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, status int, ctype string, body []byte) {
		checkProblem(t, ClassifyRefresh(exchangeOf(status, ctype, body)))
	})
}

func FuzzClassifyRealm(f *testing.F) {
	addSeeds(f)
	f.Add(200, "application/json", []byte(`{"realm":"r","public_key":"MIIB","token-service":"x","account-service":"y","tokens-not-before":0}`))
	f.Fuzz(func(t *testing.T, status int, ctype string, body []byte) {
		ex := exchangeOf(status, ctype, body)
		ex.Method, ex.URL = "GET", "https://sso.example.com/realms/r"
		checkProblem(t, classifyRealm(ex))
	})
}

// The decoder never panics, never lets through a lifetime no server means,
// and never quotes a token in its error.
func FuzzDecodeTokenAnswer(f *testing.F) {
	for _, a := range recordedAnswers(f) {
		f.Add(a.Body)
	}
	f.Add([]byte(goodAnswer))
	f.Add([]byte(`{"access_token":{"nested":"` + fuzzSecret + `"},"expires_in":1e400}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ans, err := DecodeTokenAnswer(body)
		if err != nil {
			var fields map[string]any
			_ = json.Unmarshal(body, &fields)
			for _, k := range []string{"access_token", "refresh_token", "id_token"} {
				if v := fmt.Sprint(fields[k]); len(v) >= 4 && fields[k] != nil && strings.Contains(err.Error(), v) {
					t.Fatalf("the error quotes %s: %v", k, err)
				}
			}
			if strings.Contains(err.Error(), fuzzSecret) {
				t.Fatalf("the error quotes a token's content: %v", err)
			}
			return
		}
		if ans.AccessToken == "" {
			t.Fatal("no access token, no error")
		}
		if ans.ExpiresIn.Stated && ans.ExpiresIn.Seconds <= 0 || ans.RefreshExpiresIn.Stated && ans.RefreshExpiresIn.Seconds < 0 {
			t.Fatalf("a nonsense lifetime passed: %+v", ans)
		}
	})
}
