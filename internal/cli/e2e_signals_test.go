package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/internal/iostreams"
)

// The tests that send real signals run the test binary itself as the
// process under test: TestMain runs childMain instead of the tests when
// childSwitch is set.
const (
	childSwitch  = "AUTHDOCTOR_TEST_CHILD"
	childArgsEnv = "AUTHDOCTOR_TEST_CHILD_ARGS" // the command line after the program's name, as JSON
)

// childMain is main.go's body: the same signal handling, streams and exit.
func childMain() int {
	var args []string
	if err := json.Unmarshal([]byte(os.Getenv(childArgsEnv)), &args); err != nil {
		fmt.Fprintln(os.Stderr, "test child: bad arguments:", err)
		return 99
	}
	ctx, stop := Interruptible(context.Background())
	code := Main(ctx, append([]string{"authdoctor"}, args...), iostreams.System(), Environ(os.Environ()), ".")
	stop()
	return code
}

// previousReport is what a --report path holds before a run.
const previousReport = "{\"previous\": \"report, complete\"}\n"

// stallingToken serves the sandbox but holds every token request until the
// client goes away; inFlight is closed when the first one arrives.
func stallingToken(t *testing.T) (srv *httptest.Server, inFlight chan struct{}) {
	inFlight = make(chan struct{})
	var once sync.Once
	srv = behindProxy(t, newSandbox(t, fixtures.Options{}), func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, "/token") {
			return false
		}
		_, _ = io.Copy(io.Discard, r.Body)
		once.Do(func() { close(inFlight) })
		<-r.Context().Done()
		return true
	})
	return srv, inFlight
}

// dirNames lists a directory: the reports, and any temporary file left.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Real signals to a real process, in the middle of a run (a token request
// in flight): every one of them stops it promptly with 128 + its number and
// one line, no goroutine dump (SIGQUIT included), the report that was at
// the path before is intact, a new one is not created, and no temporary
// file is left.
func TestRealSignalsStopTheRunAndKeepThePreviousReport(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT} {
		t.Run(sig.String(), func(t *testing.T) {
			srv, inFlight := stallingToken(t)
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "r.json"), []byte(previousReport), 0o644); err != nil {
				t.Fatal(err)
			}
			args, _ := json.Marshal([]string{"check", "--report", "r.json", "--report", "new.md"})
			cmd := exec.Command(exe)
			cmd.Dir = dir
			cmd.Env = []string{childSwitch + "=1", childArgsEnv + "=" + string(args), "KEYCLOAK_URL=" + srv.URL}
			for k, v := range anaEnv() {
				cmd.Env = append(cmd.Env, k+"="+v)
			}
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			defer func() { _ = cmd.Process.Kill() }()
			select {
			case <-inFlight:
			case err := <-exited:
				t.Fatalf("exited before its token request: %v\nstderr: %s", err, stderr.String())
			case <-time.After(hangGuard):
				t.Fatal("no token request")
			}
			sent := time.Now()
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			select {
			case <-exited:
			case <-time.After(hangGuard):
				t.Fatalf("still running %v after %v", hangGuard, sig)
			}
			t.Logf("%v: exited %v after the signal", sig, time.Since(sent).Round(time.Millisecond))

			want := 128 + int(sig)
			if code := cmd.ProcessState.ExitCode(); code != want {
				t.Errorf("exit %d (%v), want %d", code, cmd.ProcessState, want)
			}
			if !strings.Contains(stderr.String(), "interrupted") || strings.Count(stderr.String(), "\n") != 1 {
				t.Errorf("want one line saying it was interrupted:\n%s", stderr.String())
			}
			for _, dump := range []string{"goroutine ", "SIGQUIT", "PC="} {
				if strings.Contains(stderr.String(), dump) {
					t.Errorf("stderr carries a goroutine dump (%q):\n%s", dump, stderr.String())
				}
			}
			if got := readString(t, filepath.Join(dir, "r.json")); got != previousReport {
				t.Errorf("the previous report was changed: %q", got)
			}
			if names := dirNames(t, dir); !slices.Equal(names, []string{"r.json"}) {
				t.Errorf("the directory holds %v, want only the previous r.json", names)
			}
		})
	}
}

// The same through the context's cause, in-process, with the report
// already at the path and a second one that is new.
func TestInterruptKeepsThePreviousReport(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT} {
		t.Run(sig.String(), func(t *testing.T) {
			srv, inFlight := stallingToken(t)
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "r.json"), []byte(previousReport), 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			go func() {
				<-inFlight
				cancel(interrupted{sig: sig})
			}()
			a, out, errOut := testApp(withEnv(anaEnv(), "KEYCLOAK_URL", srv.URL), dir)
			code := runReturns(t, ctx, a, "check", "--report", "r.json", "--report", "new.xml")
			if code != 128+int(sig) || out.Len() != 0 || !strings.Contains(errOut.String(), "no report written") {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, 128+int(sig), out, errOut)
			}
			if got := readString(t, filepath.Join(dir, "r.json")); got != previousReport {
				t.Errorf("the previous report was changed: %q", got)
			}
			if names := dirNames(t, dir); !slices.Equal(names, []string{"r.json"}) {
				t.Errorf("the directory holds %v, want only the previous r.json", names)
			}
		})
	}
}

