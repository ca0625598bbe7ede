package sanitize

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Invalid user credentials", "Invalid user credentials"},
		{"clear\x1b[2Jscreen", `clear\x1b[2Jscreen`},
		{"title\x1b]0;pwned\x07", `title\x1b]0;pwned\x07`},
		{"osc52 \x1b]52;c;ZWNobyBoaQ==\x1b\\", `osc52 \x1b]52;c;ZWNobyBoaQ==\x1b\`},
		{"c1 csi \u009b31m", `c1 csi \u009b31m`},
		{"raw 8-bit csi \x9b31m", `raw 8-bit csi \x9b31m`},
		{"two\nlines\r\n", `two\nlines\r\n`},
		{"tab\there", `tab\there`},
		{"del\x7f nul\x00", `del\x7f nul\x00`},
		{"bidi \u202egnp.exe", `bidi \u202egnp.exe`},
		{"separator\u2028x", `separator\u2028x`},
		{"unicode ok: é ✓ 日本 \U0001F600 \uFFFD", "unicode ok: é ✓ 日本 \U0001F600 \uFFFD"},
		{`backslash \x1b stays`, `backslash \x1b stays`},
	}
	for _, tt := range tests {
		if got := Line(tt.in); got != tt.want {
			t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBlockKeepsLineBreaks(t *testing.T) {
	if got, want := Block("1. a\r\n2. b\x1b[K\n\tc"), "1. a\n2. b\\x1b[K\n\\tc"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if !IsSafe("a\nb") || IsSafe("a\x1bb") || IsSafe("\u0085") || IsSafe("\xff") {
		t.Fatal("IsSafe")
	}
}

// checkOutput holds for every output of Line and Block.
func checkOutput(t *testing.T, in, out string, keepNewlines bool) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("%q: output %q is not UTF-8", in, out)
	}
	for _, r := range out {
		if r == '\n' && keepNewlines {
			continue
		}
		if needsEscape(r, utf8.RuneLen(r)) {
			t.Fatalf("%q: output %q holds %U", in, out, r)
		}
	}
	again := escape(out, keepNewlines)
	if again != out {
		t.Fatalf("%q: not idempotent: %q, then %q", in, out, again)
	}
	if IsSafe(in) && (keepNewlines || !strings.Contains(in, "\n")) && !strings.Contains(in, "\r\n") && out != in {
		t.Fatalf("%q: safe text changed to %q", in, out)
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b[2J\x1b]0;t\x07", "\u009b\x9b", "a\r\nb", "\xff\xfe", "\u202e\u2028"} {
		f.Add(s)
	}
	// The recorded server answers: real error texts, as bytes.
	files, _ := filepath.Glob("../../fixtures/responses/*.json")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkOutput(t, s, Line(s), false)
		checkOutput(t, s, Block(s), true)
		if strings.Contains(Line(s), "\n") {
			t.Fatalf("Line(%q) spans lines", s)
		}
	})
}
