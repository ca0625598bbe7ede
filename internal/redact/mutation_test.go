package redact

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// These tests pin the boundaries mutation testing found unpinned (see
// docs/mutation-testing.md): each fails when the comparison it names is
// moved by one, negated, or its arithmetic changed.

// MinLength is exact: a value of MinLength bytes is scrubbed, one byte
// shorter is not (it would turn common letters into placeholders). The
// same holds for each encoding of a value, and for the password of a
// Basic credential pair.
func TestMinLengthIsExact(t *testing.T) {
	tests := []struct {
		name       string
		add        func(*Set)
		text       string
		wantScrub  bool
		wantOutput string
	}{
		{"value of MinLength bytes", func(s *Set) { s.Add("Zq9!") }, "pw Zq9! end", true, "pw " + Placeholder + " end"},
		{"value one byte shorter", func(s *Set) { s.Add("Zq9") }, "pw Zq9 end", false, "pw Zq9 end"},
		// "ab#" is shorter than MinLength, its base64 "YWIj" is not: a value
		// too short is not registered in any spelling.
		{"base64 of a short value", func(s *Set) { s.Add("ab#") }, "YWIj", false, "YWIj"},
		// "é!" is 3 bytes; its form encoding "%C3%A9%21" is long, but the
		// value itself is under MinLength, so nothing is registered.
		{"long encoding of a short value", func(s *Set) { s.Add("é!") }, "%C3%A9%21", false, "%C3%A9%21"},
		{"basic pair, password of MinLength bytes", func(s *Set) { s.AddBasicAuth("svc", "Zq9!") },
			base64.StdEncoding.EncodeToString([]byte("svc:Zq9!")), true, Placeholder},
		{"basic pair, long password", func(s *Set) { s.AddBasicAuth("svc", "correct-horse-battery") },
			base64.StdEncoding.EncodeToString([]byte("svc:correct-horse-battery")), true, Placeholder},
		{"basic pair, short password", func(s *Set) { s.AddBasicAuth("a-long-client-id", "Zq9") },
			base64.StdEncoding.EncodeToString([]byte("a-long-client-id:Zq9")), false, base64.StdEncoding.EncodeToString([]byte("a-long-client-id:Zq9"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := NewSet()
			tt.add(set)
			got := set.Scrub(tt.text)
			if got != tt.wantOutput {
				t.Fatalf("Scrub(%q) = %q, want %q", tt.text, got, tt.wantOutput)
			}
			if scrubbed := strings.Contains(got, Placeholder); scrubbed != tt.wantScrub {
				t.Fatalf("scrubbed %v, want %v", scrubbed, tt.wantScrub)
			}
		})
	}
}

// When one registered value starts another, the longer one is replaced
// whole: replacing the shorter first would leave the longer one's tail.
func TestLongerValueWinsAtTheSamePosition(t *testing.T) {
	for _, order := range [][]string{
		{"secret-value", "secret-value-rotated"},
		{"secret-value-rotated", "secret-value"},
	} {
		set := NewSet()
		set.Add(order...)
		if got := set.Scrub("a secret-value-rotated b"); got != "a "+Placeholder+" b" {
			t.Fatalf("added %q: got %q", order, got)
		}
		if got := set.Scrub("a secret-value b"); got != "a "+Placeholder+" b" {
			t.Fatalf("added %q: got %q", order, got)
		}
	}
}

// A secret as JSON spells it: json.Marshal escapes <, > and & as \u003c,
// \u003e and \u0026, which no other registered form does.
func TestScrubsJSONSpelling(t *testing.T) {
	secret := "p<ss>w&rd"
	set := NewSet()
	set.Add(secret)
	b, _ := json.Marshal(map[string]string{"echo": secret})
	if !bytes.Contains(b, []byte(`\u003c`)) {
		t.Fatalf("test premise: %s has no \\u escape", b)
	}
	if got := set.Scrub(string(b)); strings.Contains(got, "ss") {
		t.Fatalf("the JSON spelling survives: %s", got)
	}
}

// Cut keeps as much as fits, whole placeholders and whole runes only,
// and drops a kept tail that starts a secret.
func TestCutBoundaries(t *testing.T) {
	const secret = "correct-horse"
	tests := []struct {
		name string
		text string
		n    int
		want string
	}{
		// A placeholder that ends exactly at the cut fits.
		{"placeholder ends at the cut", "ab" + secret + "cd", 2 + len(Placeholder), "ab" + Placeholder},
		// A placeholder at the very start that the cut falls into goes whole.
		{"placeholder at the start, cut inside", secret + " and more", 5, ""},
		{"placeholder at the start, cut after it", secret + " and more", len(Placeholder) + 4, Placeholder + " and"},
		// A kept tail of exactly MinLength bytes that starts the secret goes.
		{"tail of MinLength bytes starts the secret", "see corr and more", 8, "see "},
		// A tail shorter than MinLength is too common to mean anything: kept.
		{"tail shorter than MinLength", "see cor and more", 7, "see cor"},
		{"one-byte tail", "see c and more", 5, "see c"},
		{"text that fits is not cut", "see corr", 8, "see corr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := NewSet()
			set.Add(secret)
			got, _ := set.Cut(tt.text, tt.n)
			if got != tt.want {
				t.Fatalf("Cut(%q, %d) = %q, want %q", tt.text, tt.n, got, tt.want)
			}
		})
	}
}

