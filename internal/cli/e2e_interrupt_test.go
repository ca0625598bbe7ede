package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/internal/iostreams"
)

// Ctrl-C while a request is in flight: exit 130, a one-line message, and no
// report, because what the checks saw after the signal was the cancellation,
// not the server.
func TestInterruptStopsWithoutReport(t *testing.T) {
	inFlight := make(chan struct{})
	var once sync.Once
	srv := behindProxy(t, newSandbox(t, fixtures.Options{}), func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, "/token") {
			return false
		}
		_, _ = io.Copy(io.Discard, r.Body)
		once.Do(func() { close(inFlight) })
		<-r.Context().Done()
		return true
	})
	env := anaEnv()
	env["KEYCLOAK_URL"] = srv.URL

	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	go func() {
		<-inFlight
		cancel(interrupted{sig: os.Interrupt})
	}()
	var out, errOut bytes.Buffer
	dir := t.TempDir()
	a := newApp(iostreams.Streams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, env, dir)
	code := a.execute(ctx, []string{"authdoctor", "check", "--report", "r.json"})

	if code != 130 {
		t.Fatalf("exit %d, want 130\nstdout: %s\nstderr: %s", code, out.String(), errOut.String())
	}
	if out.Len() != 0 || !strings.Contains(errOut.String(), "interrupted") {
		t.Fatalf("want only the interruption on stderr\nstdout: %s\nstderr: %s", out.String(), errOut.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "r.json")); !os.IsNotExist(err) {
		t.Fatalf("a report was left behind: %v", err)
	}
}

// The process's own signal path: SIGINT cancels the context with a cause
// that names it, and the exit code is 128 + 2.
func TestInterruptibleCatchesSIGINT(t *testing.T) {
	ctx, stop := Interruptible(context.Background())
	defer stop()
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("SIGINT did not cancel the context")
	}
	in, ok := interruption(ctx)
	if !ok || in.exitCode() != 130 {
		t.Fatalf("cause %v, exit %d; want interrupted, 130", context.Cause(ctx), in.exitCode())
	}
}

// Interrupting `demo` stops it with one message, not one per nested run.
func TestInterruptDemo(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(interrupted{sig: os.Interrupt})
	var out, errOut bytes.Buffer
	code := newApp(iostreams.Streams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, nil, t.TempDir()).execute(ctx, []string{"authdoctor", "demo"})
	if code != 130 || strings.Count(errOut.String(), "interrupted") != 1 {
		t.Fatalf("exit %d, want 130 and one message\nstderr: %s", code, errOut.String())
	}
}
