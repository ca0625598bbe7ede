package realkc

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"testing"
)

// shared servers, one per version per test binary.
var (
	sharedMu      sync.Mutex
	sharedServers = map[string]*sharedEntry{}
	signalOnce    sync.Once
)

// CatchSignals says whether Shared installs the interrupt handler
// (stopOnSignal). A test binary whose own tests send signals to their
// process (internal/cli's signal tests do) sets it to false in TestMain,
// before m.Run: the handler would take such a signal for an interrupt and
// end the binary. Keycloak still goes when that binary is killed: its
// watchdog signals the server's process group (startWatchdog), Linux also
// sends kc.sh the parent-death signal (sysProcAttr), and the next Start
// removes the run directories left behind (removeStaleHomes).
var CatchSignals = true

type sharedEntry struct {
	once sync.Once
	srv  *Server
	err  error
}

// Shared returns this test binary's server of the first version of
// AUTHDOCTOR_KEYCLOAK_VERSIONS, starting it on first use and importing
// any of realms it does not hold yet. Per AUTHDOCTOR_REAL_KEYCLOAK it
// skips the test (off; or empty and Keycloak cannot be had) or fails it
// (require). Call StopAll from TestMain after m.Run.
func Shared(t testing.TB, realms ...[]byte) *Server {
	t.Helper()
	mode, versions := settings(t)
	return sharedServer(t, mode, versions[0], realms)
}

// All is Shared for every version of AUTHDOCTOR_KEYCLOAK_VERSIONS. The
// servers run side by side until StopAll.
func All(t testing.TB, realms ...[]byte) []*Server {
	t.Helper()
	mode, versions := settings(t)
	var servers []*Server
	for _, v := range versions {
		servers = append(servers, sharedServer(t, mode, v, realms))
	}
	return servers
}

// StopAll stops every shared server. Call it from TestMain after m.Run;
// the interrupt handler calls it too.
func StopAll() {
	sharedMu.Lock()
	defer sharedMu.Unlock()
	for _, e := range sharedServers {
		if e.srv != nil {
			_ = e.srv.Stop()
		}
	}
}

func settings(t testing.TB) (Mode, []string) {
	t.Helper()
	mode, err := ParseMode(os.Getenv(EnvSwitch))
	if err != nil {
		t.Fatal(err)
	}
	versions, err := ParseVersions(os.Getenv(EnvVersions))
	if err != nil {
		t.Fatal(err)
	}
	return mode, versions
}

func sharedServer(t testing.TB, mode Mode, version string, realms [][]byte) *Server {
	t.Helper()
	if mode == ModeOff {
		t.Skipf("real Keycloak %s skipped: %s=off", version, EnvSwitch)
	}
	sharedMu.Lock()
	e := sharedServers[version]
	if e == nil {
		e = &sharedEntry{}
		sharedServers[version] = e
	}
	sharedMu.Unlock()
	first := false
	e.once.Do(func() {
		if CatchSignals {
			signalOnce.Do(stopOnSignal)
		}
		e.srv, e.err = Start(context.Background(), version)
		first = true
	})
	if e.err != nil {
		var unavailable errUnavailable
		if mode == ModeAuto && errors.As(e.err, &unavailable) {
			t.Skipf("real Keycloak %s not run: %v; to run it: %s", version, e.err, HowToRun)
		}
		t.Fatalf("real Keycloak %s could not be had (%s=%s, so this fails instead of skipping): %v", version, EnvSwitch, mode, e.err)
	}
	if err := e.srv.ImportRealms(realms...); err != nil {
		t.Fatalf("real Keycloak %s: %v", version, err)
	}
	if first {
		t.Logf("real Keycloak %s at %s (%s)", version, e.srv.BaseURL, e.srv.Timings)
	}
	return e.srv
}

// stopOnSignal stops the servers, those still starting too, when the test
// binary gets SIGINT or SIGTERM, and exits as the signal would have
// (128+n). Exiting explicitly rather than re-raising: a binary started in
// the background by a shell inherits SIGINT ignored, and re-raising would
// then do nothing. (A binary killed outright takes Keycloak down through
// Pdeathsig; see sysProcAttr.)
func stopOnSignal() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-ch
		fmt.Fprintf(os.Stderr, "realkc: %v: stopping Keycloak\n", sig)
		StopAll()
		stopLive()
		code := 130
		if sig == syscall.SIGTERM {
			code = 143
		}
		os.Exit(code)
	}()
}
