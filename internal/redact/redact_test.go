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
