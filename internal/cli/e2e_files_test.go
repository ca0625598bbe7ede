package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/internal/iostreams"
)

// hangGuard is how long a run may take before a test calls it hung: far
// beyond any run of these tests, which return in milliseconds.
const hangGuard = 60 * time.Second

// testApp is the CLI with buffers for streams, in a working directory of
// the test's choosing.
func testApp(env map[string]string, dir string) (*app, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	a := newApp(iostreams.Streams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, env, dir)
	a.retryWait = time.Millisecond
	a.onReport = recordCodes
	return a, &out, &errOut
}

// runReturns runs `authdoctor args...` and returns its exit code; a run that
// does not return within hangGuard fails the test (and is abandoned).
func runReturns(t *testing.T, ctx context.Context, a *app, args ...string) int {
	t.Helper()
	done := make(chan int, 1)
	go func() { done <- a.execute(ctx, append([]string{"authdoctor"}, args...)) }()
	select {
	case code := <-done:
		return code
	case <-time.After(hangGuard):
		t.Fatalf("authdoctor %s did not return within %v: it hangs", strings.Join(args, " "), hangGuard)
		return 0
	}
}

func mkfifo(t *testing.T, path string) string {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// sparseFile is a file of size bytes that takes no room on disk.
func sparseFile(t testing.TB, path string, size int64) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// A FIFO, a directory or a device given as a .env or CA file, a .env over
// 1 MiB, a CA file over 8 MiB: bad input, refused before it is read (a FIFO
// would block for ever, /dev/zero never end) with one line that names the
// setting and the path; exit 2 and nothing sent.
func TestConfigFilesThatAreNotRegularFilesAreRefused(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	scratch := t.TempDir()
	fifo := mkfifo(t, filepath.Join(scratch, "fifo"))
	dir := filepath.Join(scratch, "dir")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	bigEnv := sparseFile(t, filepath.Join(scratch, "big.env"), 100<<20)
	bigCA := sparseFile(t, filepath.Join(scratch, "big.pem"), maxCAFileSize+1)
	caFromDotEnv := filepath.Join(scratch, "ca-in.env")
	if err := os.WriteFile(caFromDotEnv, []byte("AUTHDOCTOR_CA_FILE="+fifo+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const zero = "/dev/zero"
	if _, err := os.Stat(zero); err != nil {
		t.Fatalf("this test needs %s: %v", zero, err)
	}

	tests := []struct {
		name      string
		dotEnv    func(t *testing.T, path string) // makes ./.env, when set
		env, args []string
		label     string // the setting, as the message names it
		path      string // the path the message names
		what      string
	}{
		{"--env-file is a FIFO", nil, nil, []string{"--env-file", fifo}, "--env-file ", fifo, "named pipe"},
		{"AUTHDOCTOR_ENV_FILE is a FIFO", nil, []string{"AUTHDOCTOR_ENV_FILE", fifo}, nil, "AUTHDOCTOR_ENV_FILE (environment) ", fifo, "named pipe"},
		{"./.env is a FIFO", func(t *testing.T, p string) { mkfifo(t, p) }, nil, nil, "--env-file (default ./.env) ", ".env", "named pipe"},
		{"--ca-file is a FIFO", nil, nil, []string{"--ca-file", fifo}, "--ca-file ", fifo, "named pipe"},
		{"AUTHDOCTOR_CA_FILE is a FIFO", nil, []string{"AUTHDOCTOR_CA_FILE", fifo}, nil, "AUTHDOCTOR_CA_FILE (environment) ", fifo, "named pipe"},
		{"AUTHDOCTOR_CA_FILE from the .env is a FIFO", nil, nil, []string{"--env-file", caFromDotEnv}, "AUTHDOCTOR_CA_FILE (.env file) ", fifo, "named pipe"},
		{"--env-file is a directory", nil, nil, []string{"--env-file", dir}, "--env-file ", dir, "a directory"},
		{"./.env is a directory", func(t *testing.T, p string) { _ = os.Mkdir(p, 0o700) }, nil, nil, "--env-file (default ./.env) ", ".env", "a directory"},
		{"--ca-file is a directory", nil, nil, []string{"--ca-file", dir}, "--ca-file ", dir, "a directory"},
		{"--env-file is /dev/zero", nil, nil, []string{"--env-file", zero}, "--env-file ", zero, "character device"},
		{"./.env links to /dev/zero", func(t *testing.T, p string) { _ = os.Symlink(zero, p) }, nil, nil, "--env-file (default ./.env) ", ".env", "character device"},
		{"--ca-file is /dev/zero", nil, nil, []string{"--ca-file", zero}, "--ca-file ", zero, "character device"},
		{"--env-file over 1 MiB", nil, nil, []string{"--env-file", bigEnv}, "--env-file ", bigEnv, "larger than 1 MiB"},
		{"./.env over 1 MiB", func(t *testing.T, p string) { sparseFile(t, p, maxDotEnvSize+1) }, nil, nil, "--env-file (default ./.env) ", ".env", "larger than 1 MiB"},
		{"--ca-file over 8 MiB", nil, nil, []string{"--ca-file", bigCA}, "--ca-file ", bigCA, "larger than 8 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			work := t.TempDir()
			if tt.dotEnv != nil {
				tt.dotEnv(t, filepath.Join(work, ".env"))
			}
			env := srv.env(anaEnv())
			for i := 0; i+1 < len(tt.env); i += 2 {
				env[tt.env[i]] = tt.env[i+1]
			}
			before := len(srv.sb.Requests())
			a, out, errOut := testApp(env, work)
			code := runReturns(t, context.Background(), a, append([]string{"check"}, tt.args...)...)
			stderr := errOut.String()
			if code != exitUsage {
				t.Fatalf("exit %d, want 2\nstdout: %s\nstderr: %s", code, out, stderr)
			}
			first, _, _ := strings.Cut(stderr, "\n")
			for _, want := range []string{"authdoctor: " + tt.label, tt.path, tt.what} {
				if !strings.Contains(first, want) {
					t.Errorf("the message lacks %q:\n%s", want, stderr)
				}
			}
			if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "\x00") || strings.Contains(stderr, anaPassword) {
				t.Errorf("stderr shows more than the message:\n%q", stderr)
			}
			if after := len(srv.sb.Requests()); after != before {
				t.Errorf("%d requests were sent for bad input", after-before)
			}
		})
	}
}

// The FIFO check holds on the opened file too: a regular file swapped for a
// FIFO between the check and the open is refused, and the open does not
// wait for a writer.
func TestReadRegularFileDoesNotBlockOnAFIFO(t *testing.T) {
	fifo := mkfifo(t, filepath.Join(t.TempDir(), "fifo"))
	done := make(chan error, 1)
	go func() {
		f, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			done <- err
			return
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			done <- err
			return
		}
		done <- usable(fifo, st, maxDotEnvSize)
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "named pipe") {
			t.Fatalf("got %v, want a FIFO refused once open", err)
		}
	case <-time.After(hangGuard):
		t.Fatal("opening a FIFO blocked")
	}
	_, err := readRegularFile(fifo, maxDotEnvSize)
	if err == nil || !strings.Contains(err.Error(), "named pipe") {
		t.Fatalf("got %v", err)
	}
}

