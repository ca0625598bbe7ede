package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The published schemas of the JSON documents (docs/), by their $id.
const (
	schemaBase   = "https://raw.githubusercontent.com/authdoctor/authdoctor/main/docs/"
	reportSchema = schemaBase + "report.schema.json"
	eventsSchema = schemaBase + "events.schema.json"
)

// compileSchema compiles one of the published schemas, with formats
// (date-time, uri) asserted rather than only annotated.
func compileSchema(t *testing.T, id string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for _, name := range []string{"report.schema.json", "events.schema.json"} {
		f, err := os.Open(filepath.Join("..", "docs", name))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatalf("docs/%s: %v", name, err)
		}
		if err := c.AddResource(schemaBase+name, doc); err != nil {
			t.Fatalf("docs/%s: %v", name, err)
		}
	}
	s, err := c.Compile(id) // also checks the schema against the 2020-12 meta-schema
	if err != nil {
		t.Fatalf("%s: %v", id, err)
	}
	return s
}

func validateJSON(t *testing.T, s *jsonschema.Schema, doc []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("not JSON: %v\n%s", err, doc)
	}
	return s.Validate(inst)
}

// Every golden JSON report is valid against docs/report.schema.json.
func TestReportSchema(t *testing.T) {
	s := compileSchema(t, reportSchema)
	goldens, err := filepath.Glob(filepath.Join("testdata", "*.json.golden"))
	if err != nil || len(goldens) < len(testRuns()) {
		t.Fatalf("golden JSON reports: %v %v", goldens, err)
	}
	for _, path := range goldens {
		t.Run(filepath.Base(path), func(t *testing.T) {
			doc, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := validateJSON(t, s, doc); err != nil {
				t.Errorf("%s does not follow the schema:\n%v", path, err)
			}
		})
	}
}

// The schema's schema_version is the one the documents carry.
func TestReportSchemaVersion(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "docs", "report.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		ID         string `json:"$id"`
		Properties struct {
			SchemaVersion struct {
				Const *int `json:"const"`
			} `json:"schema_version"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	if c := schema.Properties.SchemaVersion.Const; c == nil || *c != SchemaVersion {
		t.Fatalf("schema_version const in docs/report.schema.json = %v, want %d (report.SchemaVersion)", c, SchemaVersion)
	}
	if schema.ID != reportSchema {
		t.Errorf("$id = %s, want %s", schema.ID, reportSchema)
	}
}

// The schema is not a formality: documents that break the contract are
// rejected.
func TestReportSchemaRejects(t *testing.T) {
	s := compileSchema(t, reportSchema)
	valid := render(t, mixedReport(), FormatJSON, Options{})
	tests := []struct {
		name   string
		change func(doc map[string]any)
	}{
		{"another schema_version", func(d map[string]any) { d["schema_version"] = 1 }},
		{"an undocumented field", func(d map[string]any) { d["extra"] = true }},
		{"a version 1 fix (a string)", func(d map[string]any) { check(d, 0)["fix"] = "1. Remove --insecure." }},
		{"a fix without its steps", func(d map[string]any) { delete(check(d, 0)["fix"].(map[string]any), "steps") }},
		{"a command without its tool", func(d map[string]any) {
			check(d, 0)["fix"].(map[string]any)["commands"] = []any{map[string]any{"command": "kcadm.sh get realms"}}
		}},
		{"an undocumented check field", func(d map[string]any) { check(d, 0)["severity"] = "warn" }},
		{"a status of no kind", func(d map[string]any) { check(d, 0)["status"] = "error" }},
		{"a code without its doc_url", func(d map[string]any) { delete(check(d, 0), "doc_url") }},
		{"a doc_url without a code", func(d map[string]any) { check(d, 1)["doc_url"] = "https://example.com/docs/X.md" }},
		{"a failure without a code", func(d map[string]any) { c := check(d, 3); c["code"] = ""; delete(c, "doc_url") }},
		{"a relative doc_url", func(d map[string]any) { check(d, 0)["doc_url"] = "docs/codes/TLS_VERIFY_DISABLED.md" }},
		{"details that are not an object", func(d map[string]any) { check(d, 1)["details"] = nil }},
		{"a secret's value", func(d map[string]any) { setting(d, "password")["value"] = "hunter2" }},
		{"a setting without its value", func(d map[string]any) { delete(setting(d, "realm"), "value") }},
		{"a local time", func(d map[string]any) { d["environment"].(map[string]any)["time"] = "2025-03-14T10:30:12+01:00" }},
		{"a fractional count", func(d map[string]any) { d["summary"].(map[string]any)["failed"] = 1.5 }},
		{"an unknown grant", func(d map[string]any) { d["target"].(map[string]any)["grant"] = "implicit" }},
		{"an empty events list", func(d map[string]any) { check(d, 0)["events"] = []any{} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc map[string]any
			if err := json.Unmarshal(valid, &doc); err != nil {
				t.Fatal(err)
			}
			tt.change(doc)
			b, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			if err := validateJSON(t, s, b); err == nil {
				t.Errorf("the schema accepts %s", tt.name)
			}
		})
	}
}

func check(doc map[string]any, i int) map[string]any {
	return doc["checks"].([]any)[i].(map[string]any)
}

func setting(doc map[string]any, name string) map[string]any {
	for _, s := range doc["environment"].(map[string]any)["settings"].([]any) {
		if s := s.(map[string]any); s["name"] == name {
			return s
		}
	}
	panic("no setting " + name)
}

// `authdoctor events -o json` follows docs/events.schema.json.
func TestEventsSchema(t *testing.T) {
	s := compileSchema(t, eventsSchema)
	row := EventRow{Event: eventsReport().Checks[2].Events[0], Code: "USER_NOT_FOUND", Explanation: "No such user in this realm"}
	tests := []struct {
		name string
		list EventList
	}{
		{"events", EventList{Realm: "tenant-acme", Since: time.Date(2025, 3, 14, 8, 30, 12, 0, time.UTC), Types: []string{"LOGIN_ERROR"}, Rows: []EventRow{row, {Event: Event{Time: row.Time, Type: "CLIENT_LOGIN_ERROR"}}}}},
		{"none", EventList{Realm: "tenant-acme", Types: []string{"LOGIN_ERROR", "CLIENT_LOGIN_ERROR"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := RenderEvents(&b, FormatJSON, tt.list, time.UTC); err != nil {
				t.Fatal(err)
			}
			if err := validateJSON(t, s, b.Bytes()); err != nil {
				t.Errorf("does not follow the schema:\n%v\n%s", err, b.String())
			}
			if !strings.Contains(b.String(), `"events": [`) {
				t.Errorf("events is not a list:\n%s", b.String())
			}
		})
	}
}
