package realkc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

const (
	// readyTimeout bounds one start, the first (augmenting) one included:
	// about 70 s on an idle 2-core machine.
	readyTimeout = 5 * time.Minute
	// stopGrace is how long Keycloak gets to shut down on SIGTERM (about
	// 2 s measured) before the whole process group is killed.
	stopGrace = 20 * time.Second
)

// httpClient talks to the server once it is up; an import of the four
// sandbox realms takes seconds, so a minute is generous.
var httpClient = &http.Client{Timeout: time.Minute}

// importClient waits longer: importing one realm took over a minute on a
// 2-core machine at load average 24 (measured), and a timed-out import
// still completes on the server, so a retry would only meet 409.
var importClient = &http.Client{Timeout: 5 * time.Minute}

// Server is one running Keycloak.
type Server struct {
	BaseURL       string // http://127.0.0.1:<port>, no trailing slash
	Version       string
	AdminUser     string // master-realm admin
	AdminPassword string
	Timings       Timings

	home    string // this run's home directory, removed by Stop ("" while preparing)
	logPath string
	proc    *process

	mu       sync.Mutex
	imported map[string]bool // realm names
	stopped  bool
}

// Start gets version into the cache if needed and starts a server of it
// with its own database. The caller must Stop it.
func Start(ctx context.Context, version string) (*Server, error) {
	if !supported {
		return nil, errUnavailable{errUnsupported}
	}
	cache, err := CacheDir(os.Getenv)
	if err != nil {
		return nil, errUnavailable{err}
	}
	var tm Timings
	dist, err := ensureDist(ctx, cache, version, &tm)
	if err != nil {
		return nil, err
	}
	home, err := newRunHome(dist)
	if err != nil {
		return nil, err
	}
	liveMu.Lock()
	startingHomes[home] = true // removed by an interrupt while starting
	liveMu.Unlock()
	defer func() {
		liveMu.Lock()
		delete(startingHomes, home)
		liveMu.Unlock()
	}()
	start := time.Now()
	srv, err := launch(ctx, home, version)
	if err != nil {
		os.RemoveAll(home)
		return nil, err
	}
	tm.Start = time.Since(start)
	srv.Timings = tm
	return srv, nil
}

// newRunHome makes a Keycloak home directory for one run: its own copy of
// bin/kc.sh (kc.sh takes the home directory from its own resolved path),
// the distribution's lib, conf, providers and themes by symbolic link, and
// a copy of the prepared data/ (the dev-file H2 database,
// data/h2/keycloakdb), so runs never share a database.
func newRunHome(dist string) (string, error) {
	removeStaleHomes()
	home, err := os.MkdirTemp("", runHomePrefix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return "", err
	}
	fail := func(err error) (string, error) {
		os.RemoveAll(home)
		return "", err
	}
	if err := os.Mkdir(filepath.Join(home, "bin"), 0o755); err != nil {
		return fail(err)
	}
	script, err := os.ReadFile(filepath.Join(dist, "bin", "kc.sh"))
	if err != nil {
		return fail(err)
	}
	if err := os.WriteFile(filepath.Join(home, "bin", "kc.sh"), script, 0o755); err != nil {
		return fail(err)
	}
	for _, shared := range []string{"lib", "conf", "providers", "themes"} {
		if err := os.Symlink(filepath.Join(dist, shared), filepath.Join(home, shared)); err != nil {
			return fail(err)
		}
	}
	if err := copyDir(filepath.Join(dist, "data"), filepath.Join(home, "data")); err != nil {
		return fail(err)
	}
	return home, nil
}

// runHomePrefix starts the name of a run directory, followed by the pid of
// the test binary that made it.
const runHomePrefix = "authdoctor-keycloak-"

// removeStaleHomes removes the run directories of test binaries that no
// longer run (killed before StopAll; their Keycloak got the parent-death
// signal, see sysProcAttr).
func removeStaleHomes() {
	homes, _ := filepath.Glob(filepath.Join(os.TempDir(), runHomePrefix+"*-*"))
	for _, home := range homes {
		pidText, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(home), runHomePrefix), "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid <= 0 || pid == os.Getpid() {
			continue
		}
		if processGone(pid) {
			_ = os.RemoveAll(home)
		}
	}
}

