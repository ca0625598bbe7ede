package shell

import (
	"os/exec"
	"testing"
)

func TestQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain-word_1.2", "plain-word_1.2"},
		{"https://sso.example.com/realms/r", "https://sso.example.com/realms/r"},
		{"", "''"},
		{"two words", "'two words'"},
		{"it's", `'it'\''s'`},
		{"$HOME", "'$HOME'"},
		{"a;rm -rf /", "'a;rm -rf /'"},
		{"*", "'*'"},
		{"~", "'~'"},
	}
	for _, tt := range tests {
		if got := Quote(tt.in); got != tt.want {
			t.Errorf("Quote(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// The shell itself reads every quoted value back unchanged.
func TestQuoteRoundTripsThroughSh(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on this machine")
	}
	for _, in := range []string{"a b", "it's", `"double"`, "$(date)", "`id`", "back\\slash", "new\nline", "*?[", "", "x=1&y=2"} {
		out, err := exec.Command(sh, "-c", "printf %s "+Quote(in)).Output()
		if err != nil || string(out) != in {
			t.Errorf("Quote(%q) = %s: sh read back %q (%v)", in, Quote(in), out, err)
		}
	}
}
