//go:build unix

package realkc

import (
	"archive/zip"
	"bufio"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	if os.Getenv("REALKC_HELPER") == "orphan" {
		orphanHelper()
		return
	}
	code := m.Run()
	StopAll()
	os.Exit(code)
}

func TestParseMode(t *testing.T) {
	for in, want := range map[string]Mode{"": ModeAuto, " auto ": ModeAuto, "off": ModeOff, "OFF": ModeOff, "require": ModeRequire, "1": ModeRequire} {
		if got, err := ParseMode(in); err != nil || got != want {
			t.Errorf("ParseMode(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseMode("sometimes"); err == nil {
		t.Error("ParseMode(sometimes): no error")
	}
}

func TestParseVersions(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", []string{DefaultVersion}},
		{" , ", []string{DefaultVersion}},
		{"26.7.3", []string{"26.7.3"}},
		{"26.7.3, 24.0.5,26.7.3", []string{"26.7.3", "24.0.5"}},
		{"19.0.3", []string{"19.0.3"}},
	}
	for _, tt := range tests {
		if got, err := ParseVersions(tt.in); err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseVersions(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"latest", "26", "26.7.3;rm -rf", "../26.7.3"} {
		if _, err := ParseVersions(bad); err == nil {
			t.Errorf("ParseVersions(%q): no error", bad)
		}
	}
}

func TestCacheDir(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{EnvCache: "/srv/kc", "XDG_CACHE_HOME": "/x", "HOME": "/h"}, "/srv/kc"},
		{map[string]string{"XDG_CACHE_HOME": "/x", "HOME": "/h"}, "/x/authdoctor/keycloak"},
		{map[string]string{"XDG_CACHE_HOME": "relative", "HOME": "/h"}, "/h/.cache/authdoctor/keycloak"},
		{map[string]string{"HOME": "/h"}, "/h/.cache/authdoctor/keycloak"},
	}
	for _, tt := range tests {
		if got, err := CacheDir(env(tt.env)); err != nil || got != tt.want {
			t.Errorf("CacheDir(%v) = %q, %v; want %q", tt.env, got, err, tt.want)
		}
	}
	if _, err := CacheDir(env(nil)); err == nil {
		t.Error("CacheDir with no HOME: no error")
	}
	if got := distZip("/c", "26.7.3"); got != "/c/keycloak-quarkus-dist-26.7.3.zip" {
		t.Errorf("distZip = %s (must be the name mvn dependency:copy writes)", got)
	}
	if got := distDir("/c", "26.7.3"); got != "/c/keycloak-26.7.3" {
		t.Errorf("distDir = %s (must be the zip's top folder)", got)
	}
}

func TestStartArgsAndEnv(t *testing.T) {
	if got := strings.Join(startArgs("26.7.3", 8081, 9001), " "); got != "start-dev --http-host=127.0.0.1 --http-port=8081 --http-management-port=9001" {
		t.Errorf("26.7.3 args: %s", got)
	}
	if got := strings.Join(startArgs("24.0.5", 8081, 9001), " "); strings.Contains(got, "management") {
		t.Errorf("24 has no management interface: %s", got)
	}
	env := childEnv([]string{"PATH=/bin", "KC_DB=postgres", "KEYCLOAK_ADMIN=x", "JAVA_HOME=/j"}, "26.7.3", "a", "p")
	want := []string{"PATH=/bin", "JAVA_HOME=/j", "KC_BOOTSTRAP_ADMIN_USERNAME=a", "KC_BOOTSTRAP_ADMIN_PASSWORD=p"}
	if !reflect.DeepEqual(env, want) {
		t.Errorf("childEnv 26 = %v, want %v", env, want)
	}
	if got := adminEnv("19.0.3", "a", "p"); !reflect.DeepEqual(got, []string{"KEYCLOAK_ADMIN=a", "KEYCLOAK_ADMIN_PASSWORD=p"}) {
		t.Errorf("adminEnv 19 = %v", got)
	}
}

func TestStripComments(t *testing.T) {
	doc := `{"_comment":"x","realm":"r","n":300,"clients":[{"_comment":"y","clientId":"c","_comment_more":1,"attributes":{"a":"1"}}]}`
	out, name, err := StripComments([]byte(doc))
	if err != nil || name != "r" {
		t.Fatalf("StripComments: %q %v", name, err)
	}
	if got := string(out); got != `{"clients":[{"attributes":{"a":"1"},"clientId":"c"}],"n":300,"realm":"r"}` {
		t.Errorf("stripped: %s", got)
	}
	if _, _, err := StripComments([]byte(`{"id":"x"}`)); err == nil {
		t.Error("export without realm name accepted")
	}
}