// launch runs home/bin/kc.sh start-dev on free loopback ports and waits
// until the server answers.
func launch(ctx context.Context, home, version string) (*Server, error) {
	ports, err := freePorts(2)
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(home, "keycloak.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // the child has its own descriptor
	cmd := exec.Command(filepath.Join(home, "bin", "kc.sh"), startArgs(version, ports[0], ports[1])...)
	cmd.Dir = home
	cmd.Env = childEnv(os.Environ(), version, adminUser, adminPassword)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = sysProcAttr()
	proc, err := startProcess(cmd)
	if err != nil {
		return nil, fmt.Errorf("starting %s: %w", cmd.Path, err)
	}
	srv := &Server{
		BaseURL: fmt.Sprintf("http://127.0.0.1:%d", ports[0]), Version: version,
		AdminUser: adminUser, AdminPassword: adminPassword,
		home: home, logPath: logPath, proc: proc, imported: map[string]bool{},
	}
	if err := srv.waitReady(ctx); err != nil {
		_ = proc.stop(stopGrace)
		return nil, fmt.Errorf("keycloak %s did not come up: %w; last log lines: %s", version, err, srv.logTail(8))
	}
	return srv, nil
}

// waitReady polls GET /realms/master (the realm's public info: 200 once
// the server serves requests) until it answers or the process exits.
func (s *Server) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	client := &http.Client{Timeout: 5 * time.Second}
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.BaseURL+"/realms/master", nil)
		if res, err := client.Do(req); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-s.proc.done:
			return fmt.Errorf("kc.sh exited (%v)", s.proc.err)
		case <-ctx.Done():
			return fmt.Errorf("no answer within %s", readyTimeout)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// Stop ends the server and removes its run directory. Safe to call twice.
func (s *Server) Stop() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return nil
	}
	s.stopped = true
	err := s.proc.stop(stopGrace)
	if s.home != "" {
		if rmErr := os.RemoveAll(s.home); err == nil {
			err = rmErr
		}
	}
	return err
}

// logTail is the end of the server's log, for failure messages.
func (s *Server) logTail(n int) string {
	raw, err := os.ReadFile(s.logPath)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	return lastLines(string(raw), n)
}

// AdminToken is a fresh master-realm access token of the admin (admin-cli,
// password grant).
func (s *Server) AdminToken() (string, error) {
	return s.PasswordToken("master", "admin-cli", s.AdminUser, s.AdminPassword)
}

// PasswordToken runs the password grant and returns the access token.
func (s *Server) PasswordToken(realm, clientID, username, password string) (string, error) {
	form := url.Values{"grant_type": {"password"}, "client_id": {clientID}, "username": {username}, "password": {password}}
	res, err := httpClient.PostForm(s.BaseURL+"/realms/"+url.PathEscape(realm)+"/protocol/openid-connect/token", form)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if res.StatusCode != http.StatusOK || json.Unmarshal(body, &tok) != nil || tok.AccessToken == "" {
		return "", fmt.Errorf("token for %s in %s: %d %s", username, realm, res.StatusCode, body)
	}
	return tok.AccessToken, nil
}

// ImportRealms creates each realm export that this server does not hold
// yet, through the admin REST API (POST /admin/realms, Keycloak's
// RealmsAdminResource.importRealm). Keys starting with "_comment" are
// removed first: Keycloak rejects unknown properties (400 "unable to read
// contents from stream").
func (s *Server) ImportRealms(docs ...[]byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	start := time.Now()
	defer func() { s.Timings.Import += time.Since(start) }()
	for _, doc := range docs {
		clean, name, err := StripComments(doc)
		if err != nil {
			return err
		}
		if s.imported[name] {
			continue
		}
		// A fresh token per realm: the master realm's access tokens live
		// 60 s (accessTokenLifespan), and on a busy 2-core machine one
		// import can take longer than that (401 on the next one).
		token, err := s.AdminToken()
		if err != nil {
			return err
		}
		req, _ := http.NewRequest(http.MethodPost, s.BaseURL+"/admin/realms", bytes.NewReader(clean))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		res, err := importClient.Do(req)
		if err != nil {
			return err
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusCreated {
			return fmt.Errorf("importing realm %s: %d %s; server log: %s", name, res.StatusCode, body, s.logTail(3))
		}
		s.imported[name] = true
	}
	return nil
}

// StripComments removes every object key starting with "_comment" from a
// realm export and returns it with its realm name.
func StripComments(doc []byte) ([]byte, string, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, "", fmt.Errorf("realm export: %w", err)
	}
	var strip func(any) any
	strip = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			for k, child := range v {
				if strings.HasPrefix(k, "_comment") {
					delete(v, k)
				} else {
					v[k] = strip(child)
				}
			}
		case []any:
			for i := range v {
				v[i] = strip(v[i])
			}
		}
		return v
	}
	top, ok := strip(v).(map[string]any)
	name, _ := top["realm"].(string)
	if !ok || name == "" {
		return nil, "", errors.New("realm export without a \"realm\" name")
	}
	out, err := json.Marshal(top)
	return out, name, err
}

