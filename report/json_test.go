package report

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"
)

// TestJSONSchema decodes the document generically and checks its keys
// against the published field list, so that a change to the Go model can
// never silently change what scripts parse.
func TestJSONSchema(t *testing.T) {
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
			wantKeys(t, "document", doc, "schema_version", "tool", "target", "checks", "summary", "exit_code", "exit_reason", "policy", "environment")
			if doc["schema_version"] != float64(SchemaVersion) {
				t.Errorf("schema_version = %v", doc["schema_version"])
			}
			wantKeys(t, "tool", doc["tool"], "name", "version")
			wantKeys(t, "target", doc["target"], "keycloak_url", "realm", "client_id", "grant", "graphql_url")
			wantKeys(t, "summary", doc["summary"], "passed", "warned", "failed", "skipped", "root_causes", "consequences", "failed_by_policy", "policy_failures")
			wantKeys(t, "policy", doc["policy"], "fail_on", "only", "skip", "prerequisites")
			if got := doc["exit_reason"]; got != run.report.ExitReason {
				t.Errorf("exit_reason = %v, want %q", got, run.report.ExitReason)
			}
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
				if cause := run.report.Checks[i].ConsequenceOf; cause != nil {
					// "consequence_of" is there only for a consequence.
					keys = append(keys, "consequence_of")
					wantKeys(t, "consequence_of", check["consequence_of"], "check", "code")
				}
				if run.report.failsByPolicy(run.report.Checks[i]) {
					keys = append(keys, "fails_by_policy")
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
				if _, ok := check["code"].(string); !ok {
					t.Errorf("check %d: code = %v, want a string", i, check["code"])
				}
				// Schema 2: fix is null when there is nothing to do, else
				// an object of steps, commands, console and doc_url.
				want := run.report.Checks[i]
				switch fix := check["fix"].(type) {
				case nil:
					if want.Code != "" || want.Fix != "" {
						t.Errorf("check %d: fix = null for a check with code %q and fix %q", i, want.Code, want.Fix)
					}
				case map[string]any:
					wantKeys(t, "fix", fix, "steps", "commands", "console", "doc_url")
					cmds, _ := fix["commands"].([]any)
					if len(cmds) != len(want.Commands) {
						t.Errorf("check %d: %d commands, want %d", i, len(cmds), len(want.Commands))
					}
					for j, c := range cmds {
						wantKeys(t, "command", c, "tool", "command")
						if got := c.(map[string]any)["command"]; got != want.Commands[j].Text {
							t.Errorf("check %d: command %d = %v, want %q", i, j, got, want.Commands[j].Text)
						}
					}
					if _, ok := fix["steps"].([]any); !ok {
						t.Errorf("check %d: fix.steps = %v, want a list", i, fix["steps"])
					}
				default:
					t.Errorf("check %d: fix = %v, want null or an object", i, check["fix"])
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
