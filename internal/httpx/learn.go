package httpx

import (
	"bytes"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"

	"github.com/authdoctor/authdoctor/internal/redact"
)

// tokenKeys are the answer fields whose values are tokens (RFC 6749 §5.1,
// OpenID Connect Core §3.1.3.3), matched without regard to case.
var tokenKeys = []string{"access_token", "refresh_token", "id_token"}

// maxLearned bounds how many values one answer can register: a hostile
// server must not grow the redaction set without limit.
const maxLearned = 32

// learnTokens registers every token value in an answer's body with secrets,
// before any layer above can write the body anywhere. It reads the body
// whatever its content type claims, and in every spelling a client could
// accept: JSON (keys and values decoded from their escapes, duplicate keys
// included, nested anywhere, after leading junk such as a BOM or an XSSI
// prefix), a form-encoded answer (access_token=…&…), or "key: value" text.
// Both the decoded value and the exact bytes the server sent are
// registered, so that -v, which prints those bytes, shows neither.
func learnTokens(body []byte, secrets *redact.Set) {
	if secrets == nil || len(body) == 0 || !mentionsToken(body) {
		return
	}
	var learned []string
	add := func(vs ...string) {
		for _, v := range vs {
			if len(learned) < maxLearned && len(v) >= redact.MinLength {
				learned = append(learned, v)
			}
		}
	}
	if i := bytes.IndexAny(body, "{["); i >= 0 {
		doc := body[i:]
		walkJSON(doc, func(v string, start, end int, underToken bool) {
			if underToken {
				add(v, string(doc[start+1:end-1])) // as decoded, and as spelled
			}
		})
	}
	learnForm(body, add)
	for _, m := range tokenText.FindAllSubmatch(body, maxLearned) {
		add(string(m[1]))
	}
	secrets.Add(learned...)
}

// mentionsToken is the cheap test that skips every answer without a token
// key in any spelling: the key itself, or a JSON or URL escape in it.
func mentionsToken(body []byte) bool {
	lower := bytes.ToLower(body)
	return bytes.Contains(lower, []byte("token")) || bytes.Contains(lower, []byte(`\u`)) || bytes.Contains(lower, []byte("%"))
}

// tokenText finds "access_token: value" and "access_token=value" in text
// that is neither JSON nor a form. The value must look like a token (16 or
// more characters of a JWT or an opaque token), so that prose such as
// "refresh_token: invalid" does not make a common word a secret.
var tokenText = regexp.MustCompile(`(?i)(?:access|refresh|id)_token["']?\s*[:=]\s*["']?([A-Za-z0-9._~+/=-]{16,})`)

func isTokenKey(k string) bool {
	for _, t := range tokenKeys {
		if strings.EqualFold(k, t) {
			return true
		}
	}
	return false
}

// walkJSON reads a JSON stream token by token, so that neither a duplicate
// key nor a syntax error later in the document hides a string read before.
// It reports every string literal, keys included: its decoded value, where
// its spelling starts and ends in data (the quotes included), and whether it
// is a value under a token key (a token that is a list or an object is
// still someone's secret, so every string in it counts).
func walkJSON(data []byte, visit func(s string, start, end int, underToken bool)) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type frame struct {
		object    bool
		expectKey bool
		key       string
		secret    bool // this container is under a token key
	}
	var stack []frame
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return // the end, or where the JSON stops making sense
		}
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		if k, ok := tok.(string); ok {
			start, end := literalSpan(data, before, dec.InputOffset())
			if top != nil && top.object && top.expectKey { // a key
				top.key, top.expectKey = k, false
				if start >= 0 {
					visit(k, start, end, false)
				}
				continue
			}
			if start >= 0 {
				visit(k, start, end, top != nil && (top.secret || top.object && isTokenKey(top.key)))
			}
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				secret := top != nil && (top.secret || top.object && isTokenKey(top.key))
				stack = append(stack, frame{object: d == '{', expectKey: d == '{', secret: secret})
				continue
			default:
				if len(stack) > 0 {
					stack = stack[:len(stack)-1]
				}
			}
		}
		// A value ended: the object on top now expects its next key.
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].expectKey = true
		}
	}
}

// literalSpan locates the string literal that the decoder read between
// from and end: from its opening quote to just after its closing one;
// -1, -1 when it cannot be located.
func literalSpan(data []byte, from, end int64) (int, int) {
	if end > int64(len(data)) || from < 0 || from >= end {
		return -1, -1
	}
	open := bytes.IndexByte(data[from:end], '"')
	if open < 0 || end-from < int64(open)+2 || data[end-1] != '"' {
		return -1, -1
	}
	return int(from) + open, int(end)
}

// scrubJSON scrubs the run's secrets from every string of a JSON body
// however the server spelled it: a string whose decoded value holds a
// secret is written anew, scrubbed, in place of the server's spelling (a
// password spelled in \u escapes, a token with an escaped character). The
// rest of the body stays byte for byte as it was sent.
func scrubJSON(body []byte, secrets *redact.Set) []byte {
	i := bytes.IndexAny(body, "{[")
	if secrets == nil || i < 0 || !bytes.Contains(body, []byte(`\`)) {
		return body // without an escape, the plain scrub finds every secret
	}
	var out []byte
	last := 0
	walkJSON(body[i:], func(s string, start, end int, _ bool) {
		if scrubbed := secrets.Scrub(s); scrubbed != s {
			enc, _ := json.Marshal(scrubbed)
			out = append(out, body[last:i+start]...)
			out = append(out, enc...)
			last = i + end
		}
	})
	if out == nil {
		return body
	}
	return append(out, body[last:]...)
}

// learnForm reads an application/x-www-form-urlencoded answer (some OAuth
// servers answer so), keeping both the decoded and the sent spelling.
func learnForm(body []byte, add func(...string)) {
	if bytes.ContainsAny(body, "{}<>\n") {
		return
	}
	for _, pair := range strings.Split(string(bytes.TrimSpace(body)), "&") {
		k, v, ok := strings.Cut(pair, "=")
		if !ok {
			continue
		}
		if key, err := url.QueryUnescape(k); err == nil && isTokenKey(key) {
			add(v)
			if dv, err := url.QueryUnescape(v); err == nil {
				add(dv)
			}
		}
	}
}
