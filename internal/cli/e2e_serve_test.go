package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"

	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/internal/iostreams"
)

// serveRun starts `authdoctor serve` through the real CLI entry point on
// 127.0.0.1:0 and returns its address and a stop function that cancels
// the context and returns the exit code.
func serveRun(t *testing.T, env map[string]string, dir string, args ...string) (addr string, stop func() (int, string)) {
	t.Helper()
	var out, errOut bytes.Buffer
	a := newApp(iostreams.Streams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, env, dir)
	a.retryWait = time.Millisecond
	listening := make(chan string, 1)
	a.onListen = func(addr string) { listening <- addr }
	ctx, cancel := context.WithCancel(context.Background())
	exited := make(chan int, 1)
	go func() {
		exited <- a.execute(ctx, append([]string{"authdoctor", "serve", "--listen", "127.0.0.1:0"}, args...))
	}()
	select {
	case addr = <-listening:
	case code := <-exited:
		cancel()
		t.Fatalf("serve exited %d before listening: %s", code, errOut.String())
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("serve did not listen")
	}
	return addr, func() (int, string) {
		cancel()
		select {
		case code := <-exited:
			return code, errOut.String()
		case <-time.After(10 * time.Second):
			t.Fatal("serve did not stop within 10 s of the cancel")
			return -1, ""
		}
	}
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitRounds polls /healthz until n rounds have finished.
func waitRounds(t *testing.T, addr string, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		_, body := httpGet(t, "http://"+addr+"/healthz")
		var got int
		if _, err := fmt.Sscanf(body, "ok: %d rounds", &got); err == nil && got >= n {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("fewer than %d rounds in 30 s", n)
}

func TestServeSingleRun(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	addr, stop := serveRun(t, srv.env(anaEnv()), t.TempDir(), "--interval", "150ms", "--require-role", "admin-user")
	waitRounds(t, addr, 2)
	code, metrics := httpGet(t, "http://"+addr+"/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d", code)
	}
	realm := "tenant-" + fixtures.TenantID
	for _, want := range []string{
		`authdoctor_check_success{check="credentials",tenant="` + realm + `"} 1`,
		`authdoctor_tenant_up{tenant="` + realm + `"} 1`,
		`authdoctor_access_token_lifetime_seconds{tenant="` + realm + `"} 300`,
		`authdoctor_check_duration_seconds_bucket{check="realm",le="+Inf"}`,
		"authdoctor_last_round_timestamp_seconds ",
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	problems, err := promlint.New(strings.NewReader(metrics)).Lint()
	if err != nil || len(problems) > 0 {
		t.Errorf("promlint: %v %+v", err, problems)
	}
	for path, want := range map[string]string{"/report.json": `"kind": "tenants"`, "/report.md": "1 tenant: no problem"} {
		code, body := httpGet(t, "http://"+addr+path)
		if code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("%s: %d %q", path, code, body)
		}
		for _, secret := range append([]string{anaPassword}, srv.issued()...) {
			if strings.Contains(body, secret) || strings.Contains(metrics, secret) {
				t.Errorf("%s or /metrics shows a secret or token", path)
			}
		}
	}
	rounds := countRounds(t, addr)
	exit, stderr := stop()
	if exit != exitOK {
		t.Errorf("exit %d after the cancel, want 0: %s", exit, stderr)
	}
	// One password attempt per round, never more.
	sent := 0
	for _, req := range srv.sb.Requests() {
		if req.SentPassword {
			sent++
		}
	}
	if sent > rounds+1 {
		t.Errorf("%d password attempts in %d rounds", sent, rounds)
	}
}

func countRounds(t *testing.T, addr string) int {
	_, body := httpGet(t, "http://"+addr+"/healthz")
	var n int
	_, _ = fmt.Sscanf(body, "ok: %d rounds", &n)
	return n
}

func TestServeTenants(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{TenantCount: 2})
	env := srv.env(anaEnv())
	delete(env, "TENANT_ID")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tenants.txt"), []byte("0001\n0002\n0003\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	addr, stop := serveRun(t, env, dir, "--interval", "200ms", "--tenants", "tenants.txt")
	waitRounds(t, addr, 1)
	_, metrics := httpGet(t, "http://"+addr+"/metrics")
	for _, want := range []string{
		`authdoctor_tenant_up{tenant="0001"} 1`,
		`authdoctor_tenant_up{tenant="0003"} 0`,
		`authdoctor_last_failure_info{check="realm",code="REALM_NOT_FOUND",tenant="0003"} 1`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s\n%s", want, metrics)
		}
	}
	if _, md := httpGet(t, "http://"+addr+"/report.md"); !strings.Contains(md, "1 tenant: `REALM_NOT_FOUND`") {
		t.Errorf("/report.md: %s", md)
	}
	if exit, stderr := stop(); exit != exitOK {
		t.Errorf("exit %d: %s", exit, stderr)
	}
}

func TestServeBadInput(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--interval", "0s"}, "--interval"},
		{[]string{"--listen", "256.0.0.1:x"}, "--listen"},
		{[]string{"--tenants", "missing.txt"}, "--tenants missing.txt"},
	} {
		r := runCLI(t, srv.env(anaEnv()), append([]string{"serve"}, tt.args...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%v: exit %d %q", tt.args, r.code, r.stderr)
		}
	}
}
