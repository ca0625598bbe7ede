package sanitize

import "testing"

// The fast path (clean) must not let through what the slow path escapes:
// text made only of control characters, a lone DEL, a lone byte 0x80.
// Mutation testing found these unpinned (see docs/mutation-testing.md).
func TestFastPathEscapesWhatTheSlowPathDoes(t *testing.T) {
	for in, want := range map[string]string{
		"\x1b\x07": `\x1b\x07`,
		"\x00":     `\x00`,
		"\x7f":     `\x7f`,
		"a\x7f":    `a\x7f`,
		"\x80":     `\x80`,
		"\u0080":   `\u0080`,
		" ~":       " ~",
		"\t":       `\t`,
	} {
		if got := Line(in); got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
		if got := Block(in); got != want {
			t.Errorf("Block(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Block("\n\n"); got != "\n\n" {
		t.Errorf("Block keeps line breaks: %q", got)
	}
	if got := Line("\n"); got != `\n` {
		t.Errorf("Line escapes them: %q", got)
	}
}
