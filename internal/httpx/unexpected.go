package httpx

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/authdoctor/authdoctor/checks/codes"
)

var (
	htmlTag    = regexp.MustCompile(`<[^>]*>`)
	whitespace = regexp.MustCompile(`\s+`)
)

// Unexpected describes an answer that is not what an OAuth server sends.
func Unexpected(ex Exchange) *Problem {
	ct := ex.ContentType()
	if ct == "" {
		ct = "no content type"
	}
	text := whitespace.ReplaceAllString(htmlTag.ReplaceAllString(string(ex.Body), " "), " ")
	msg := fmt.Sprintf("%s %s answered %d %s with %s", ex.Method, ex.URL, ex.Status, http.StatusText(ex.Status), ct)
	if t := strings.TrimSpace(text); t != "" {
		msg += fmt.Sprintf(": %q", excerpt(t, 160))
	}
	p := &Problem{Code: codes.UnexpectedAnswer, Message: msg, Details: map[string]any{"status": ex.Status, "content_type": ct}}
	switch {
	case ex.Status >= 300 && ex.Status < 400:
		p.Hint = fmt.Sprintf("The answer is a redirect to %q: a proxy or single-sign-on gateway in front of Keycloak intercepts API calls.", ex.Header.Get("Location"))
	case ex.Status >= 500:
		p.Hint = "A server or gateway error persisted after retries: check the Keycloak and proxy logs at the time of this run."
	case ct == "text/html":
		p.Hint = "An HTML page instead of JSON: the URL points at a web page, a proxy's error page, or a login page rather than Keycloak's API."
	}
	return p
}

func hostOf(rawURL string) string {
	if i := strings.Index(rawURL, "://"); i >= 0 {
		rest := rawURL[i+3:]
		if j := strings.IndexAny(rest, "/?#"); j >= 0 {
			return rest[:j]
		}
		return rest
	}
	return rawURL
}
