package cli

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/fixtures"
)

// Every scenario, every format, with -v and report files: no secret and no
// token the sandbox issued may appear anywhere authdoctor writes.
func TestNoSecretEverLeaks(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	const canary = "canary-Header-Token-7f3a9c"
	formats := []string{"table", "json", "markdown", "junit", "short"}
	for _, sc := range fixtures.Scenarios() {
		if sc.Profile != "" && sc.Profile != "26.7" {
			continue
		}
		for _, format := range formats {
			t.Run(sc.Name+"/"+format, func(t *testing.T) {
				env := srv.env(sc.Env)
				env["X_API_TOKEN"] = canary
				if env["CLIENT_SECRET"] == "" {
					// A public client ignores a secret it is sent (ClientIdAndSecretAuthenticator skips secret validation for public clients),
					// so every run can carry one to leak.
					env["CLIENT_SECRET"] = "canary-Client-Secret-5b1e"
				}
				args := append([]string{"check", "-v", "-o", format, "--secret", "X_API_TOKEN",
					"--report", "r.json", "--report", "r.md", "--report", "r.xml", "--report", "r.txt"}, sc.Args...)
				run := runCLI(t, env, args...)
				if run.code == exitUsage {
					t.Fatalf("usage error: %s", run.stderr)
				}
				outputs := map[string]string{"stdout": run.stdout, "stderr": run.stderr}
				for _, f := range []string{"r.json", "r.md", "r.xml", "r.txt"} {
					b, err := os.ReadFile(filepath.Join(run.dir, f))
					if err != nil {
						t.Fatal(err)
					}
					outputs[f] = string(b)
				}
				secrets := map[string]string{"X_API_TOKEN": canary}
				for _, k := range []string{"PASSWORD", "CLIENT_SECRET"} {
					if v := env[k]; v != "" {
						secrets[k] = v
						secrets[k+" (form-encoded)"] = url.QueryEscape(v)
					}
				}
				if env["CLIENT_SECRET"] != "" {
					secrets["Basic credentials"] = base64.StdEncoding.EncodeToString([]byte(env["CLIENT_ID"] + ":" + url.QueryEscape(env["CLIENT_SECRET"])))
				}
				for i, tok := range srv.issued() {
					secrets[fmt.Sprintf("issued token %d", i)] = tok
					// The signature is the part of a token nothing else shares.
					if parts := strings.Split(tok, "."); len(parts) == 3 {
						secrets[fmt.Sprintf("signature of issued token %d", i)] = parts[2]
					}
				}
				for where, text := range outputs {
					for name, secret := range secrets {
						if strings.Contains(text, secret) {
							t.Errorf("%s leaks %s", where, name)
						}
					}
				}
				if !strings.Contains(run.stderr, "replay: curl") {
					t.Errorf("-v wrote no transcript")
				}
			})
		}
	}
}

// The transcript references secrets as variables so a person can replay it.
func TestVerboseTranscriptReplay(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	run := runCLI(t, srv.env(anaEnv()), "check", "-v", "-o", "short")
	for _, want := range []string{
		"> POST " + srv.keycloakURL() + "/realms/tenant-" + fixtures.TenantID + "/protocol/openid-connect/token",
		`--data-urlencode "password=$PASSWORD"`,
		`--data-urlencode "refresh_token=$REFRESH_TOKEN"`,
		`-H "Authorization: Bearer $ACCESS_TOKEN"`,
		"password=%5BREDACTED%5D",
		`"access_token":"[REDACTED]"`,
	} {
		if !strings.Contains(run.stderr, want) {
			t.Errorf("transcript lacks %q", want)
		}
	}
}
