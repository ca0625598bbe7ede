package cli

import (
	"strings"
	"testing"
)

func TestParseDotEnv(t *testing.T) {
	vars, err := parseDotEnv(".env", []byte("\xef\xbb\xbfKEYCLOAK_URL=https://sso.example.com\r\nexport PASSWORD=\"p w\"\r\n# comment\r\n"))
	if err != nil || vars["KEYCLOAK_URL"] != "https://sso.example.com" || vars["PASSWORD"] != "p w" {
		t.Fatalf("a BOM, CRLF, export and quotes should parse: %v %v", vars, err)
	}
}

// A bad .env file is named with its line and reason; the values after the
// bad line (typically the password) are never quoted back.
func TestParseDotEnvErrors(t *testing.T) {
	secret := anaPassword
	tests := []struct {
		name, content, want string
	}{
		{"line without =", "KEYCLOAK_URL=https://s\nbad line\nPASSWORD=" + secret + "\n", ".env, line 2: not a KEY=value line"},
		{"unterminated quote", "A=1\n\nCLIENT_SECRET=\"" + secret + "\n", ".env, line 3: a quoted value is not closed"},
		{"junk", strings.Repeat("é", 10) + "\nPASSWORD=" + secret, ".env, line 1:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseDotEnv(".env", []byte(tt.content))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), secret) || len(err.Error()) > 200 {
				t.Fatalf("the error quotes the file: %v", err)
			}
		})
	}
}