// A secret whose bytes start in the middle of a rune (a token a server
// spelled with invalid UTF-8) is still cut before, on a rune boundary, and
// a text that starts with such bytes never makes Cut fail.
func TestCutOnRuneBoundariesWithInvalidUTF8(t *testing.T) {
	const secret = "\xa9secret-tail-value" // é is \xc3\xa9: this starts inside it
	tests := []struct {
		name string
		text string
		n    int
		want string
	}{
		{"secret starts inside a rune", "cafésecr and more", 9, "caf"},
		{"text starts with the secret's continuation byte", "\xa9secr and more", 5, ""},
		{"text starts with a continuation byte, cut after it", "\x80\x80abc and more", 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := NewSet()
			set.Add(secret)
			got, cut := set.Cut(tt.text, tt.n)
			if got != tt.want || !cut {
				t.Fatalf("Cut(%q, %d) = %q, %v; want %q, true", tt.text, tt.n, got, cut, tt.want)
			}
			if !utf8.ValidString(got) {
				t.Fatalf("the cut halves a rune: %q", got)
			}
		})
	}
}

// beforePartialSecret drops a tail that starts a secret, never a secret
// that is there whole (Scrub's business, not the cut's).
func TestBeforePartialSecretKeepsWholeValues(t *testing.T) {
	set := NewSet()
	set.Add("secret-value")
	for kept, want := range map[string]int{
		"abc secret-value": len("abc secret-value"),
		"abc secret-v":     len("abc "),
		"abc":              3,
	} {
		if got := set.beforePartialSecret(kept); got != want {
			t.Errorf("beforePartialSecret(%q) = %d, want %d", kept, got, want)
		}
	}
	var none *Set
	if got := none.beforePartialSecret("abc secret-v"); got != len("abc secret-v") {
		t.Errorf("a nil set cuts nothing: %d", got)
	}
}

// The Writer passes each complete line on at once (live terminal lines
// move), holds back only the unfinished one, and never repeats or drops a
// byte.
func TestWriterPassesLinesOnAtOnce(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		// after each write, what out holds
		want []string
	}{
		{"line end alone", []string{"\n", "x\r", "y"}, []string{"\n", "\nx\r", "\nx\r"}},
		{"progress line", []string{"checking…\r", "done\n"}, []string{"checking…\r", "checking…\rdone\n"}},
		{"two lines at once, then a piece", []string{"one\ntwo\nthr", "ee\n"}, []string{"one\ntwo\n", "one\ntwo\nthree\n"}},
		{"secret split across writes", []string{"pw p@ss", "-word-1\nnext"}, []string{"", "pw " + Placeholder + "\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := NewSet()
			set.Add("p@ss-word-1")
			var out bytes.Buffer
			w := NewWriter(&out, set)
			for i, piece := range tt.writes {
				n, err := w.Write([]byte(piece))
				if err != nil || n != len(piece) {
					t.Fatalf("Write(%q) = %d, %v", piece, n, err)
				}
				if out.String() != tt.want[i] {
					t.Fatalf("after writing %q: out is %q, want %q", piece, out.String(), tt.want[i])
				}
			}
		})
	}
}

// Flush writes the held-back rest once, and a second Flush writes nothing.
func TestWriterFlushWritesTheRestOnce(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out, NewSet())
	_, _ = w.Write([]byte("a\nrest"))
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if out.String() != "a\nrest" {
		t.Fatalf("got %q", out.String())
	}
}

// Secret prints the placeholder under every verb, quoted under %q only.
func TestSecretFormatsThePlaceholderExactly(t *testing.T) {
	s := Secret("hunter2-canary-value")
	if got := fmt.Sprintf("%s|%v|%q|%d", s, s, s, s); got != `[REDACTED]|[REDACTED]|"[REDACTED]"|[REDACTED]` {
		t.Fatalf("got %s", got)
	}
}

// Every spelling in which a client sends a secret with special characters
// (form and path encoding, HTTP Basic with and without form encoding) is
// registered.
func TestScrubsFormAndBasicSpellingsOfSpecialCharacters(t *testing.T) {
	for _, secret := range []string{"a+b%c:d", "p@ss w0rd", "ü:ber+100%"} {
		set := NewSet()
		set.Add(secret)
		set.AddBasicAuth("svc:id", secret)
		for _, form := range []string{
			url.QueryEscape(secret),
			url.PathEscape(secret),
			base64.StdEncoding.EncodeToString([]byte("svc:id:" + secret)),
			base64.StdEncoding.EncodeToString([]byte(url.QueryEscape("svc:id") + ":" + url.QueryEscape(secret))),
		} {
			if got := set.Scrub("x " + form + " y"); got != "x "+Placeholder+" y" {
				t.Errorf("%q: %q not scrubbed: %q", secret, form, got)
			}
		}
	}
}
