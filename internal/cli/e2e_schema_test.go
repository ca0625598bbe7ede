package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/fixtures"
)

// The published schemas (docs/*.schema.json), by their $id.
const (
	schemaBase   = "https://raw.githubusercontent.com/authdoctor/authdoctor/main/docs/"
	reportSchema = schemaBase + "report.schema.json"
	eventsSchema = schemaBase + "events.schema.json"
)

// compileSchema compiles a published schema, formats asserted.
func compileSchema(t *testing.T, id string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for _, name := range []string{"report.schema.json", "events.schema.json", "tenants.schema.json"} {
		f, err := os.Open(filepath.Join("..", "..", "docs", name))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatalf("docs/%s: %v", name, err)
		}
		if err := c.AddResource(schemaBase+name, doc); err != nil {
			t.Fatal(err)
		}
	}
	s, err := c.Compile(id)
	if err != nil {
		t.Fatalf("%s: %v", id, err)
	}
	return s
}

func assertSchema(t *testing.T, s *jsonschema.Schema, doc string) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("not JSON: %v\n%s", err, doc)
	}
	if err := s.Validate(inst); err != nil {
		t.Fatalf("the document does not follow its schema:\n%v\n%s", err, doc)
	}
}

// Every sandbox scenario's JSON report, through the CLI, follows
// docs/report.schema.json, and each coded check links to its code's page.
func TestScenarioReportsFollowTheSchema(t *testing.T) {
	s := compileSchema(t, reportSchema)
	servers := map[fixtures.Options]*sandbox{}
	server := func(opts fixtures.Options) *sandbox { // one per profile and clocks, for the whole test
		if servers[opts] == nil {
			servers[opts] = startSandbox(t, opts)
		}
		return servers[opts]
	}
	for _, sc := range fixtures.Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			srv := server(sc.Options())
			if err := sc.SendWrongPasswords(context.Background(), srv.Client(), srv.keycloakURL()); err != nil {
				t.Fatal(err)
			}
			_, run := checkJSON(t, srv.env(sc.Env), sc.Args...)
			assertSchema(t, s, run.stdout)

			var doc struct {
				Checks []struct {
					ID, Code string
					DocURL   string `json:"doc_url"`
				} `json:"checks"`
			}
			if err := json.Unmarshal([]byte(run.stdout), &doc); err != nil {
				t.Fatal(err)
			}
			for _, c := range doc.Checks {
				if c.Code == "" {
					continue
				}
				code, ok := codes.Lookup(c.Code)
				if !ok || c.DocURL != code.DocURL() {
					t.Errorf("%s %s: doc_url %q, want the code's page", c.ID, c.Code, c.DocURL)
				}
			}
		})
	}
}

// `authdoctor events -o json` follows docs/events.schema.json, with events
// and without.
func TestEventsFollowTheSchema(t *testing.T) {
	s := compileSchema(t, eventsSchema)
	srv := startSandbox(t, fixtures.Options{})
	admin, _ := adminArgs(t, scenarioNamed(t, "wrong-password-event"))
	env := srv.env(map[string]string{"TENANT_ID": fixtures.TenantID})
	events := func() string {
		t.Helper()
		run := runCLI(t, env, append([]string{"events", "-o", "json"}, admin...)...)
		if run.code != exitOK {
			t.Fatalf("events: exit %d\n%s", run.code, run.stderr)
		}
		return run.stdout
	}
	assertSchema(t, s, events())
	failLogins(t, srv, passwordForm("admin-portal", "ana", "not-her-password-1"), passwordForm("admin-portal", "anna", anaPassword))
	out := events()
	assertSchema(t, s, out)
	if !strings.Contains(out, `"code": "USER_NOT_FOUND"`) {
		t.Fatalf("the events were not listed:\n%s", out)
	}
}
