package config

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"
)

// The validators one by one, at the bounds mutation testing found unpinned
// (docs/mutation-testing.md): each case fails on one moved bound or negated
// condition.

func TestShown(t *testing.T) {
	long := strings.Repeat("é", maxShown)
	for in, want := range map[string]string{
		"https://sso.example.com":           `"https://sso.example.com"`,
		"HTTPS://sso.example.com":           `"HTTPS://sso.example.com"`, // as the user wrote it, not re-spelled by url.URL
		"https://alice:hunter2@sso.example": `"https://alice:xxxxx@sso.example"`,
		"https://alice:hunter2@sso/%zz":     `"https://alice:xxxxx@sso/%zz"`, // not parseable: masked by hand
		"https://alice@sso/%zz":             `"https://alice@sso/%zz"`,       // no password to mask
		"alice:hunter2@sso.example/%zz":     `"alice:hunter2@sso.example/%zz"`,
		long:                                `"` + long + `"`,
		long + "x":                          `"` + long + `…"`,
	} {
		if got := shown(in); got != want {
			t.Errorf("shown(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestParseBaseURLPorts(t *testing.T) {
	for raw, ok := range map[string]bool{
		"http://127.0.0.1:0":     false,
		"http://127.0.0.1:1":     true,
		"http://127.0.0.1:65535": true,
		"http://127.0.0.1:65536": false,
		"http://127.0.0.1":       true,
	} {
		got, err := parseBaseURL("KEYCLOAK_URL", raw, true)
		if (err == nil) != ok {
			t.Errorf("%s: accepted %v (%v)", raw, err == nil, err)
		}
		if ok && got != raw {
			t.Errorf("%s: gave %s", raw, got)
		}
	}
}

func TestValidRoles(t *testing.T) {
	for role, ok := range map[string]bool{
		"admin":           true,
		"portal:uploader": true,
		"":                false,
		":uploader":       false,
		"portal:":         false,
		"ad\x01min":       false,
	} {
		if _, err := validRoles("--require-role", []string{role}); (err == nil) != ok {
			t.Errorf("%q: accepted %v", role, err == nil)
		}
	}
}

func TestValidHasuraRole(t *testing.T) {
	for role, ok := range map[string]bool{
		"user":       true,
		"~admin_1":   true, // the last ASCII character that is no control
		"us er":      false,
		"us\x7fer":   false,
		"rôle":       false,
		"role\u0080": false,
	} {
		if err := validHasuraRole("--hasura-role", role); (err == nil) != ok {
			t.Errorf("%q: accepted %v", role, err == nil)
		}
	}
}

// --timeout must be positive: 0 is refused, 1ns is accepted.
func TestLoadTimeoutBounds(t *testing.T) {
	env := map[string]string{"KEYCLOAK_URL": "https://sso.example.com", "TENANT_ID": "t", "CLIENT_ID": "c"}
	for timeout, ok := range map[string]bool{"0s": false, "-1s": false, "1ns": true, "2m": true} {
		c, err := load(t, map[string][]string{"timeout": {timeout}}, env, nil)
		if (err == nil) != ok {
			t.Errorf("--timeout %s: accepted %v (%v)", timeout, err == nil, err)
		}
		if ok && c.Timeout <= 0 {
			t.Errorf("--timeout %s: %v", timeout, c.Timeout)
		}
	}
}

// The realm comes from --realm, or from the tenant id: the report says which.
func TestRealmFromTenant(t *testing.T) {
	env := map[string]string{"KEYCLOAK_URL": "https://sso.example.com", "TENANT_ID": "t", "CLIENT_ID": "c"}
	c, err := load(t, nil, env, nil)
	if err != nil || c.Realm != "tenant-t" || !c.RealmFromTenant {
		t.Fatalf("tenant: %+v %v", c, err)
	}
	c, err = load(t, map[string][]string{"realm": {"acme"}}, env, nil)
	if err != nil || c.Realm != "acme" || c.RealmFromTenant {
		t.Fatalf("--realm: %+v %v", c, err)
	}
}

// Timeout is --timeout before validation: the default when it is missing,
// not a duration, or not positive.
func TestTimeoutBeforeValidation(t *testing.T) {
	for env, want := range map[string]time.Duration{
		"":     30 * time.Second,
		"5s":   5 * time.Second,
		"1ns":  time.Nanosecond,
		"0s":   30 * time.Second,
		"-5s":  30 * time.Second,
		"soon": 30 * time.Second,
	} {
		src := Sources{Flag: func(string) ([]string, bool) { return nil, false }, Env: map[string]string{}}
		if env != "" {
			src.Env["AUTHDOCTOR_TIMEOUT"] = env
		}
		if got := Timeout(src); got != want {
			t.Errorf("AUTHDOCTOR_TIMEOUT=%q: Timeout = %v, want %v", env, got, want)
		}
	}
}

func TestLoadCAFile(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "authdoctor test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	files := map[string][]byte{"ca.pem": certPEM, "empty.pem": []byte("not a certificate\n")}
	read := func(path string) ([]byte, error) {
		if b, ok := files[path]; ok {
			return b, nil
		}
		return nil, &os.PathError{Op: "open", Path: path, Err: os.ErrNotExist}
	}
	pool, err := loadCAFile("--ca-file", "ca.pem", read)
	if err != nil || pool == nil {
		t.Fatalf("a PEM certificate: %v", err)
	}
	if _, err := loadCAFile("--ca-file", "empty.pem", read); err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Errorf("no certificate: %v", err)
	}
	// The reader's own "open missing.pem:" is not repeated after the path.
	_, err = loadCAFile("--ca-file", "missing.pem", read)
	if err == nil || err.Error() != "--ca-file missing.pem: "+os.ErrNotExist.Error() {
		t.Errorf("missing file: %v", err)
	}
}
