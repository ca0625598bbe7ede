package httpx

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/internal/sanitize"
	"github.com/authdoctor/authdoctor/internal/shell"
)

// Form fields and JSON fields whose values are secrets. The transcript
// replaces them structurally; the output streams scrub registered values a
// second time, so a value missed here still never reaches the screen.
var (
	secretFormFields = map[string]string{"password": "PASSWORD", "client_secret": "CLIENT_SECRET", "refresh_token": "REFRESH_TOKEN",
		"access_token": "ACCESS_TOKEN", "id_token": "ID_TOKEN"}
	secretJSONValue = regexp.MustCompile(`(?i)"(access_token|refresh_token|id_token)"\s*:\s*"(?:[^"\\]|\\.)*"`)
)

// maxShownBody is how much of a body -v shows.
const maxShownBody = 2000

// transcriptTransport writes every exchange (-v): method, URL, status, time,
// redacted bodies and an equivalent curl command whose secrets are
// environment variables. What the server sent is scrubbed of the run's
// secrets first, then shortened, then sanitised (control characters shown
// escaped), and each line of its body is marked "< ", so an answer can
// neither drive the terminal nor pass for a line of authdoctor's own.
type transcriptTransport struct {
	next    http.RoundTripper
	mu      sync.Mutex
	out     io.Writer
	secrets *redact.Set
}

func (t *transcriptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		// Read the body to show it, then hand an identical one down.
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		reqBody = b
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	took := time.Since(start)

	var buf bytes.Buffer
	fmt.Fprintf(&buf, "> %s %s\n", req.Method, req.URL.Redacted())
	for _, h := range sortedHeaderNames(req.Header) {
		fmt.Fprintf(&buf, "> %s: %s\n", h, headerValue(h, req.Header.Get(h)))
	}
	if len(reqBody) > 0 {
		fmt.Fprintf(&buf, ">\n> %s\n", redactBody(req.Header.Get("Content-Type"), reqBody))
	}
	if err != nil {
		fmt.Fprintf(&buf, "< error after %s: %s\n", took.Round(time.Millisecond), t.line(err.Error()))
	} else {
		body, readErr := answerOf(resp)
		fmt.Fprintf(&buf, "< %s %s (%s)\n", t.line(resp.Proto), t.line(resp.Status), took.Round(time.Millisecond))
		if ct := resp.Header.Get("Content-Type"); ct != "" {
			fmt.Fprintf(&buf, "< Content-Type: %s\n", t.line(ct))
		}
		if len(body) > 0 {
			buf.WriteString("<\n")
			for _, l := range strings.Split(t.shown(redactBody(resp.Header.Get("Content-Type"), scrubJSON(body, t.secrets))), "\n") {
				buf.WriteString("< " + l + "\n")
			}
		}
		if readErr != nil {
			fmt.Fprintf(&buf, "< body cut short: %s\n", t.line(readErr.Error()))
		}
	}
	fmt.Fprintf(&buf, "  replay: %s\n\n", curlCommand(req, reqBody))

	t.mu.Lock()
	_, _ = t.out.Write([]byte(sanitize.Block(buf.String())))
	t.mu.Unlock()
	return resp, err
}

// line makes one line of server text fit to show: scrubbed, sanitised.
func (t *transcriptTransport) line(s string) string {
	return sanitize.Line(t.secrets.Scrub(s))
}

// shown makes a body fit to show: scrubbed first, then shortened (never
// into a secret), then sanitised; its line breaks stay.
func (t *transcriptTransport) shown(body string) string {
	s, cut := t.secrets.Cut(strings.TrimSpace(body), maxShownBody)
	if cut {
		s += "…"
	}
	return sanitize.Block(s)
}

func sortedHeaderNames(h http.Header) []string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func headerValue(name, value string) string {
	if strings.EqualFold(name, "Authorization") {
		scheme, _, _ := strings.Cut(value, " ")
		return scheme + " " + redact.Placeholder
	}
	return value
}

// redactBody replaces secret form fields and JSON fields.
func redactBody(contentType string, body []byte) string {
	switch mediaType(contentType) {
	case "application/x-www-form-urlencoded":
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			return "[unparseable form body omitted]"
		}
		for k := range vals {
			if _, ok := secretFormFields[k]; ok {
				vals.Set(k, redact.Placeholder)
			}
		}
		return vals.Encode()
	}
	// Replace the token values in place, whatever the content type claims:
	// the rest of the server's body stays exactly as it was sent, key order
	// included. (Tokens in any other spelling are scrubbed as learned values.)
	return secretJSONValue.ReplaceAllString(string(body), `"$1":"`+redact.Placeholder+`"`)
}

// curlCommand prints an equivalent curl in which secrets are shell variables,
// so a person can replay the exchange with their own environment.
func curlCommand(req *http.Request, body []byte) string {
	parts := []string{"curl", "-sS"}
	if req.Method != http.MethodGet {
		parts = append(parts, "-X", req.Method)
	}
	parts = append(parts, shell.Quote(req.URL.String()))
	for _, h := range sortedHeaderNames(req.Header) {
		v := req.Header.Get(h)
		switch {
		case strings.EqualFold(h, "User-Agent"), strings.EqualFold(h, "Content-Length"), strings.EqualFold(h, "Accept-Encoding"):
			continue
		case strings.EqualFold(h, "Authorization") && strings.HasPrefix(v, "Basic "):
			parts = append(parts, "-u", `"$CLIENT_ID:$CLIENT_SECRET"`)
		case strings.EqualFold(h, "Authorization"):
			parts = append(parts, "-H", `"Authorization: Bearer $ACCESS_TOKEN"`)
		case strings.EqualFold(h, "Content-Type") && mediaType(v) == "application/x-www-form-urlencoded":
			continue // implied by -d
		default:
			parts = append(parts, "-H", shell.Quote(h+": "+v))
		}
	}
	if len(body) > 0 {
		if mediaType(req.Header.Get("Content-Type")) == "application/x-www-form-urlencoded" {
			vals, _ := url.ParseQuery(string(body))
			keys := make([]string, 0, len(vals))
			for k := range vals {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if env, ok := secretFormFields[k]; ok {
					parts = append(parts, "--data-urlencode", fmt.Sprintf(`"%s=$%s"`, k, env))
					continue
				}
				for _, v := range vals[k] {
					parts = append(parts, "--data-urlencode", shell.Quote(k+"="+v))
				}
			}
		} else {
			parts = append(parts, "--data-raw", shell.Quote(string(body)))
		}
	}
	return strings.Join(parts, " ")
}

func mediaType(ct string) string {
	mt, _, _ := strings.Cut(ct, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}
