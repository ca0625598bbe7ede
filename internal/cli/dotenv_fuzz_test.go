package cli

import (
	"regexp"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/internal/fuzzseed"
)

// fuzzEnvSecret is the password of the seed files: an error about the file
// must never quote it, wherever the fuzzer moves it.
const fuzzEnvSecret = "fuzz-Env-Pa55word-2b9f"

// dotEnvError is the only shape of a .env error: the file, maybe the line,
// and a reason in authdoctor's words, never a quote of the file.
var dotEnvError = regexp.MustCompile(`^env file \.env(, line [0-9]+)?: [a-zA-Z ,.;:()#_=-]+$`)

// The .env parser never panics, and its errors name the line without
// quoting the file.
func FuzzParseDotEnv(f *testing.F) {
	f.Add([]byte("\xef\xbb\xbfKEYCLOAK_URL=https://sso.example.com\r\nexport PASSWORD=\"" + fuzzEnvSecret + "\"\r\n# comment\r\n"))
	f.Add([]byte("A=1\nbad line\nPASSWORD=" + fuzzEnvSecret + "\n"))
	f.Add([]byte("CLIENT_SECRET='" + fuzzEnvSecret + "\n"))
	f.Add([]byte("X=\"a\\\"b\" # c\nY=${X}\nZ=`cmd`\n"))
	answers, err := fuzzseed.Answers()
	if err != nil {
		f.Fatal(err)
	}
	// The recorded answers as values: text with quotes, braces, escapes.
	for _, a := range answers {
		f.Add([]byte("PASSWORD=" + fuzzEnvSecret + "\nERROR=" + string(a.Body) + "\n"))
	}
	f.Fuzz(func(t *testing.T, content []byte) {
		vars, err := parseDotEnv(".env", content)
		if err == nil {
			if vars == nil {
				t.Fatal("no error and no variables")
			}
			return
		}
		msg := err.Error()
		if strings.Contains(msg, fuzzEnvSecret) || !dotEnvError.MatchString(msg) {
			t.Fatalf("the error quotes the file or has another shape: %q", msg)
		}
	})
}
