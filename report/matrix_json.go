package report

import (
	"bytes"
	"encoding/json"
	"time"
)

// The matrix JSON document (kind "tenants"), written from these structs:
// the groups first ("37 tenants: MISSING_ROLE"), then one object per
// tenant with each check's status, code and message by check id. A
// tenant's full single-run document is what `check` without --tenants
// writes for that tenant.

type jsonMatrix struct {
	SchemaVersion int               `json:"schema_version"`
	Kind          string            `json:"kind"` // "tenants"
	Tool          jsonTool          `json:"tool"`
	KeycloakURL   string            `json:"keycloak_url"`
	Checks        []string          `json:"checks"`
	Summary       jsonMatrixSummary `json:"summary"`
	Groups        []jsonCodeGroup   `json:"groups"`
	Tenants       []jsonTenant      `json:"tenants"`
	ExitCode      int               `json:"exit_code"`
	Parallel      int               `json:"parallel,omitempty"`
	Time          string            `json:"time,omitempty"`
	DurationMS    int64             `json:"duration_ms,omitempty"`
}

type jsonMatrixSummary struct {
	Tenants int `json:"tenants"`
	Passed  int `json:"passed"`
	Warned  int `json:"warned"`
	Failed  int `json:"failed"`
}

type jsonCodeGroup struct {
	Title   string   `json:"title"` // "37 tenants: MISSING_ROLE (roles, fail)"
	Code    string   `json:"code"`  // "" for the tenants without problem
	Check   string   `json:"check"`
	Status  string   `json:"status"`
	Count   int      `json:"count"`
	Tenants []string `json:"tenants"`
	DocURL  string   `json:"doc_url,omitempty"`
}

type jsonTenant struct {
	Tenant   string                     `json:"tenant"`
	Line     int                        `json:"line"`
	Realm    string                     `json:"realm"`
	ClientID string                     `json:"client_id"`
	Grant    string                     `json:"grant"`
	Status   string                     `json:"status"`
	ExitCode int                        `json:"exit_code"`
	Checks   map[string]jsonMatrixCheck `json:"checks"`
}

type jsonMatrixCheck struct {
	Status     string `json:"status"`
	Code       string `json:"code"`
	Message    string `json:"message"`
	DurationMS int64  `json:"duration_ms"`
}

func renderMatrixJSON(m Matrix) ([]byte, error) {
	s := m.Summary()
	doc := jsonMatrix{
		SchemaVersion: 1, Kind: "tenants",
		Tool:        jsonTool{Name: m.Tool.Name, Version: m.Tool.Version},
		KeycloakURL: m.KeycloakURL,
		Checks:      append([]string{}, m.Checks...),
		Summary:     jsonMatrixSummary(s),
		Groups:      []jsonCodeGroup{},
		Tenants:     []jsonTenant{},
		ExitCode:    m.ExitCode,
		Parallel:    m.Parallel,
		DurationMS:  m.Duration.Milliseconds(),
	}
	if !m.Time.IsZero() {
		doc.Time = m.Time.UTC().Format(time.RFC3339)
	}
	for _, g := range m.Groups() {
		doc.Groups = append(doc.Groups, jsonCodeGroup{Title: groupTitle(g), Code: g.Code, Check: g.Check, Status: string(g.Status),
			Count: len(g.Tenants), Tenants: g.Tenants, DocURL: g.DocURL})
	}
	for _, t := range m.Tenants {
		jt := jsonTenant{Tenant: t.Tenant, Line: t.Line, Realm: t.Report.Target.Realm, ClientID: t.Report.Target.ClientID,
			Grant: t.Report.Target.Grant, Status: string(tenantStatus(t.Report)), ExitCode: t.Report.ExitCode, Checks: map[string]jsonMatrixCheck{}}
		for _, c := range t.Report.Checks {
			jt.Checks[c.ID] = jsonMatrixCheck{Status: string(c.Status), Code: c.Code, Message: c.Message, DurationMS: c.Duration.Milliseconds()}
		}
		doc.Tenants = append(doc.Tenants, jt)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
