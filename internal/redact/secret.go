// Package redact keeps secrets out of every byte authdoctor writes.
//
// Two layers, so that forgetting one call cannot leak a secret:
//   - Secret is a string type whose every formatting path (fmt verbs, JSON,
//     text marshalling) prints a placeholder; only Reveal returns the value,
//     and only code that sends it to a server calls Reveal.
//   - Set collects every secret value of the run (configured secrets and the
//     tokens the server issues) and Writer scrubs them from all output streams
//     and report files, whatever code path produced the bytes.
package redact

import (
	"fmt"
)

// Placeholder replaces a secret wherever it would have been printed.
const Placeholder = "[REDACTED]"

// Secret holds a value that must never be printed.
type Secret string

// Reveal returns the raw value. Call it only to put the value on the wire.
func (s Secret) Reveal() string { return string(s) }

// IsSet reports whether a value is present, without exposing it.
func (s Secret) IsSet() bool { return s != "" }

// String implements fmt.Stringer.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return Placeholder
}

// GoString implements fmt.GoStringer so %#v cannot leak either.
func (s Secret) GoString() string { return s.String() }

// Format implements fmt.Formatter: every verb (%s, %v, %q, %x ...) prints the placeholder.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", s.String())
		return
	}
	_, _ = f.Write([]byte(s.String()))
}

// MarshalText implements encoding.TextMarshaler (and so JSON and XML).
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