func TestUnpackIsAtomic(t *testing.T) {
	cache := t.TempDir()
	zipPath := distZip(cache, "1.2.3")
	f, err := os.Create(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	h := &zip.FileHeader{Name: "keycloak-1.2.3/bin/kc.sh"}
	h.SetMode(0o755)
	w, _ := zw.CreateHeader(h)
	w.Write([]byte("#!/bin/sh\n"))
	zw.Close()
	f.Close()
	if err := unpack(zipPath, cache, "1.2.3"); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(distDir(cache, "1.2.3"), "bin", "kc.sh"))
	if err != nil || info.Mode().Perm()&0o100 == 0 {
		t.Fatalf("kc.sh not unpacked executable: %v %v", info, err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(cache, ".unpack-1.2.3-*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary directories left: %v", leftovers)
	}

	// A zip with a path escaping the target is refused.
	bad := filepath.Join(cache, "bad.zip")
	f, _ = os.Create(bad)
	zw = zip.NewWriter(f)
	w, _ = zw.Create("../escape")
	w.Write([]byte("x"))
	zw.Close()
	f.Close()
	if err := unzip(bad, t.TempDir()); err == nil {
		t.Error("unsafe zip path accepted")
	}
}

// TestKilledParentTakesChildren: a test binary killed with SIGKILL (no
// deferred StopAll) must not leave kc.sh's java behind. A helper process
// starts a shell that traps TERM the way bin/kc.sh does and runs a long
// sleep standing in for java; the helper is killed at once (the shell may
// not be waiting yet, and a TERM it gets then can be lost, see
// watchdogScript); the sleep must go all the same.
func TestKilledParentTakesChildren(t *testing.T) {
	if !supported || syscallPdeathsigUnsupported() {
		t.Skip("no parent-death signal on this system")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	helper := exec.Command(exe, "-test.run=^$")
	helper.Env = append(os.Environ(), "REALKC_HELPER=orphan")
	out, err := helper.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		helper.Process.Kill()
		t.Fatalf("helper: %v", err)
	}
	grandchild, _ := strconv.Atoi(strings.TrimSpace(line))
	if grandchild <= 0 {
		t.Fatalf("helper printed %q", line)
	}
	_ = helper.Process.Kill()
	_ = helper.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for alive(grandchild) {
		if time.Now().After(deadline) {
			_ = syscall.Kill(grandchild, syscall.SIGKILL)
			t.Fatalf("process %d outlived its killed grandparent", grandchild)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// orphanHelper starts a kc.sh look-alike through startProcess, prints the
// pid of its "java" once startProcess has returned (its watchdog running)
// and waits to be killed.
func orphanHelper() {
	script := `trap 'kill -TERM $PID; wait $PID' TERM INT; sleep 300 & PID=$!; echo $PID; wait $PID`
	cmd := exec.Command("sh", "-c", script)
	out, err := cmd.StdoutPipe()
	if err != nil {
		os.Exit(3)
	}
	cmd.SysProcAttr = sysProcAttr()
	if _, err := startProcess(cmd); err != nil {
		os.Exit(3)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		os.Exit(3)
	}
	os.Stdout.WriteString(line)
	time.Sleep(time.Minute)
	os.Exit(4)
}

func alive(pid int) bool {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// Field 3 is the state; a zombie (Z) has already exited.
	fields := strings.Fields(string(raw))
	return len(fields) > 2 && fields[2] != "Z"
}

func syscallPdeathsigUnsupported() bool {
	_, err := os.Stat("/proc/self/stat")
	return sysProcAttr() == nil || err != nil
}

// TestRealServer starts the real Keycloak (per AUTHDOCTOR_REAL_KEYCLOAK),
// imports the sandbox's realm exports and logs in, then stops it and
// checks that no process of it is left.
func TestRealServer(t *testing.T) {
	paths, err := filepath.Glob("../../fixtures/realms/*.json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no realm exports: %v", err)
	}
	var realms [][]byte
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		realms = append(realms, raw)
	}
	srv := Shared(t, realms...)
	t.Logf("Keycloak %s: %s", srv.Version, srv.Timings)

	res, err := http.Get(srv.BaseURL + "/realms/tenant-3f6c0b9e-8d1a-4c2e-9b7a-5e2d3c4b1a60")
	if err != nil {
		t.Fatal(err)
	}
	var info struct {
		Realm string `json:"realm"`
	}
	json.NewDecoder(res.Body).Decode(&info)
	res.Body.Close()
	if res.StatusCode != 200 || info.Realm != "tenant-3f6c0b9e-8d1a-4c2e-9b7a-5e2d3c4b1a60" {
		t.Fatalf("realm info: %d %+v", res.StatusCode, info)
	}
	if _, err := srv.PasswordToken(info.Realm, "admin-portal", "ana", "ana-sandbox-Pass-1"); err != nil {
		t.Fatalf("ana cannot log in on the imported realm: %v", err)
	}
	// Importing again is a no-op.
	if err := srv.ImportRealms(realms...); err != nil {
		t.Fatal(err)
	}

	pgid, home, watchdog := srv.proc.cmd.Process.Pid, srv.home, srv.proc.watchdog.Process.Pid
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); alive(watchdog); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Errorf("the watchdog %d still runs after Stop", watchdog)
			break
		}
	}
	if err := syscall.Kill(-pgid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("process group %d still has members after Stop (kill 0: %v)", pgid, err)
	}
	if _, err := os.Stat(home); !os.IsNotExist(err) {
		t.Errorf("run directory %s left behind", home)
	}
}
