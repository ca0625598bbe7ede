// Package shell writes values for a POSIX shell: the curl replays of -v and
// the commands the sandbox guide prints.
package shell

import "strings"

// Quote returns s as one shell word: unchanged when every character is safe
// unquoted, else in single quotes, each single quote inside written as the
// four characters quote, backslash, quote, quote.
func Quote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool { return !safe(r) }) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// safe characters mean nothing to the shell, even at the start of a word.
func safe(r rune) bool {
	return r == '-' || r == '_' || r == '.' || r == ':' || r == '/' || r == '@' || r == '=' || r == ',' || r == '+' ||
		('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')
}
