package report

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"
)

// TestJSONSchemaV1 decodes the document generically and checks its keys
// against the published field list, so that a change to the Go model can
// never silently change what scripts parse.
func TestJSONSchemaV1(t *testing.T) {
	for _, run := range testRuns() {
		t.Run(run.name, func(t *testing.T) {
			out := render(t, run.report, FormatJSON, Options{})
			if !strings.HasSuffix(string(out), "}\n") || strings.Count(string(out), "\n}\n") != 1 {
				t.Fatalf("not exactly one document with a trailing newline:\n%s", out)
			}
			var doc map[string]any
			if err := json.Unmarshal(out, &doc); err != nil {
				t.Fatal(err)
			}
			wantKeys(t, "document", doc, "schema_version", "tool", "target", "checks", "summary", "exit_code", "environment")
			if doc["schema_version"] != float64(1) {
				t.Errorf("schema_version = %v", doc["schema_version"])
			}
			wantKeys(t, "tool", doc["tool"], "name", "version")
			wantKeys(t, "target", doc["target"], "keycloak_url", "realm", "client_id", "grant", "graphql_url")
			wantKeys(t, "summary", doc["summary"], "passed", "warned", "failed", "skipped")
			if got := doc["exit_code"]; got != float64(run.report.ExitCode) {
				t.Errorf("exit_code = %v, want %d", got, run.report.ExitCode)
			}

			checks, _ := doc["checks"].([]any)
			if len(checks) != len(run.report.Checks) {
				t.Fatalf("%d checks, want %d", len(checks), len(run.report.Checks))
			}
			for i, c := range checks {
				check := c.(map[string]any)
				keys := []string{"id", "title", "status", "code", "message", "fix", "duration_ms", "details"}
				if run.report.Checks[i].Code != "" {
					// "doc_url" is there when a code is: the code's page.
					keys = append(keys, "doc_url")
					if want := docPage(run.report.Checks[i].Code); check["doc_url"] != want {
						t.Errorf("check %d: doc_url = %v, want %s", i, check["doc_url"], want)
					}
				}
				if len(run.report.Checks[i].Events) > 0 {
					// "events" is there only when the server's events explain the check.
					keys = append(keys, "events")
					for _, e := range check["events"].([]any) {
						wantKeys(t, "event", e, "time", "type", "client", "user", "ip", "error", "details")
					}
				}
				wantKeys(t, "check", c, keys...)
				if _, ok := check["details"].(map[string]any); !ok {
					t.Errorf("check %d: details = %v, want an object", i, check["details"])
				}
				if ms, ok := check["duration_ms"].(float64); !ok || ms != float64(int64(ms)) {
					t.Errorf("check %d: duration_ms = %v, want an integer", i, check["duration_ms"])
				}
				for _, key := range []string{"code", "fix"} {
					if _, ok := check[key].(string); !ok {
						t.Errorf("check %d: %s = %v, want a string", i, key, check[key])
					}
				}
			}

			env := doc["environment"]
			wantKeys(t, "environment", env, "version", "os", "arch", "go_version", "time", "settings")
			if got := env.(map[string]any)["time"]; got != "2025-03-14T09:30:12Z" {
				t.Errorf("environment.time = %v, want RFC 3339 UTC", got)
			}
			for _, s := range env.(map[string]any)["settings"].([]any) {
				setting := s.(map[string]any)
				if setting["secret"] == true {
					wantKeys(t, "secret setting", s, "name", "env_var", "source", "secret")
				} else {
					wantKeys(t, "setting", s, "name", "env_var", "source", "value", "secret")
				}
			}
		})
	}
}

func TestJSONEmptyReportHasArraysNotNull(t *testing.T) {
	out := string(render(t, Report{}, FormatJSON, Options{}))
	for _, want := range []string{`"checks": []`, `"settings": []`} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in\n%s", want, out)
		}
	}
}

func wantKeys(t *testing.T, what string, v any, keys ...string) {
	t.Helper()
	obj, ok := v.(map[string]any)
	if !ok {
		t.Errorf("%s: %v is not an object", what, v)
		return
	}
	got := make([]string, 0, len(obj))
	for k := range obj {
		got = append(got, k)
	}
	sort.Strings(got)
	want := append([]string(nil), keys...)
	sort.Strings(want)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("%s keys = %v, want %v", what, got, want)
	}
}
