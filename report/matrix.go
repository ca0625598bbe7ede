package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/internal/sanitize"
)

// Matrix is the report of a run over many tenants (check --tenants): one
// Report per tenant, shown as a tenant × check matrix with codes. Like
// Report, it is a pure value that renderers read.
type Matrix struct {
	Tool        Tool
	KeycloakURL string
	Checks      []string // check ids, in catalogue order: the columns
	Tenants     []TenantReport
	Parallel    int
	Time        time.Time     // the run's start, UTC; zero: not shown
	Duration    time.Duration // the whole run's wall time; zero: not shown
	ExitCode    int           // 1 when any tenant's run failed
}

// TenantReport is one tenant's row: the tenant as the file names it and
// that tenant's whole report.
type TenantReport struct {
	Tenant string // the tenant id or realm as given in the file
	Line   int    // its line in the --tenants file
	Report Report
}

// MatrixSummary counts tenants by the worst status of their checks (a
// skipped check does not make a tenant "skipped": it follows a failure).
type MatrixSummary struct {
	Tenants, Passed, Warned, Failed int
}

// CodeGroup is the tenants whose leading problem is the same code:
// "37 tenants: MISSING_ROLE". Code is "" for the tenants without problem.
type CodeGroup struct {
	Code    string
	Check   string
	Status  Status
	Tenants []string
	DocURL  string
}

// SetExitCode sets m.ExitCode from the tenants' runs: the worst one, so
// the exit code is as for one run (1 when any tenant failed).
func (m *Matrix) SetExitCode() {
	m.ExitCode = 0
	for _, t := range m.Tenants {
		m.ExitCode = max(m.ExitCode, t.Report.ExitCode)
	}
}

// Summary counts the tenants by outcome.
func (m Matrix) Summary() MatrixSummary {
	s := MatrixSummary{Tenants: len(m.Tenants)}
	for _, t := range m.Tenants {
		switch tenantStatus(t.Report) {
		case Fail:
			s.Failed++
		case Warn:
			s.Warned++
		default:
			s.Passed++
		}
	}
	return s
}

// tenantStatus is a tenant's worst status: fail, warn or pass.
func tenantStatus(r Report) Status {
	st := Pass
	for _, c := range r.Checks {
		switch {
		case c.Status == Fail:
			return Fail
		case c.Status == Warn:
			st = Warn
		}
	}
	return st
}

// leadingProblem is the tenant's first failure in catalogue order (the
// cause; later failures are usually its consequences), else its first
// warning; ok is false when nothing needs attention.
func leadingProblem(r Report) (CheckResult, bool) {
	for _, want := range []Status{Fail, Warn} {
		for _, c := range r.Checks {
			if c.Status == want {
				return c, true
			}
		}
	}
	return CheckResult{}, false
}

// Groups partitions the tenants by their leading problem's code: failures
// first, then warnings, larger groups first, then by code; the tenants
// without problem last.
func (m Matrix) Groups() []CodeGroup {
	byKey := map[string]*CodeGroup{}
	var order []*CodeGroup
	for _, t := range m.Tenants {
		c, ok := leadingProblem(t.Report)
		key := ""
		if ok {
			key = c.Code + "|" + c.ID + "|" + string(c.Status)
		}
		g := byKey[key]
		if g == nil {
			g = &CodeGroup{Status: Pass}
			if ok {
				g.Code, g.Check, g.Status, g.DocURL = c.Code, c.ID, c.Status, docURL(c)
			}
			byKey[key] = g
			order = append(order, g)
		}
		g.Tenants = append(g.Tenants, t.Tenant)
	}
	rank := map[Status]int{Fail: 0, Warn: 1, Pass: 2}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if rank[a.Status] != rank[b.Status] {
			return rank[a.Status] < rank[b.Status]
		}
		if len(a.Tenants) != len(b.Tenants) {
			return len(a.Tenants) > len(b.Tenants)
		}
		return a.Code < b.Code
	})
	out := make([]CodeGroup, len(order))
	for i, g := range order {
		out[i] = *g
	}
	return out
}

