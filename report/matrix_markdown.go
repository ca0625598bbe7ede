package report

import (
	"fmt"
	"strings"
)

// renderMatrixMarkdown writes a ticket-ready summary of a run over many
// tenants: the tenants grouped by their leading problem ("37 tenants:
// MISSING_ROLE"), with its page, then the matrix as a table.
func renderMatrixMarkdown(m Matrix) ([]byte, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %s\n\n", toolNameOf(m.Tool), m.Summary().line())
	if m.KeycloakURL != "" {
		fmt.Fprintf(&b, "Keycloak: %s\n\n", mdCode(m.KeycloakURL))
	}
	b.WriteString("## By code\n\n")
	for _, g := range m.Groups() {
		title := groupTitle(g)
		if g.Code != "" {
			title = fmt.Sprintf("%s: %s (%s, %s)", plural(len(g.Tenants), "tenant", "tenants"), mdCode(g.Code), mdText(g.Check), g.Status)
		}
		fmt.Fprintf(&b, "- **%s**", strings.TrimSpace(title))
		if g.DocURL != "" {
			b.WriteString(" " + mdLink(g.DocURL))
		}
		names := make([]string, len(g.Tenants))
		for i, t := range g.Tenants {
			names[i] = mdCode(t)
		}
		b.WriteString("\n  " + strings.Join(names, ", ") + "\n")
	}
	b.WriteString("\n## Matrix\n\n")
	b.WriteString("| tenant | " + strings.Join(mapStrings(m.Checks, mdCell), " | ") + " |\n")
	b.WriteString("|---|" + strings.Repeat("---|", len(m.Checks)) + "\n")
	for _, t := range m.Tenants {
		cells := []string{mdPipes(mdCode(t.Tenant))}
		for _, id := range m.Checks {
			_, text := cell(t.Report, id)
			cells = append(cells, mdCell(text))
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	return []byte(b.String()), nil
}

func toolNameOf(t Tool) string {
	if t.Name != "" {
		return t.Name
	}
	return "authdoctor"
}
