package report

import (
	"bytes"
	"encoding/json"
	"time"
)

// The JSON document (schema v1) is written from these structs, never from the
// Go model directly: renaming or adding a model field must not change what
// scripts parse. Field order here is the order in the document.
//
// docs/report.schema.json (JSON Schema 2020-12) publishes the document; a
// field added here is added there too (TestReportSchema fails until it is).
// Adding an optional field keeps schema_version 1; removing, renaming or
// retyping one is a new version.

type jsonDocument struct {
	SchemaVersion int             `json:"schema_version"`
	Tool          jsonTool        `json:"tool"`
	Target        jsonTarget      `json:"target"`
	Checks        []jsonCheck     `json:"checks"`
	Summary       jsonSummary     `json:"summary"`
	ExitCode      int             `json:"exit_code"`
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
	Fix        string         `json:"fix"`               // "" when absent, but always present
	DocURL     string         `json:"doc_url,omitempty"` // the code's page; present when code is set
	DurationMS int64          `json:"duration_ms"`
	Details    map[string]any `json:"details"` // {} when empty, never null
	Events     []jsonEvent    `json:"events,omitempty"`
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

// renderJSON writes the schema v1 document, indented by two spaces, with a
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
		Checks: jsonChecks(r.Checks),
		Summary: jsonSummary{
			Passed:  r.Summary.Passed,
			Warned:  r.Summary.Warned,
			Failed:  r.Summary.Failed,
			Skipped: r.Summary.Skipped,
		},
		ExitCode: r.ExitCode,
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

func jsonChecks(checks []CheckResult) []jsonCheck {
	out := make([]jsonCheck, 0, len(checks)) // [] rather than null when empty
	for _, c := range checks {
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
			Fix:        c.Fix,
			DocURL:     docURL(c),
			DurationMS: c.Duration.Milliseconds(),
			Details:    details,
			Events:     jsonEvents(c.Events),
		})
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
