package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// testMatrix is a run over six tenants: three healthy, two whose users
// lack a role, one whose realm is missing, one with a hostile tenant name
// and message (control characters, Markdown, XML).
func testMatrix() Matrix {
	withRealm := func(realm string, checks ...CheckResult) Report {
		r := baseReport()
		r.Target.Realm = realm
		r.Checks = checks
		r.Summary = Count(checks)
		if r.Summary.Failed > 0 {
			r.ExitCode = 1
		}
		return r
	}
	healthy := func(realm string) Report {
		return withRealm(realm, tlsPass(), realmPass("https://sso.example.com"), credentialsPass(), refreshPass())
	}
	missingRole := func(realm string) Report {
		c := credentialsPass()
		c.ID, c.Title, c.Status, c.Code, c.Message = "refresh", "Refresh", Fail, "MISSING_ROLE", "the access token lacks realm role admin-user"
		c.Doc = &CodeDoc{Code: "MISSING_ROLE", URL: docPage("MISSING_ROLE")}
		return withRealm(realm, tlsPass(), realmPass("https://sso.example.com"), credentialsPass(), c)
	}
	notFound := withRealm("tenant-gone", tlsPass(),
		CheckResult{ID: "realm", Title: "Realm", Status: Fail, Code: "REALM_NOT_FOUND", Message: "Keycloak answered 404 Realm does not exist",
			Doc: &CodeDoc{Code: "REALM_NOT_FOUND", URL: docPage("REALM_NOT_FOUND")}, Duration: 40 * time.Millisecond},
		skippedAfterCredentials("credentials", "Credentials"), skippedAfterCredentials("refresh", "Refresh"))
	hostile := withRealm("tenant-x", tlsPass(), realmPass("https://sso.example.com"),
		CheckResult{ID: "credentials", Title: "Credentials", Status: Warn, Code: "TLS_EXPIRING_SOON", Message: "</failure><x>|**bold**](x)\x1b[31m", Doc: &CodeDoc{Code: "TLS_EXPIRING_SOON", URL: docPage("TLS_EXPIRING_SOON")}},
		refreshPass())
	m := Matrix{
		Tool:        Tool{Name: "authdoctor", Version: "0.4.0"},
		KeycloakURL: "https://sso.example.com",
		Checks:      []string{"tls", "realm", "credentials", "refresh"},
		Parallel:    16,
		Time:        time.Date(2025, 3, 14, 9, 30, 12, 0, time.UTC),
		Duration:    2500 * time.Millisecond,
		Tenants: []TenantReport{
			{Tenant: "acme", Line: 1, Report: healthy("tenant-acme")},
			{Tenant: "globex", Line: 2, Report: missingRole("tenant-globex")},
			{Tenant: "gone", Line: 3, Report: notFound},
			{Tenant: "initech", Line: 5, Report: healthy("tenant-initech")},
			{Tenant: "umbrella", Line: 6, Report: missingRole("tenant-umbrella")},
			{Tenant: "x|`<y>`\x07", Line: 7, Report: hostile},
		},
	}
	m.SetExitCode()
	return m
}

func TestMatrixGolden(t *testing.T) {
	variants := []goldenVariant{
		{"table", FormatTable, Options{}},
		{"table-color", FormatTable, Options{Color: true}},
		{"json", FormatJSON, Options{}},
		{"markdown", FormatMarkdown, Options{}},
		{"junit", FormatJUnit, Options{}},
		{"short", FormatShort, Options{}},
	}
	for _, v := range variants {
		t.Run(v.suffix, func(t *testing.T) {
			var b bytes.Buffer
			if err := RenderMatrix(&b, v.format, testMatrix(), v.opts); err != nil {
				t.Fatal(err)
			}
			got := b.Bytes()
			path := filepath.Join("testdata", "matrix_"+v.suffix+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./report/ -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (go test ./report/ -update rewrites it)\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
			}
			if strings.Contains(string(got), "\x07") || (v.suffix != "table-color" && strings.Contains(string(got), "\x1b")) {
				t.Error("a control character reached the output")
			}
			switch v.format {
			case FormatJSON:
				if !json.Valid(got) {
					t.Error("invalid JSON")
				}
			case FormatJUnit:
				if err := xml.Unmarshal(got, new(struct{})); err != nil {
					t.Errorf("invalid XML: %v", err)
				}
			}
		})
	}
}

func TestMatrixGroupsAndExit(t *testing.T) {
	m := testMatrix()
	var titles []string
	for _, g := range m.Groups() {
		titles = append(titles, groupTitle(g))
	}
	want := []string{"2 tenants: MISSING_ROLE (refresh, fail)", "1 tenant: REALM_NOT_FOUND (realm, fail)", "1 tenant: TLS_EXPIRING_SOON (credentials, warn)", "2 tenants: no problem"}
	if fmt.Sprint(titles) != fmt.Sprint(want) {
		t.Errorf("groups %q, want %q", titles, want)
	}
	if m.ExitCode != 1 {
		t.Errorf("exit %d, want 1", m.ExitCode)
	}
	if s := m.Summary(); s != (MatrixSummary{Tenants: 6, Passed: 2, Warned: 1, Failed: 3}) {
		t.Errorf("summary %+v", s)
	}
	healthy := Matrix{Tenants: m.Tenants[:1]}
	healthy.SetExitCode()
	if healthy.ExitCode != 0 {
		t.Errorf("healthy exit %d", healthy.ExitCode)
	}
}

func TestMatrixLiveLine(t *testing.T) {
	var b bytes.Buffer
	ticks := make(chan time.Time)
	l := newMatrixLive(&b, 3, false, ticks, func() {})
	l.Start()
	l.Start()
	l.Done(testMatrix().Tenants[2].Report)
	ticks <- time.Now()
	l.Stop()
	if !strings.Contains(b.String(), "1/3 tenants · 0 ok · 0 warn · 1 fail · 1 running") || !strings.HasSuffix(b.String(), "\x1b[J\r") {
		t.Errorf("live line %q", b.String())
	}
}

// The matrix JSON golden follows docs/tenants.schema.json.
func TestMatrixSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	f, err := os.Open(filepath.Join("..", "docs", "tenants.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	const id = schemaBase + "tenants.schema.json"
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := RenderMatrix(&b, FormatJSON, testMatrix(), Options{}); err != nil {
		t.Fatal(err)
	}
	if err := validateJSON(t, s, b.Bytes()); err != nil {
		t.Errorf("the matrix JSON does not follow docs/tenants.schema.json:\n%v", err)
	}
}
