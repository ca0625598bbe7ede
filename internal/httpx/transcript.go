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
	"github.com/authdoctor/authdoctor/internal/shell"
)

// Form fields and JSON fields whose values are secrets. The transcript
// replaces them structurally; the output streams scrub registered values a
// second time, so a value missed here still never reaches the screen.
var (
	secretFormFields = map[string]string{"password": "PASSWORD", "client_secret": "CLIENT_SECRET", "refresh_token": "REFRESH_TOKEN"}
	secretJSONValue  = regexp.MustCompile(`"(access_token|refresh_token|id_token)"\s*:\s*"[^"]*"`)
)

// transcriptTransport writes every exchange (-v): method, URL, status, time,
// redacted bodies and an equivalent curl command whose secrets are
// environment variables.
type transcriptTransport struct {
	next http.RoundTripper
	mu   sync.Mutex
	out  io.Writer
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
		fmt.Fprintf(&buf, "< error after %s: %v\n", took.Round(time.Millisecond), err)
	} else {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxBody))
		_ = resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		fmt.Fprintf(&buf, "< %s %s (%s)\n", resp.Proto, resp.Status, took.Round(time.Millisecond))
		if ct := resp.Header.Get("Content-Type"); ct != "" {
			fmt.Fprintf(&buf, "< Content-Type: %s\n", ct)
		}
		if len(body) > 0 {
			fmt.Fprintf(&buf, "<\n< %s\n", excerpt(redactBody(resp.Header.Get("Content-Type"), body), 2000))
		}
	}
	fmt.Fprintf(&buf, "  replay: %s\n\n", curlCommand(req, reqBody))

	t.mu.Lock()
	_, _ = t.out.Write(buf.Bytes())
	t.mu.Unlock()
	return resp, err
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
	case "application/json":
		// Replace the values in place: the rest of the server's body stays
		// exactly as it was sent, key order included.
		return secretJSONValue.ReplaceAllString(string(body), `"$1":"`+redact.Placeholder+`"`)
	}
	return string(body)
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

func excerpt(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func mediaType(ct string) string {
	mt, _, _ := strings.Cut(ct, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}
