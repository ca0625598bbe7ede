package cli

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/internal/config"
	"github.com/authdoctor/authdoctor/internal/iostreams"
)

// The README documents every flag and environment variable, and both
// first commands.
func TestReadmeDocumentsEverySetting(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, s := range config.Settings() {
		for _, want := range []string{"`--" + s.Name + "`", "`" + s.EnvVar + "`"} {
			if !strings.Contains(readme, want) {
				t.Errorf("README does not document %s", want)
			}
		}
	}
	for _, want := range []string{"go run . demo", "go test ./...", "## Exit codes"} {
		if !strings.Contains(readme, want) {
			t.Errorf("README lacks %q", want)
		}
	}
}

// The demo runs the main job against the in-process sandbox and checks its
// own outcome: exit 0 only when each account ended as expected.
func TestDemo(t *testing.T) {
	run := runCLI(t, nil, "demo")
	if run.code != exitOK {
		t.Fatalf("demo exit %d\n%s\n%s", run.code, run.stdout, run.stderr)
	}
	for _, want := range []string{"healthy-admin", "8 passed", "SERVICE_ACCOUNT_DISABLED", "MISSING_ROLE"} {
		if !strings.Contains(run.stdout, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
}

func TestSandboxCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	a := newApp(iostreams.Streams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, nil, t.TempDir())
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if code := a.execute(ctx, []string{"authdoctor", "sandbox", "--addr", "127.0.0.1:0"}); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{"KEYCLOAK_URL  http://127.0.0.1:", "admin-portal", "wrong-password"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("guide lacks %q", want)
		}
	}
	bad := runCLI(t, nil, "sandbox", "--profile", "18")
	if bad.code != exitUsage {
		t.Fatalf("unknown profile: exit %d", bad.code)
	}
}
