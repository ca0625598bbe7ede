package cli

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/joho/godotenv"
)

// utf8BOM starts files saved by some Windows editors; it is not part of the
// first variable's name.
var utf8BOM = []byte("\xef\xbb\xbf")

// parseDotEnv parses a .env file. Its errors name the file, the line and the
// reason, and never quote the file: the text after a bad line is usually the
// password and the client secret.
func parseDotEnv(path string, content []byte) (map[string]string, error) {
	content = bytes.TrimPrefix(content, utf8BOM)
	vars, err := godotenv.UnmarshalBytes(content)
	if err == nil {
		return vars, nil
	}
	where := path
	if line := dotEnvErrorLine(content, err.Error()); line > 0 {
		where += ", line " + strconv.Itoa(line)
	}
	reason := "cannot be read as KEY=value lines"
	switch msg := err.Error(); {
	case strings.HasPrefix(msg, "unterminated quoted value"):
		reason = "a quoted value is not closed"
	case strings.HasPrefix(msg, "unexpected character"):
		reason = "not a KEY=value line (names are letters, digits, _ and .; comments start with #)"
	}
	return nil, &usageError{msg: fmt.Sprintf("env file %s: %s", where, reason)}
}

// dotEnvErrorLine finds the line godotenv stopped at, from the text it quotes
// (the rest of the file, or the unterminated value); 0 when unknown.
func dotEnvErrorLine(content []byte, msg string) int {
	content = bytes.ReplaceAll(content, []byte("\r\n"), []byte("\n")) // as godotenv reads it
	var fragment string
	if _, near, ok := strings.Cut(msg, " near "); ok {
		if s, err := strconv.Unquote(near); err == nil {
			fragment = s
		}
	} else if rest, ok := strings.CutPrefix(msg, "unterminated quoted value "); ok {
		fragment = rest
	}
	if fragment == "" {
		return 0
	}
	// The quoted text usually runs to the end of the file: a suffix is exact,
	// where a search could match an earlier, identical line.
	at := len(content) - len(fragment)
	if !bytes.HasSuffix(content, []byte(fragment)) {
		if at = bytes.Index(content, []byte(fragment)); at < 0 {
			return 0
		}
	}
	return bytes.Count(content[:at], []byte("\n")) + 1
}
