package httpx

import (
	"fmt"
	"net/http"
	"strings"
	"unicode"

	"github.com/authdoctor/authdoctor/checks/codes"
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
	text = plainText(text, 4*n+1024)
	text, cut := e.Secrets.Cut(text, n)
	if cut {
		text += "…"
	}
	return text
}

// plainText drops tags (<...>, as a space) and collapses white space, in
// one pass, and stops once it has more than limit bytes: enough for any
// excerpt, so a megabyte of markup costs one short scan, not regular
// expressions over all of it. Text beyond limit still marks the result as
// longer than an excerpt, so the caller's cut applies.
func plainText(s string, limit int) string {
	var b strings.Builder
	inTag, space := false, false
	lastClose := strings.LastIndexByte(s, '>') // a '<' with no '>' after it is text
	for i, r := range s {
		switch {
		case inTag:
			if r == '>' {
				inTag, space = false, true
			}
			continue
		case r == '<' && i < lastClose:
			inTag = true
			continue
		case unicode.IsSpace(r):
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
		if b.Len() > limit {
			break
		}
	}
	return b.String()
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
