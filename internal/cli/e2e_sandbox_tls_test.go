package cli

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/internal/iostreams"
)

// lockedBuffer is a stdout that a serving command writes while the test
// reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// servedSandbox is `authdoctor sandbox ...` running in the background.
type servedSandbox struct {
	guide       string
	keycloakURL string
	graphqlURL  string
	caFile      string
	stop        func() int // stops it (as Ctrl-C does) and returns its exit code
}

var (
	guideKeycloakURL = regexp.MustCompile(`(?m)^  KEYCLOAK_URL  (\S+)$`)
	guideGraphQLURL  = regexp.MustCompile(`(?m)^  GRAPHQL_URL   (\S+)$`)
	guideCAFile      = regexp.MustCompile(`(?m)^  CA file +(\S+) `)
)

// serveSandbox runs the sandbox command through the real entry point until
// its guide is printed.
func serveSandbox(t *testing.T, args ...string) servedSandbox {
	t.Helper()
	out, errOut := &lockedBuffer{}, &lockedBuffer{}
	a := newApp(iostreams.Streams{In: strings.NewReader(""), Out: out, ErrOut: errOut}, nil, t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- a.execute(ctx, append([]string{"authdoctor", "sandbox", "--addr", "127.0.0.1:0"}, args...))
	}()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), "Serving") {
		select {
		case code := <-done:
			cancel()
			t.Fatalf("sandbox %v ended with %d before serving:\n%s%s", args, code, out.String(), errOut.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("sandbox %v did not start:\n%s", args, out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	s := servedSandbox{guide: out.String()}
	stopped := false
	s.stop = func() int {
		if stopped {
			return exitOK
		}
		stopped = true
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(10 * time.Second):
			t.Fatal("the sandbox did not stop")
			return -1
		}
	}
	t.Cleanup(func() { s.stop() })
	if m := guideKeycloakURL.FindStringSubmatch(s.guide); m != nil {
		s.keycloakURL = m[1]
	}
	if m := guideGraphQLURL.FindStringSubmatch(s.guide); m != nil {
		s.graphqlURL = m[1]
	}
	if m := guideCAFile.FindStringSubmatch(s.guide); m != nil {
		s.caFile = m[1]
	}
	return s
}

// `sandbox --tls` serves HTTPS with a CA made for the run; the guide prints
// the CA file for --ca-file, and each variant's certificate gives its code
// to a check that follows the guide.
func TestSandboxTLS(t *testing.T) {
	tests := []struct {
		args       []string
		wantStatus string
		wantCode   string
		wantExit   int
	}{
		{[]string{"--tls"}, "pass", "", exitOK},
		{[]string{"--tls=valid"}, "pass", "", exitOK},
		{[]string{"--tls=expired"}, "fail", "TLS_EXPIRED", exitFailed},
		{[]string{"--tls=wrong-host"}, "fail", "TLS_HOSTNAME_MISMATCH", exitFailed},
		{[]string{"--tls=untrusted"}, "fail", "TLS_UNTRUSTED", exitFailed},
		{[]string{"--tls=expiring"}, "warn", "TLS_EXPIRING_SOON", exitOK},
		{[]string{"--tls", "--profile", "19", "--relative-path", "/auth"}, "pass", "", exitOK},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			s := serveSandbox(t, tt.args...)
			if !strings.HasPrefix(s.keycloakURL, "https://127.0.0.1:") || !strings.HasPrefix(s.graphqlURL, "https://") || s.caFile == "" {
				t.Fatalf("the guide lacks the https URLs or the CA file:\n%s", s.guide)
			}
			if !strings.Contains(s.guide, "--ca-file "+s.caFile) {
				t.Fatalf("the guide does not say to pass --ca-file %s:\n%s", s.caFile, s.guide)
			}
			if i, j := strings.Index(s.guide, "KEYCLOAK_URL"), strings.Index(s.guide, "CA file"); i < 0 || j < i || j > strings.Index(s.guide, "\nRealms\n") {
				t.Fatalf("the TLS section is not next to the URLs:\n%s", s.guide)
			}
			env := withEnv(anaEnv(), "KEYCLOAK_URL", s.keycloakURL, "GRAPHQL_URL", s.graphqlURL)
			rep, run := checkJSON(t, env, "--ca-file", s.caFile)
			assertDiagnosis(t, rep, "tls", tt.wantStatus, tt.wantCode)
			host := "127.0.0.1"
			if tt.wantCode == "TLS_HOSTNAME_MISMATCH" {
				host = "" // the certificate names another host
			}
			if host != "" {
				assertTLSDetails(t, rep, host, tt.wantCode != "")
			}
			if run.code != tt.wantExit {
				t.Fatalf("exit %d, want %d: %+v", run.code, tt.wantExit, rep.Checks)
			}
			if code := s.stop(); code != exitOK {
				t.Fatalf("the sandbox ended with %d on Ctrl-C", code)
			}
			if _, err := os.Stat(s.caFile); !os.IsNotExist(err) {
				t.Fatalf("the CA file outlived the sandbox: %v", err)
			}
		})
	}
	// Without --ca-file, the generated CA is not trusted.
	s := serveSandbox(t, "--tls")
	rep, _ := checkJSON(t, withEnv(anaEnv(), "KEYCLOAK_URL", s.keycloakURL))
	assertDiagnosis(t, rep, "tls", "fail", "TLS_UNTRUSTED")
}

// Bad --tls input: one line, exit 2.
func TestSandboxTLSBadInput(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"sandbox", "--tls=bogus"}, `--tls "bogus": the variants are valid, expired, wrong-host, untrusted and expiring`},
		{[]string{"sandbox", "--tls", "expired"}, `unexpected argument "expired": write --tls=expired`},
		{[]string{"sandbox", "--tls", "--addr", "256.0.0.1:0"}, "sandbox: "},
	} {
		run := runCLI(t, nil, tt.args...)
		if run.code != exitUsage || !strings.Contains(run.stderr, tt.want) || strings.Count(run.stderr, "\n") != 2 {
			t.Errorf("%v: exit %d\n%s", tt.args, run.code, run.stderr)
		}
	}
}
