package sanitize

import (
	"fmt"
	"testing"
)

// Every range of needsEscape, at both of its ends and one past each: a
// moved bound (a `<` become `<=`, 0x9f become 0x9e) changes one of these.
func TestEscapeRangeBoundaries(t *testing.T) {
	for _, tc := range []struct {
		r       rune
		escaped string // "" when the rune is kept
	}{
		{0x1f, `\x1f`}, {0x20, ""}, // C0
		{0x7e, ""}, {0x7f, `\x7f`}, // DEL
		{0x80, `\u0080`}, {0x9f, `\u009f`}, {0xa0, ""}, // C1
		{0x061b, ""}, {0x061c, `\u061c`}, {0x061d, ""}, // Arabic letter mark
		{0x200d, ""}, {0x200e, `\u200e`}, {0x200f, `\u200f`}, {0x2010, ""}, // LRM, RLM
		{0x2027, ""}, {0x2028, `\u2028`}, {0x2029, `\u2029`}, // separators
		{0x202a, `\u202a`}, {0x202c, `\u202c`}, {0x202e, `\u202e`}, {0x202f, ""}, // embeddings, overrides
		{0x2065, ""}, {0x2066, `\u2066`}, {0x2069, `\u2069`}, {0x206a, ""}, // isolates
		{0xfffd, ""}, // a real U+FFFD is text, not a broken byte
	} {
		in := "a" + string(tc.r) + "b"
		want := in
		if tc.escaped != "" {
			want = "a" + tc.escaped + "b"
		}
		name := fmt.Sprintf("U+%04X", tc.r)
		if got := Line(in); got != want {
			t.Errorf("%s: Line = %q, want %q", name, got, want)
		}
		if got := Block(in); got != want {
			t.Errorf("%s: Block = %q, want %q", name, got, want)
		}
		if got := IsSafe(in); got != (tc.escaped == "") {
			t.Errorf("%s: IsSafe = %v", name, got)
		}
	}
}

// The named escapes, and bytes that are not UTF-8, in the middle of text.
func TestEscapeForms(t *testing.T) {
	for in, want := range map[string]string{
		"a\rb":       `a\rb`,
		"a\tb":       `a\tb`,
		"a\xffb":     `a\xffb`,
		"a\xe2\x80b": `a\xe2\x80b`, // a cut three-byte rune: each byte on its own
		"é\x9b[2J":   `é\x9b[2J`,   // a lone 8-bit CSI after valid UTF-8
	} {
		if got := Line(in); got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Block("a\r\nb\rc\n"); got != "a\nb\\rc\n" {
		t.Errorf("Block: %q", got)
	}
	if got := Line("a\nb"); got != `a\nb` {
		t.Errorf("Line: %q", got)
	}
	if !IsSafe("a\nb") || IsSafe("a\rb") {
		t.Error("IsSafe: a line break is safe, a carriage return is not")
	}
}
