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

// maxQuoted is how much of an unexpected body a message quotes.
const maxQuoted = 160

// Unexpected describes an answer that is not what an OAuth server sends.
func Unexpected(ex Exchange) *Problem {
	return UnexpectedBecause(ex, "")
}

// UnexpectedBecause is Unexpected with the reason the body was refused (a
// field of the wrong type, say), which is then quoted instead of the body.
func UnexpectedBecause(ex Exchange, reason string) *Problem {
	ct := ex.ContentType()
	if ct == "" {
		ct = "no content type"
	}
	msg := fmt.Sprintf("%s %s answered %d %s with %s", ex.Method, ex.URL, ex.Status, http.StatusText(ex.Status), ct)
	if reason != "" {
		msg += ", but " + reason
	} else if t := ex.Excerpt(maxQuoted); t != "" {
		msg += fmt.Sprintf(": %q", t)
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

// Excerpt is the start of the body as text to quote: the run's secrets are
// scrubbed first, and only then are tags dropped, white space collapsed and
// the text cut to n bytes, so that no rewriting can hide a secret from the
// scrubbing, and no cut can leave half of one.
func (e Exchange) Excerpt(n int) string {
	text := e.Secrets.Scrub(string(scrubJSON(e.Body, e.Secrets)))
	text = strings.TrimSpace(whitespace.ReplaceAllString(htmlTag.ReplaceAllString(text, " "), " "))
	text, cut := e.Secrets.Cut(text, n)
	if cut {
		text += "…"
	}
	return text
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
