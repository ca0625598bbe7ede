package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
)

// The JSON document (schema v2) is written from these structs, never from the
// Go model directly: renaming or adding a model field must not change what
// scripts parse. Field order here is the order in the document.
//
// docs/report.schema.json (JSON Schema 2020-12) publishes the document; a
// field added here is added there too (TestReportSchema fails until it is).
// Adding an optional field keeps the schema_version; removing, renaming or
// retyping one is a new version. Version 2 turned a check's "fix" from one
// string into an object (jsonFix).

type jsonDocument struct {
	SchemaVersion int             `json:"schema_version"`
	Tool          jsonTool        `json:"tool"`
	Target        jsonTarget      `json:"target"`
	Checks        []jsonCheck     `json:"checks"`
	Summary       jsonSummary     `json:"summary"`
	ExitCode      int             `json:"exit_code"`
	ExitReason    string          `json:"exit_reason"` // why the exit code: root causes, policy; "" when 0
	Policy        jsonPolicy      `json:"policy"`
	Environment   jsonEnvironment `json:"environment"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonTarget struct {
	KeycloakURL string `json:"keycloak_url"`
	Realm       string `json:"realm"`
	ClientID    string `json:"client_id"`
	Grant       string `json:"grant"`
	GraphQLURL  string `json:"graphql_url"`
}

type jsonCheck struct {
	ID         string         `json:"id"`
	Title      string         `json:"title"`
	Status     string         `json:"status"`
	Code       string         `json:"code"` // "" when absent, but always present
	Message    string         `json:"message"`
	Fix        *jsonFix       `json:"fix"`               // null when there is nothing to do, but always present
	DocURL     string         `json:"doc_url,omitempty"` // the code's page; present when code is set
	DurationMS int64          `json:"duration_ms"`
	Details    map[string]any `json:"details"` // {} when empty, never null
	Events     []jsonEvent    `json:"events,omitempty"`
	// ConsequenceOf names the root cause this result follows from; absent
	// when it is none's consequence.
	ConsequenceOf *jsonCause `json:"consequence_of,omitempty"`
	// FailsByPolicy: this warning or skip failed the run (--fail-on,
	// --strict); absent otherwise.
	FailsByPolicy bool `json:"fails_by_policy,omitempty"`
}

// jsonCause names a finding: the check that reported it and its code.
type jsonCause struct {
	Check string `json:"check"`
	Code  string `json:"code"`
}

// jsonPolicy is what the run was asked to check and what fails it.
type jsonPolicy struct {
	FailOn        []string `json:"fail_on"`       // [] when only failures fail the run
	Only          []string `json:"only"`          // [] when every check ran
	Skip          []string `json:"skip"`          // [] when none was left out
	Prerequisites []string `json:"prerequisites"` // checks --only added: they are needed
}

// jsonFix is what to do about a check's finding: the steps (the hint for
// this case first), the commands filled in with the run's values, the
// admin console path, and the code's page.
type jsonFix struct {
	Steps    []string      `json:"steps"`    // [] when none
	Commands []jsonCommand `json:"commands"` // [] when none
	Console  string        `json:"console"`  // "" when none; one path per line
	DocURL   string        `json:"doc_url"`  // "" when the check has no code
}

type jsonCommand struct {
	Tool    string `json:"tool"`    // kcadm.sh, curl, openssl, ...
	Command string `json:"command"` // one shell command line
}

// jsonEvent is one server event; time in UTC, RFC 3339 with milliseconds.
type jsonEvent struct {
	Time    string            `json:"time"`
	Type    string            `json:"type"`
	Client  string            `json:"client"`
	User    string            `json:"user"`
	IP      string            `json:"ip"`
	Error   string            `json:"error"`
	Details map[string]string `json:"details"`
}

type jsonSummary struct {
	Passed  int `json:"passed"`
	Warned  int `json:"warned"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
	// RootCauses are the findings to fix first; Consequences counts the
	// checks marked consequence_of one of them.
	RootCauses   []jsonCause `json:"root_causes"` // [] when none
	Consequences int         `json:"consequences"`
	// FailedByPolicy: a warning or skip failed the run (--fail-on,
	// --strict); PolicyFailures names those checks.
	FailedByPolicy bool     `json:"failed_by_policy"`
	PolicyFailures []string `json:"policy_failures"` // [] when none
}

type jsonEnvironment struct {
	Version   string        `json:"version"`
	OS        string        `json:"os"`
	Arch      string        `json:"arch"`
	GoVersion string        `json:"go_version"`
	Time      string        `json:"time"` // RFC 3339, UTC
	Settings  []jsonSetting `json:"settings"`
}

type jsonSetting struct {
	Name   string  `json:"name"`
	EnvVar string  `json:"env_var"`
	Source string  `json:"source"`
	Value  *string `json:"value,omitempty"` // nil, so absent, for a secret
	Secret bool    `json:"secret"`
}