// A complete run replaces the report at once: the file has the complete new
// report (the same document as stdout), the previous file is not written
// over (a reader that had it open still reads it whole), its permissions
// are kept, a symbolic link stays a link to the file it names, and no
// temporary file is left.
func TestCompleteRunReplacesTheReportAtomically(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	tests := []struct {
		format, file string
		link         bool
	}{
		{"json", "r.json", false},
		{"markdown", "r.md", false},
		{"junit", "r.xml", false},
		{"short", "r.txt", false},
		{"json", "r.json", true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s link=%v", tt.file, tt.link), func(t *testing.T) {
			dir := t.TempDir()
			target := filepath.Join(dir, tt.file)
			if tt.link {
				if err := os.Mkdir(filepath.Join(dir, "real"), 0o755); err != nil {
					t.Fatal(err)
				}
				target = filepath.Join(dir, "real", "target"+filepath.Ext(tt.file))
				if err := os.Symlink(filepath.Join("real", filepath.Base(target)), filepath.Join(dir, tt.file)); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(target, []byte(previousReport), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(target, 0o640); err != nil {
				t.Fatal(err)
			}
			reader, err := os.Open(target)
			if err != nil {
				t.Fatal(err)
			}
			defer reader.Close()
			before := dirNames(t, filepath.Dir(target))

			a, out, errOut := testApp(srv.env(anaEnv()), dir)
			if code := runReturns(t, context.Background(), a, "check", "-o", tt.format, "--report", tt.file); code != exitOK {
				t.Fatalf("exit %d\n%s", code, errOut)
			}
			if got := readString(t, target); got == "" || got != out.String() {
				t.Fatalf("the report file is not the complete report:\n%s\nstdout:\n%s", got, out)
			}
			if old, err := io.ReadAll(reader); err != nil || string(old) != previousReport {
				t.Fatalf("the previous file was written over instead of replaced: %q %v", old, err)
			}
			st, err := os.Stat(target)
			if err != nil || st.Mode().Perm() != 0o640 {
				t.Fatalf("permissions %v (%v), want the previous file's -rw-r-----", st.Mode(), err)
			}
			if tt.link {
				if lst, err := os.Lstat(filepath.Join(dir, tt.file)); err != nil || lst.Mode()&os.ModeSymlink == 0 {
					t.Fatalf("the symbolic link was replaced: %v %v", lst.Mode(), err)
				}
			}
			if after := dirNames(t, filepath.Dir(target)); !slices.Equal(after, before) {
				t.Fatalf("the directory holds %v, had %v", after, before)
			}
		})
	}
}

// A --report path that cannot take a file is bad input found before any
// request, and opening it does not block: a FIFO (which os.Create would wait
// on for a reader), a device, a directory.
func TestReportPathsThatAreNotFiles(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	dir := t.TempDir()
	mkfifo(t, filepath.Join(dir, "fifo.json"))
	if err := os.Symlink("/dev/null", filepath.Join(dir, "null.md")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "dir.xml"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ file, want string }{
		{"fifo.json", "a named pipe"},
		{"null.md", "a character device"},
		{"dir.xml", "a directory"},
	} {
		before := len(srv.sb.Requests())
		a, _, errOut := testApp(srv.env(anaEnv()), dir)
		code := runReturns(t, context.Background(), a, "check", "--report", "ok.json", "--report", tt.file)
		if code != exitUsage || !strings.Contains(errOut.String(), "--report "+tt.file+": cannot write it ("+tt.want) {
			t.Errorf("%s: exit %d, want 2 and %q\n%s", tt.file, code, tt.want, errOut)
		}
		if after := len(srv.sb.Requests()); after != before {
			t.Errorf("%s: %d requests were sent", tt.file, after-before)
		}
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"dir.xml", "fifo.json", "null.md"}) {
		t.Errorf("the directory holds %v: a temporary file or ok.json was left", names)
	}
}

// A second signal, or the first one left unanswered for graceAfterSignal,
// ends the process at once (the run may be stuck where it cannot see the
// cancellation); the temporary report files are removed first, and the
// previous report is intact.
func TestSecondSignalOrGraceEndsAtOnceWithoutTempFiles(t *testing.T) {
	tests := []struct {
		name    string
		signals []syscall.Signal
		grace   time.Duration
		code    int
	}{
		{"second signal", []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM}, hangGuard, 143},
		{"grace period", []syscall.Signal{syscall.SIGQUIT}, 50 * time.Millisecond, 131},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exited := make(chan int, 1)
			exit, graceAfterSignal = func(code int) { exited <- code }, tt.grace
			t.Cleanup(func() {
				exit, graceAfterSignal = os.Exit, 5*time.Second
				pendingTemps.mu.Lock()
				pendingTemps.stopping = false
				pendingTemps.mu.Unlock()
			})
			dir := t.TempDir()
			path := filepath.Join(dir, "r.json")
			if err := os.WriteFile(path, []byte(previousReport), 0o644); err != nil {
				t.Fatal(err)
			}
			rf, err := createReport(path)
			if err != nil {
				t.Fatal(err)
			}
			defer rf.discard()
			if _, err := rf.tmp.WriteString("{\"half\": "); err != nil {
				t.Fatal(err)
			}
			if names := dirNames(t, dir); len(names) != 2 {
				t.Fatalf("want the report and its temporary file, got %v", names)
			}

			ctx, stop := Interruptible(context.Background())
			defer stop()
			for i, sig := range tt.signals {
				if err := syscall.Kill(os.Getpid(), sig); err != nil {
					t.Fatal(err)
				}
				if i == 0 {
					select {
					case <-ctx.Done():
					case <-time.After(hangGuard):
						t.Fatalf("%v did not cancel the run", sig)
					}
				}
			}
			select {
			case code := <-exited:
				if code != tt.code {
					t.Errorf("exit %d, want %d", code, tt.code)
				}
			case <-time.After(hangGuard):
				t.Fatal("the process was not ended")
			}
			if names := dirNames(t, dir); !slices.Equal(names, []string{"r.json"}) {
				t.Errorf("the directory holds %v, want only r.json", names)
			}
			if got := readString(t, path); got != previousReport {
				t.Errorf("the previous report was changed: %q", got)
			}
		})
	}
}