// freePorts asks the kernel for n free loopback ports. They are released
// before Keycloak binds them; another process taking one in between makes
// the start fail loudly, not silently.
func freePorts(n int) ([]int, error) {
	var ports []int
	var listeners []net.Listener
	defer func() {
		for _, l := range listeners {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		listeners = append(listeners, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// live holds every process started and not yet exited, servers still
// starting included, so an interrupt can stop them all (stopLive).
var (
	liveMu        sync.Mutex
	live          = map[*process]bool{}
	startingHomes = map[string]bool{} // run directories of servers still starting
)

// stopLive stops every live process and removes the run directories of
// servers that were still starting.
func stopLive() {
	defer func() {
		liveMu.Lock()
		for home := range startingHomes {
			_ = os.RemoveAll(home)
		}
		liveMu.Unlock()
	}()
	liveMu.Lock()
	procs := make([]*process, 0, len(live))
	for p := range live {
		procs = append(procs, p)
	}
	liveMu.Unlock()
	var wg sync.WaitGroup
	for _, p := range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = p.stop(stopGrace)
		}()
	}
	wg.Wait()
}

// process is kc.sh (and the java it starts) in its own process group,
// watched by a watchdog (startWatchdog) that ends the group if this test
// binary ends without stopping it.
type process struct {
	cmd  *exec.Cmd
	done chan struct{} // closed when kc.sh has exited
	err  error         // its exit status, valid after done

	watchdog *exec.Cmd
	lifeline *os.File // the write end of the watchdog's pipe, held only here
}

// startProcess forks cmd from a goroutine locked to its OS thread, which
// stays alive until the process ends: Linux delivers Pdeathsig when the
// forking thread exits, and Go may otherwise retire that thread at any
// time, killing Keycloak mid-test.
func startProcess(cmd *exec.Cmd) (*process, error) {
	p := &process{cmd: cmd, done: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with this goroutine
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		wd, lifeline, err := startWatchdog(cmd.Process.Pid)
		if err != nil {
			_ = killGroup(cmd.Process.Pid, syscall.SIGKILL)
			_ = cmd.Wait()
			started <- fmt.Errorf("starting the watchdog of %s: %w", cmd.Path, err)
			return
		}
		p.watchdog, p.lifeline = wd, lifeline
		liveMu.Lock()
		live[p] = true
		liveMu.Unlock()
		started <- nil
		p.err = cmd.Wait()
		liveMu.Lock()
		delete(live, p)
		liveMu.Unlock()
		close(p.done)
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return p, nil
}

// stop sends SIGTERM to the process group (kc.sh forwards it to java,
// which shuts down cleanly), waits up to grace, then kills the group.
func (p *process) stop(grace time.Duration) error {
	pgid := p.cmd.Process.Pid
	_ = killGroup(pgid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = killGroup(pgid, syscall.SIGKILL)
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			return fmt.Errorf("keycloak process group %d did not exit after SIGKILL", pgid)
		}
	}
	// kc.sh waits for java, but kill whatever might be left of the group.
	err := killGroup(pgid, syscall.SIGKILL)
	// The group is gone: the watchdog has nothing left to do.
	if p.watchdog != nil {
		_ = p.watchdog.Process.Kill()
		_ = p.lifeline.Close()
	}
	return err
}
