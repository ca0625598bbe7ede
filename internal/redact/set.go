package redact

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"html"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/authdoctor/authdoctor/internal/sanitize"
)

// MinLength is the shortest value scrubbed from free text. Shorter values
// (a one-letter test password) would turn every occurrence of a common letter
// into the placeholder and make the output unreadable; they are still never
// printed through a Secret.
const MinLength = 4

// Set is the run's collection of secret values. It is safe for concurrent use:
// checks add tokens while renderers write.
type Set struct {
	mu       sync.RWMutex
	values   map[string]struct{}
	replacer *strings.Replacer
}

// NewSet returns an empty set.
func NewSet() *Set { return &Set{values: map[string]struct{}{}} }

// Add registers values (and the encodings they travel in or are printed in:
// URL form encoding, JSON and Go string escaping, HTML escaping, base64, and
// the visibly escaped form of package sanitize) so that they are scrubbed
// from all output.
func (s *Set) Add(values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if len(v) < MinLength {
			continue
		}
		for _, enc := range encodings(v) {
			if len(enc) >= MinLength {
				s.values[enc] = struct{}{}
			}
		}
	}
	s.replacer = nil
}

// AddSecret registers a Secret's value.
func (s *Set) AddSecret(secrets ...Secret) {
	for _, sec := range secrets {
		s.Add(sec.Reveal())
	}
}

// AddBasicAuth registers the base64 of an HTTP Basic credential pair, the one
// encoding of a client secret that does not contain the secret's own bytes.
func (s *Set) AddBasicAuth(user, password string) {
	if len(password) < MinLength {
		return
	}
	s.Add(base64.StdEncoding.EncodeToString([]byte(user + ":" + password)))
	s.Add(base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(user) + ":" + url.QueryEscape(password))))
}

// Scrub returns text with every registered value replaced by Placeholder.
func (s *Set) Scrub(text string) string {
	if s == nil {
		return text
	}
	r := s.currentReplacer()
	if r == nil {
		return text
	}
	return r.Replace(text)
}

func (s *Set) currentReplacer() *strings.Replacer {
	s.mu.RLock()
	r := s.replacer
	n := len(s.values)
	s.mu.RUnlock()
	if r != nil || n == 0 {
		return r
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.replacer == nil {
		vals := make([]string, 0, len(s.values))
		for v := range s.values {
			vals = append(vals, v)
		}
		// Longest first, so a token is replaced whole before any shorter
		// secret that happens to be part of it; values of one length in
		// byte order, so the same set always gives the same replacer.
		slices.SortFunc(vals, func(a, b string) int {
			return cmp.Or(cmp.Compare(len(b), len(a)), strings.Compare(a, b))
		})
		var pairs []string
		for _, v := range vals {
			pairs = append(pairs, v, Placeholder)
		}
		s.replacer = strings.NewReplacer(pairs...)
	}
	return s.replacer
}

// encodings are the forms in which v can reach an output: as sent (form and
// path encoding, base64), as a server echoes it (JSON, HTML), as authdoctor
// quotes it (%q) and as sanitize shows it. Each of these is a rune-by-rune
// rewriting, so the form of v is found inside the same form of a longer text.
func encodings(v string) []string {
	out := []string{v, url.QueryEscape(v), url.PathEscape(v), html.EscapeString(v)}
	if b, err := json.Marshal(v); err == nil {
		out = append(out, strings.Trim(string(b), `"`))
	}
	quoted := strconv.Quote(v)
	out = append(out, quoted[1:len(quoted)-1], sanitize.Line(v), sanitize.Block(v))
	out = append(out, base64.StdEncoding.EncodeToString([]byte(v)), base64.RawURLEncoding.EncodeToString([]byte(v)))
	return out
}

// Cut scrubs text and shortens it to at most n bytes (the ellipsis not
// counted), on a rune boundary. A cut never shows part of a secret: it falls
// before a placeholder rather than inside it, and before a tail of the kept
// text that starts a registered value (a secret the cut would have halved).
// cut is false when the text was short enough.
func (s *Set) Cut(text string, n int) (out string, cut bool) {
	text = s.Scrub(text)
	if len(text) <= n {
		return text, false
	}
	end := n
	for end > 0 && !utf8.RuneStart(text[end]) {
		end--
	}
	// A placeholder the cut falls into goes whole.
	if i := strings.LastIndex(text[:end], Placeholder[:1]); i >= 0 && i+len(Placeholder) > end && strings.HasPrefix(text[i:], Placeholder) {
		end = i
	}
	end = s.beforePartialSecret(text[:end])
	return text[:end], true
}

// beforePartialSecret returns where kept should end so that it does not end
// with the first MinLength or more bytes of a registered value. It looks at
// the last partialWindow bytes only: a longer piece of a secret would have
// been a whole one to Scrub, unless the server itself cut the secret.
func (s *Set) beforePartialSecret(kept string) int {
	if s == nil {
		return len(kept)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	// The first (longest) tail that starts a registered value ends kept.
	end := len(kept)
search:
	for p := max(0, len(kept)-partialWindow); p <= len(kept)-MinLength; p++ {
		tail := kept[p:]
		for v := range s.values {
			if len(v) > len(tail) && strings.HasPrefix(v, tail) {
				end = p
				break search
			}
		}
	}
	for end > 0 && end < len(kept) && !utf8.RuneStart(kept[end]) {
		end--
	}
	return end
}

// partialWindow bounds the search for a halved secret at the end of a cut.
const partialWindow = 512