// renderJSON writes the schema v2 document, indented by two spaces, with a
// trailing newline and nothing else, so that `authdoctor -o json | jq` works.
func renderJSON(r Report) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	// Messages quote servers (`<html>`, `&`); \u003c escapes would make them
	// harder to read and protect nothing, as the document is not HTML.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(newJSONDocument(r)); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func newJSONDocument(r Report) jsonDocument {
	return jsonDocument{
		SchemaVersion: SchemaVersion,
		Tool:          jsonTool{Name: r.Tool.Name, Version: r.Tool.Version},
		Target: jsonTarget{
			KeycloakURL: r.Target.KeycloakURL,
			Realm:       r.Target.Realm,
			ClientID:    r.Target.ClientID,
			Grant:       r.Target.Grant,
			GraphQLURL:  r.Target.GraphQLURL,
		},
		Checks: jsonChecks(r),
		Summary: jsonSummary{
			Passed:         r.Summary.Passed,
			Warned:         r.Summary.Warned,
			Failed:         r.Summary.Failed,
			Skipped:        r.Summary.Skipped,
			RootCauses:     jsonCauses(r.Summary.RootCauses),
			Consequences:   r.Summary.Consequences,
			FailedByPolicy: r.FailedByPolicy(),
			PolicyFailures: nonNil(r.Summary.PolicyFailures),
		},
		ExitCode:   r.ExitCode,
		ExitReason: r.ExitReason,
		Policy: jsonPolicy{
			FailOn: statusStrings(r.Policy.FailOn), Only: nonNil(r.Policy.Only), Skip: nonNil(r.Policy.Skip),
			Prerequisites: nonNil(r.Policy.Prerequisites),
		},
		Environment: jsonEnvironment{
			Version:   r.Environment.Version,
			OS:        r.Environment.OS,
			Arch:      r.Environment.Arch,
			GoVersion: r.Environment.GoVersion,
			Time:      r.Environment.Time.UTC().Format(time.RFC3339),
			Settings:  jsonSettings(r.Environment.Settings),
		},
	}
}

func jsonChecks(r Report) []jsonCheck {
	out := make([]jsonCheck, 0, len(r.Checks)) // [] rather than null when empty
	for _, c := range r.Checks {
		details := c.Details
		if details == nil {
			details = map[string]any{}
		}
		out = append(out, jsonCheck{
			ID:         c.ID,
			Title:      c.Title,
			Status:     string(c.Status),
			Code:       c.Code,
			Message:    c.Message,
			Fix:        newJSONFix(c),
			DocURL:     docURL(c),
			DurationMS: c.Duration.Milliseconds(),
			Details:    details,
			Events:     jsonEvents(c.Events),
		})
		if c.ConsequenceOf != nil {
			out[len(out)-1].ConsequenceOf = &jsonCause{Check: c.ConsequenceOf.Check, Code: c.ConsequenceOf.Code}
		}
		out[len(out)-1].FailsByPolicy = r.failsByPolicy(c)
	}
	return out
}

func jsonCauses(cs []Cause) []jsonCause {
	out := make([]jsonCause, 0, len(cs))
	for _, c := range cs {
		out = append(out, jsonCause(c))
	}
	return out
}

// nonNil is ss, or [] for nil: the document has lists, never null.
func nonNil(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

func statusStrings(ss []Status) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		out = append(out, string(s))
	}
	return out
}

func jsonSettings(settings []Setting) []jsonSetting {
	out := make([]jsonSetting, 0, len(settings))
	for _, s := range settings {
		js := jsonSetting{Name: s.Name, EnvVar: s.EnvVar, Source: s.Source, Secret: s.Secret}
		if !s.Secret {
			// A secret's value is left out even if a caller put one in the
			// model by mistake: this is the last line of defence before a file.
			value := s.Value
			js.Value = &value
		}
		out = append(out, js)
	}
	return out
}

func jsonEvents(events []Event) []jsonEvent {
	var out []jsonEvent
	for _, e := range events {
		d := e.Details
		if d == nil {
			d = map[string]string{}
		}
		out = append(out, jsonEvent{Time: e.Time.UTC().Format("2006-01-02T15:04:05.000Z07:00"), Type: e.Type, Client: e.Client, User: e.User, IP: e.IP, Error: e.Error, Details: d})
	}
	return out
}

// newJSONFix is nil (null) for a check with nothing to do: no code and no
// fix.
func newJSONFix(c CheckResult) *jsonFix {
	if c.Code == "" && strings.TrimSpace(c.Fix) == "" && len(c.Commands) == 0 {
		return nil
	}
	f := &jsonFix{Steps: FixSteps(c.Fix), Commands: []jsonCommand{}, Console: c.Console, DocURL: docURL(c)}
	if f.Steps == nil {
		f.Steps = []string{}
	}
	for _, cmd := range c.Commands {
		f.Commands = append(f.Commands, jsonCommand{Tool: cmd.Tool, Command: cmd.Text})
	}
	return f
}
