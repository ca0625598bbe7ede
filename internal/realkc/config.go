// Package realkc runs a real Keycloak server for tests: it fetches the
// Keycloak distribution with Maven, starts `kc.sh start-dev` on loopback,
// imports realm exports through the admin REST API and stops the server
// without leaving a process behind.
//
// A test binary shares one server per Keycloak version:
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		realkc.StopAll()
//		os.Exit(code)
//	}
//
//	func TestSomething(t *testing.T) {
//		srv := realkc.Shared(t, realmJSON...) // skips or fails per AUTHDOCTOR_REAL_KEYCLOAK
//		_ = srv.BaseURL
//	}
//
// Environment:
//   - AUTHDOCTOR_REAL_KEYCLOAK: "off" skips; "" runs when Keycloak can be had
//     (java and mvn on PATH and the fetch works), else skips with one line
//     saying why; "require" (CI) turns any failure to fetch or start into a
//     test failure.
//   - AUTHDOCTOR_KEYCLOAK_VERSIONS: comma-separated versions (default
//     DefaultVersion); Shared uses the first, All every one.
//   - AUTHDOCTOR_KEYCLOAK_CACHE: where distributions are kept (default
//     $XDG_CACHE_HOME/authdoctor/keycloak or ~/.cache/authdoctor/keycloak).
//
// The package must not import fixtures (fixtures' tests import it), so realm
// exports come in as JSON documents.
package realkc

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// Environment variables read by this package.
const (
	EnvSwitch   = "AUTHDOCTOR_REAL_KEYCLOAK"
	EnvVersions = "AUTHDOCTOR_KEYCLOAK_VERSIONS"
	EnvCache    = "AUTHDOCTOR_KEYCLOAK_CACHE"
)

// DefaultVersion is the Keycloak release used when EnvVersions is empty.
const DefaultVersion = "26.7.3"

// HowToRun is the command that makes the real-server tests mandatory.
const HowToRun = EnvSwitch + "=require go test ./..."

// Mode is the value of EnvSwitch.
type Mode int

const (
	ModeAuto    Mode = iota // "": run when Keycloak can be had, else skip
	ModeOff                 // "off": always skip
	ModeRequire             // "require": failing to fetch or start fails the test
)

func (m Mode) String() string {
	return [...]string{"auto", "off", "require"}[m]
}

// ParseMode reads EnvSwitch's value.
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return ModeAuto, nil
	case "off", "0", "false", "no":
		return ModeOff, nil
	case "require", "required", "1", "true", "yes":
		return ModeRequire, nil
	}
	return ModeAuto, fmt.Errorf("%s=%q: want off, require or empty", EnvSwitch, s)
}

var versionPattern = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+(\.[A-Za-z0-9-]+)?$`)

// ParseVersions reads EnvVersions' value: comma-separated Keycloak
// releases such as "26.7.3,24.0.5". Empty means DefaultVersion. Duplicates
// are dropped, order is kept.
func ParseVersions(s string) ([]string, error) {
	var versions []string
	seen := map[string]bool{}
	for _, v := range strings.Split(s, ",") {
		v = strings.TrimSpace(v)
		if v == "" || seen[v] {
			continue
		}
		if !versionPattern.MatchString(v) {
			return nil, fmt.Errorf("%s: %q is not a Keycloak release like %s", EnvVersions, v, DefaultVersion)
		}
		seen[v] = true
		versions = append(versions, v)
	}
	if len(versions) == 0 {
		return []string{DefaultVersion}, nil
	}
	return versions, nil
}

// errUnsupported: kc.sh is a POSIX shell script.
var errUnsupported = errors.New("real Keycloak runs only on Unix-like systems (kc.sh)")

// major is the first number of a version ("26.7.3" → 26).
func major(version string) int {
	n, _ := strconv.Atoi(strings.SplitN(version, ".", 2)[0])
	return n
}

// CacheDir is where distributions are fetched and unpacked, outside any
// work tree. getenv is os.Getenv in real use.
func CacheDir(getenv func(string) string) (string, error) {
	if dir := getenv(EnvCache); dir != "" {
		return filepath.Abs(dir)
	}
	if dir := getenv("XDG_CACHE_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "authdoctor", "keycloak"), nil
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".cache", "authdoctor", "keycloak"), nil
	}
	return "", errors.New("no cache directory: set " + EnvCache + " or HOME")
}

// distZip and distDir are a version's files in the cache.
func distZip(cache, version string) string {
	return filepath.Join(cache, "keycloak-quarkus-dist-"+version+".zip")
}

func distDir(cache, version string) string {
	return filepath.Join(cache, "keycloak-"+version)
}

// adminEnv is the bootstrap admin's environment: KC_BOOTSTRAP_ADMIN_* from
// 26 on, KEYCLOAK_ADMIN* before (Keycloak's "Creating the initial admin
// user" in docs/guides/server/configuration.adoc, and the 26.0 upgrade
// notes).
func adminEnv(version, user, password string) []string {
	if major(version) >= 26 {
		return []string{"KC_BOOTSTRAP_ADMIN_USERNAME=" + user, "KC_BOOTSTRAP_ADMIN_PASSWORD=" + password}
	}
	return []string{"KEYCLOAK_ADMIN=" + user, "KEYCLOAK_ADMIN_PASSWORD=" + password}
}

// startArgs are kc.sh's arguments. The management interface (health,
// metrics) has its own port from 25 on (docs/guides/server/management-interface.adoc);
// giving it a free port keeps two servers from fighting over 9000.
func startArgs(version string, httpPort, managementPort int) []string {
	args := []string{"start-dev", "--http-host=127.0.0.1", "--http-port=" + strconv.Itoa(httpPort)}
	if major(version) >= 25 {
		args = append(args, "--http-management-port="+strconv.Itoa(managementPort))
	}
	return args
}

// childEnv is the environment for kc.sh: ours, minus any KC_* / KEYCLOAK_*
// setting that would change the server under test, plus the admin.
func childEnv(environ []string, version, user, password string) []string {
	var env []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "KC_") || strings.HasPrefix(name, "KEYCLOAK_") || name == "QUARKUS_PROFILE" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, adminEnv(version, user, password)...)
}
