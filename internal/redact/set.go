package redact

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"sort"
	"strings"
	"sync"
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

// Add registers values (and the encodings they travel in: URL form encoding,
// JSON string escaping, base64) so that they are scrubbed from all output.
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
		// secret that happens to be part of it.
		sort.Slice(vals, func(i, j int) bool {
			if len(vals[i]) != len(vals[j]) {
				return len(vals[i]) > len(vals[j])
			}
			return vals[i] < vals[j]
		})
		pairs := make([]string, 0, 2*len(vals))
		for _, v := range vals {
			pairs = append(pairs, v, Placeholder)
		}
		s.replacer = strings.NewReplacer(pairs...)
	}
	return s.replacer
}

func encodings(v string) []string {
	out := []string{v, url.QueryEscape(v), url.PathEscape(v)}
	if b, err := json.Marshal(v); err == nil {
		out = append(out, strings.Trim(string(b), `"`))
	}
	out = append(out, base64.StdEncoding.EncodeToString([]byte(v)), base64.RawURLEncoding.EncodeToString([]byte(v)))
	return out
}
