// Package sanitize makes text that came from a server (or any other party
// authdoctor does not control) safe to write to a terminal, a log or a
// report: every control character is shown visibly escaped, so a server can
// neither move the cursor, clear the screen, set the window title or the
// clipboard, nor fake lines of authdoctor's own output.
//
// What is escaped, and how:
//   - C0 controls (U+0000–U+001F) and DEL (U+007F) as \t, \n, \r or \xNN
//     (ESC is \x1b); Block keeps '\n' as a line break, Line escapes it too;
//   - C1 controls (U+0080–U+009F) as \u0080…\u009f (U+009B is a CSI on
//     terminals that honour 8-bit controls);
//   - bytes that are not UTF-8 as \xNN (a lone 0x9b byte is that same CSI);
//   - the Unicode bidirectional controls (U+061C, U+200E, U+200F,
//     U+202A–U+202E, U+2066–U+2069), which reorder what a reader sees, and
//     the line and paragraph separators U+2028 and U+2029, as \uNNNN.
//
// Everything else, backslashes included, is kept as it is, so sanitising is
// idempotent: Line(Line(s)) == Line(s).
package sanitize

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Line returns s safe for a one-line field: line breaks are escaped too.
func Line(s string) string { return escape(s, false) }

// Block returns s safe for a multi-line field: '\n' is kept as a line break
// ("\r\n" becomes "\n"); every other control character is escaped.
func Block(s string) string { return escape(strings.ReplaceAll(s, "\r\n", "\n"), true) }

// IsSafe reports whether s would pass through Block unchanged, apart from
// line breaks: it holds no character that Block escapes.
func IsSafe(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != '\n' && needsEscape(r, size) {
			return false
		}
		i += size
	}
	return true
}

func escape(s string, keepNewlines bool) string {
	// Most text needs no escaping at all: return it without copying.
	if IsSafe(s) && (keepNewlines || !strings.Contains(s, "\n")) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		b.WriteString(escapeRune(s[i:i+size], r, keepNewlines))
		i += size
	}
	return b.String()
}

// escapeRune returns how the rune r, whose bytes in the input are raw, is
// shown.
func escapeRune(raw string, r rune, keepNewlines bool) string {
	if r == '\n' && keepNewlines || !needsEscape(r, len(raw)) {
		return raw
	}
	if r == utf8.RuneError && len(raw) == 1 { // not UTF-8: the byte itself
		return fmt.Sprintf(`\x%02x`, raw[0])
	}
	switch r {
	case '\t':
		return `\t`
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	}
	if r < 0x80 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}

// needsEscape reports whether the rune r (of size bytes in the input) must
// be escaped. One expression rather than a switch: gremlins cannot mutate
// the conditions of a switch case (docs/mutation-testing.md).
func needsEscape(r rune, size int) bool {
	return r == utf8.RuneError && size == 1 || // not UTF-8
		r < 0x20 || r == 0x7f || // C0, DEL
		r >= 0x80 && r <= 0x9f || // C1
		r == 0x061c || r == 0x200e || r == 0x200f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || // bidi
		r == 0x2028 || r == 0x2029 // line and paragraph separators
}
