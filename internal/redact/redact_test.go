package redact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

func TestSecretNeverFormats(t *testing.T) {
	s := Secret("hunter2-canary-value")
	outs := []string{
		fmt.Sprint(s), fmt.Sprintf("%v %s %q %x %#v %+v %d", s, s, s, s, s, s, s),
		fmt.Sprintf("%v", struct{ P Secret }{s}), fmt.Sprintf("%+v", &struct{ P Secret }{s}),
	}
	b, _ := json.Marshal(map[string]Secret{"p": s})
	outs = append(outs, string(b))
	for _, o := range outs {
		if strings.Contains(o, "hunter2") || strings.Contains(o, fmt.Sprintf("%x", "hunter2")) {
			t.Errorf("secret leaked: %s", o)
		}
	}
	if s.Reveal() != "hunter2-canary-value" || !s.IsSet() || Secret("").String() != "" {
		t.Error("Reveal/IsSet/empty behave wrongly")
	}
}

func TestWriterScrubsEveryEncoding(t *testing.T) {
	secret := "p@ss w+rd/\"canary\""
	set := NewSet()
	set.Add(secret)
	set.AddBasicAuth("client", secret)
	var out bytes.Buffer
	w := NewWriter(&out, set)
	jsonEsc, _ := json.Marshal(secret)
	for _, piece := range []string{
		"raw " + secret + "\n",
		"form " + url.QueryEscape(secret) + "\n",
		"json " + string(jsonEsc) + "\n",
		// split across writes
		"split " + secret[:5], secret[5:] + "\n",
		"no newline at the end " + secret,
	} {
		_, _ = w.Write([]byte(piece))
	}
	_ = w.Flush()
	got := out.String()
	if strings.Contains(got, "canary") {
		t.Fatalf("secret leaked:\n%s", got)
	}
	if strings.Count(got, Placeholder) != 5 {
		t.Fatalf("want 5 placeholders:\n%s", got)
	}
}

func TestShortValuesAreNotScrubbed(t *testing.T) {
	set := NewSet()
	set.Add("abc")
	if got := set.Scrub("abcdef"); got != "abcdef" {
		t.Fatalf("got %q", got)
	}
}

func TestLongestFirst(t *testing.T) {
	set := NewSet()
	set.Add("token-part", "header.token-part.signature")
	if got := set.Scrub("x header.token-part.signature y"); got != "x "+Placeholder+" y" {
		t.Fatalf("got %q", got)
	}
}

// A server may echo a secret; authdoctor may then quote it (%q), and the
// renderers show it sanitised. Every one of these forms is scrubbed.
func TestScrubsQuotedAndEscapedForms(t *testing.T) {
	secret := "p  a\tss\nw<b>Zq9\x1b\"&'"
	set := NewSet()
	set.Add(secret)
	for _, form := range []string{
		fmt.Sprintf("answered %q.", "Invalid password "+secret),
		"html " + strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(secret),
		"sanitised " + strings.NewReplacer("\t", `\t`, "\n", `\n`, "\x1b", `\x1b`).Replace(secret),
	} {
		if got := set.Scrub(form); strings.Contains(got, "Zq9") || !strings.Contains(got, Placeholder) {
			t.Errorf("not scrubbed: %q", got)
		}
	}
}

func TestCutNeverShowsPartOfASecret(t *testing.T) {
	secret := "correct-horse-battery-staple"
	set := NewSet()
	set.Add(secret)
	text := "password=" + url.QueryEscape(secret) + "&username=ana and more text after it"
	for n := 0; n <= len(text); n++ {
		got, _ := set.Cut(text, n)
		if len(got) > n {
			t.Fatalf("Cut(%d) is %d bytes", n, len(got))
		}
		if strings.Contains(got, "corr") || strings.Contains(got, "[RED") && !strings.Contains(got, Placeholder) {
			t.Fatalf("Cut(%d) = %q shows part of a secret or of a placeholder", n, got)
		}
	}
	// A secret the text itself holds only in part (the server cut it) is
	// not registered as such; a cut ending in its first bytes drops them.
	unregistered := "see correct-hor"
	if got, cut := set.Cut(unregistered+" tail", len(unregistered)); !cut || strings.Contains(got, "corr") {
		t.Fatalf("got %q", got)
	}
	if got, cut := set.Cut("short", 10); cut || got != "short" {
		t.Fatalf("got %q %v", got, cut)
	}
	if got, _ := set.Cut("日本語", 4); got != "日" {
		t.Fatalf("a cut falls on a rune boundary: %q", got)
	}
}
