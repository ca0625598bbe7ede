package report

import (
	"strings"
)

// renderMatrixTable writes the tenant × check matrix for a terminal: a row
// per tenant, a column per check, each cell "ok", "skip" or the status and
// code of a problem; then the tenants grouped by their leading problem and
// the run's summary. Messages are left to the other formats: at a thousand
// tenants, the codes are what a person scans.
func renderMatrixTable(m Matrix, o Options) ([]byte, error) {
	rows := [][]string{append([]string{"TENANT"}, m.Checks...)}
	for _, t := range m.Tenants {
		row := []string{t.Tenant}
		for _, id := range m.Checks {
			_, text := cell(t.Report, id)
			row = append(row, text)
		}
		rows = append(rows, row)
	}
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		var line strings.Builder
		for i, c := range row {
			if i > 0 {
				line.WriteString("  ")
			}
			text := c
			if i < len(row)-1 {
				text += strings.Repeat(" ", widths[i]-len([]rune(c)))
			}
			if o.Color && i > 0 {
				text = colorCell(c, text)
			}
			line.WriteString(text)
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
	b.WriteString("\n")
	for _, g := range m.Groups() {
		b.WriteString(groupTitle(g) + "\n")
		if g.DocURL != "" {
			b.WriteString("  Docs: " + g.DocURL + "\n")
		}
	}
	b.WriteString("\n" + m.Summary().line())
	if m.Duration > 0 {
		b.WriteString(" in " + shortDuration(m.Duration))
	}
	b.WriteString("\n")
	return []byte(b.String()), nil
}

// colorCell colours a cell by the status it starts with.
func colorCell(c, padded string) string {
	switch {
	case strings.HasPrefix(c, "FAIL"):
		return paint(true, statusColor(Fail), padded)
	case strings.HasPrefix(c, "WARN"):
		return paint(true, statusColor(Warn), padded)
	case c == "ok":
		return paint(true, statusColor(Pass), padded)
	}
	return padded
}