// A .env or CA file on a file system that does not answer: --timeout bounds
// the whole run, reading the files included (the clock starts before), and
// the first signal stops it there too.
func TestStalledConfigFileIsBoundedByTimeoutAndSignals(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	tests := []struct {
		name    string
		stall   string   // the file whose read never ends
		dotEnv  string   // contents of ./.env, when set
		args    []string // besides check
		signal  syscall.Signal
		code    int
		message string
	}{
		{"env file, --timeout", "slow.env", "", []string{"--env-file", "slow.env", "--timeout", "300ms"}, 0, exitUsage, "--env-file "},
		{"./.env, --timeout", ".env", "X=1\n", []string{"--timeout", "250ms"}, 0, exitUsage, "(default ./.env)"},
		{"CA file, --timeout from the .env", "ca.pem", "AUTHDOCTOR_TIMEOUT=200ms\n", []string{"--ca-file", "ca.pem"}, 0, exitUsage, "--ca-file ca.pem"},
		{"env file, SIGTERM", "slow.env", "", []string{"--env-file", "slow.env"}, syscall.SIGTERM, 143, "interrupted (terminated)"},
		{"CA file, SIGHUP", "ca.pem", "", []string{"--ca-file", "ca.pem"}, syscall.SIGHUP, 129, "interrupted (hangup)"},
		{"CA file, Ctrl-C", "ca.pem", "", []string{"--ca-file", "ca.pem"}, syscall.SIGINT, 130, "interrupted (interrupt)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			work := t.TempDir()
			for _, name := range []string{"slow.env", "ca.pem"} {
				if err := os.WriteFile(filepath.Join(work, name), []byte("X=1\n"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if tt.dotEnv != "" {
				if err := os.WriteFile(filepath.Join(work, ".env"), []byte(tt.dotEnv), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			reading, release := make(chan struct{}), make(chan struct{})
			t.Cleanup(func() { close(release) })
			a, out, errOut := testApp(srv.env(anaEnv()), work)
			a.readConfigFile = func(path string, limit int64) ([]byte, error) {
				if filepath.Base(path) == tt.stall {
					close(reading)
					<-release
				}
				return readRegularFile(path, limit)
			}
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			if tt.signal != 0 {
				go func() {
					<-reading
					cancel(interrupted{sig: tt.signal})
				}()
			}
			before := len(srv.sb.Requests())
			code := runReturns(t, ctx, a, append([]string{"check"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errOut.String(), tt.message) {
				t.Fatalf("exit %d, want %d and %q\nstdout: %s\nstderr: %s", code, tt.code, tt.message, out, errOut)
			}
			if tt.signal == 0 && !strings.Contains(errOut.String(), "not read within the run's --timeout") {
				t.Fatalf("the message should say the --timeout expired:\n%s", errOut)
			}
			if after := len(srv.sb.Requests()); after != before {
				t.Errorf("%d requests were sent", after-before)
			}
		})
	}
}

// The timeout named in the message is the one that applied: from the flag,
// or from the .env when only the .env sets it.
func TestStalledCAFileNamesTheTimeoutThatApplied(t *testing.T) {
	for _, tt := range []struct {
		dotEnv, flag, want string
	}{
		{"AUTHDOCTOR_TIMEOUT=150ms\n", "", "--timeout of 150ms"},
		{"AUTHDOCTOR_TIMEOUT=150ms\n", "120ms", "--timeout of 120ms"},
	} {
		work := t.TempDir()
		if err := os.WriteFile(filepath.Join(work, ".env"), []byte(tt.dotEnv), 0o600); err != nil {
			t.Fatal(err)
		}
		release := make(chan struct{})
		a, _, errOut := testApp(withEnv(anaEnv(), "KEYCLOAK_URL", "http://127.0.0.1:9"), work)
		a.readConfigFile = func(path string, limit int64) ([]byte, error) {
			if filepath.Base(path) == "ca.pem" {
				<-release
			}
			return readRegularFile(path, limit)
		}
		args := []string{"check", "--ca-file", "ca.pem"}
		if tt.flag != "" {
			args = append(args, "--timeout", tt.flag)
		}
		code := runReturns(t, context.Background(), a, args...)
		close(release)
		if code != exitUsage || !strings.Contains(errOut.String(), tt.want) {
			t.Fatalf("exit %d, want 2 and %q:\n%s", code, tt.want, errOut)
		}
	}
}

// A .env over 1 MiB is refused without being read into memory: the whole
// refused run allocates a small fraction of the file's 100 MB (reading it
// allocates at least its size; before the limit it took 1.3 GB in all).
// The bound leaves room for the race detector, under which the CLI's own
// regexps allocate some 13 MB; BenchmarkDotEnvSize reports the numbers
// (160 KB without it).
func TestOversizedDotEnvIsNotReadIntoMemory(t *testing.T) {
	const size = 100 << 20
	work := t.TempDir()
	sparseFile(t, filepath.Join(work, ".env"), size)
	a, _, errOut := testApp(anaEnv(), work)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	code := a.execute(context.Background(), []string{"authdoctor", "check"})
	runtime.ReadMemStats(&after)
	if code != exitUsage || !strings.Contains(errOut.String(), "larger than 1 MiB") {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > size/4 {
		t.Fatalf("refusing a 100 MB .env allocated %d bytes", alloc)
	}
}

// The limit is 1 MiB exactly: a .env of 1 MiB is read, one byte more is not.
func TestDotEnvSizeLimitBoundary(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	for _, tt := range []struct {
		size int
		code int
	}{{maxDotEnvSize, exitOK}, {maxDotEnvSize + 1, exitUsage}} {
		work := t.TempDir()
		content := dotEnvOfSize(t, "KEYCLOAK_URL="+srv.keycloakURL()+"\n", tt.size)
		if err := os.WriteFile(filepath.Join(work, ".env"), content, 0o600); err != nil {
			t.Fatal(err)
		}
		env := anaEnv()
		a, out, errOut := testApp(env, work)
		if code := runReturns(t, context.Background(), a, "check", "-o", "short"); code != tt.code {
			t.Fatalf("a .env of %d bytes: exit %d, want %d\n%s%s", tt.size, code, tt.code, out, errOut)
		}
	}
}

// dotEnvOfSize pads vars with comment lines to exactly size bytes.
func dotEnvOfSize(t testing.TB, vars string, size int) []byte {
	t.Helper()
	b := []byte(vars)
	line := "# " + strings.Repeat("x", 77) + "\n"
	for len(b)+len(line) <= size {
		b = append(b, line...)
	}
	if rest := size - len(b); rest > 0 {
		b = append(b, "#"+strings.Repeat("y", rest-1)...)
	}
	if len(b) != size {
		t.Fatalf("padding: %d bytes, want %d", len(b), size)
	}
	return b
}

// BenchmarkDotEnvSize reports the memory a run takes to read the largest
// .env allowed, and to refuse a 100 MB one (B/op, allocs/op).
func BenchmarkDotEnvSize(b *testing.B) {
	for _, size := range []int{maxDotEnvSize, 100 << 20} {
		b.Run(fmt.Sprintf("%dMiB", size>>20), func(b *testing.B) {
			work := b.TempDir()
			chunk := dotEnvOfSize(b, "", 1<<20)
			f, err := os.Create(filepath.Join(work, ".env"))
			if err != nil {
				b.Fatal(err)
			}
			for range size >> 20 {
				if _, err := f.Write(chunk); err != nil {
					b.Fatal(err)
				}
			}
			if err := f.Close(); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				a, _, _ := testApp(nil, work)
				// No KEYCLOAK_URL: exit 2 once the .env is read (or refused).
				if code := a.execute(context.Background(), []string{"authdoctor", "check"}); code != exitUsage {
					b.Fatalf("exit %d", code)
				}
			}
		})
	}
}