// groupTitle reads "37 tenants: MISSING_ROLE (roles, fail)" or
// "3 tenants: all checks passed".
func groupTitle(g CodeGroup) string {
	n := plural(len(g.Tenants), "tenant", "tenants")
	if g.Status == Pass {
		return n + ": no problem"
	}
	code := g.Code
	if code == "" {
		code = "(no code)"
	}
	return fmt.Sprintf("%s: %s (%s, %s)", n, code, g.Check, g.Status)
}

// cell is a tenant's result for one check as a matrix cell: "ok", "skip",
// or the status and code of a problem.
func cell(r Report, id string) (CheckResult, string) {
	for _, c := range r.Checks {
		if c.ID != id {
			continue
		}
		switch c.Status {
		case Pass:
			return c, "ok"
		case Skip:
			return c, "skip"
		}
		if c.Code == "" {
			return c, statusWord(c.Status)
		}
		return c, statusWord(c.Status) + " " + c.Code
	}
	return CheckResult{}, "-"
}

// summaryLine reads "40 tenants: 37 passed, 1 with warnings, 2 failed".
func (s MatrixSummary) line() string {
	return fmt.Sprintf("%s: %d passed, %d with warnings, %d failed", plural(s.Tenants, "tenant", "tenants"), s.Passed, s.Warned, s.Failed)
}

// sanitized sanitises every tenant's report (see Render).
func (m Matrix) sanitized() Matrix {
	out := m
	out.Tenants = make([]TenantReport, len(m.Tenants))
	for i, t := range m.Tenants {
		t.Report = t.Report.sanitized()
		t.Tenant = sanitize.Line(t.Tenant)
		out.Tenants[i] = t
	}
	return out
}

// RenderMatrix writes m to w in format f; like Render, each renderer
// builds its whole output first, and every text is sanitised.
func RenderMatrix(w io.Writer, f Format, m Matrix, o Options) error {
	var (
		out []byte
		err error
	)
	m = m.sanitized()
	switch f {
	case FormatTable:
		out, err = renderMatrixTable(m, o)
	case FormatJSON:
		out, err = renderMatrixJSON(m)
	case FormatMarkdown:
		out, err = renderMatrixMarkdown(m)
	case FormatJUnit:
		out, err = renderMatrixJUnit(m)
	case FormatShort:
		out, err = renderMatrixShort(m)
	default:
		return fmt.Errorf("unknown output format %q: valid formats are %s", string(f), formatList())
	}
	if err != nil {
		return fmt.Errorf("render %s matrix: %w", f, err)
	}
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("write %s matrix: %w", f, err)
	}
	return nil
}

// renderMatrixShort: one line per tenant that needs attention (its leading
// problem), then one line for the run.
//
//	FAIL tenant-0003 credentials INVALID_CLIENT_CREDENTIALS: Keycloak answered 401 …
//	FAIL: 1 of 40 tenants failed (39 passed)
func renderMatrixShort(m Matrix) ([]byte, error) {
	var b strings.Builder
	for _, t := range m.Tenants {
		c, ok := leadingProblem(t.Report)
		if !ok {
			continue
		}
		b.WriteString(statusWord(c.Status) + " " + t.Tenant + " " + strings.TrimPrefix(shortProblemLine(c), statusWord(c.Status)+" ") + "\n")
	}
	s := m.Summary()
	switch {
	case s.Failed > 0:
		fmt.Fprintf(&b, "FAIL: %d of %s failed (%d passed, %d with warnings)\n", s.Failed, plural(s.Tenants, "tenant", "tenants"), s.Passed, s.Warned)
	case s.Warned > 0:
		fmt.Fprintf(&b, "OK: %s passed (%d with warnings)\n", plural(s.Tenants, "tenant", "tenants"), s.Warned)
	default:
		fmt.Fprintf(&b, "OK: all %s passed\n", plural(s.Tenants, "tenant", "tenants"))
	}
	return []byte(b.String()), nil
}
