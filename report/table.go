package report

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// messageWidth is where messages and fixes wrap: wide enough for a quoted
// server answer on two or three lines, narrow enough to read without moving
// the eyes across a wide terminal.
const messageWidth = 70

// columnGap separates the table's columns. The table has no borders: status
// words and codes are the structure, and rules would only add noise.
const columnGap = "  "

// renderTable writes the report for a person at a terminal: a table of every
// check, a block for each warning and failure, and a one-line verdict.
func renderTable(r Report, o Options) ([]byte, error) {
	var b bytes.Buffer
	if err := writeCheckTable(&b, r.Checks, o.Color); err != nil {
		return nil, err
	}
	for _, c := range problems(r.Checks) {
		b.WriteString("\n")
		writeProblemBlock(&b, c, o.Color)
	}
	b.WriteString("\n")
	writeVerdict(&b, r, o.Color)
	return b.Bytes(), nil
}

// writeCheckTable writes one row per check, in catalogue order.
func writeCheckTable(b *bytes.Buffer, checks []CheckResult, color bool) error {
	var raw bytes.Buffer
	table := tablewriter.NewTable(&raw,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Borders: tw.BorderNone,
			Settings: tw.Settings{
				Separators: tw.Separators{BetweenColumns: tw.Off, BetweenRows: tw.Off},
				Lines:      tw.Lines{ShowHeaderLine: tw.Off},
			},
		})),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithPadding(tw.Padding{Right: columnGap, Overwrite: true}),
		tablewriter.WithRowAutoWrap(tw.WrapNormal),
	)
	table.Configure(func(cfg *tablewriter.Config) {
		// Only the message wraps; ids and codes are short and must stay whole
		// so they can be copied. The limit counts the cell's padding.
		cfg.Row.ColMaxWidths.PerColumn = tw.NewMapper[int, int]().Set(3, messageWidth+len(columnGap))
	})
	table.Header("CHECK", "STATUS", "CODE", "MESSAGE")
	for _, c := range checks {
		if err := table.Append([]string{
			c.ID,
			paint(color, statusColor(c.Status), statusWord(c.Status)),
			c.Code,
			c.Message,
		}); err != nil {
			return fmt.Errorf("table row %q: %w", c.ID, err)
		}
	}
	if err := table.Render(); err != nil {
		return fmt.Errorf("table: %w", err)
	}
	b.WriteString(trimLineEnds(raw.String()))
	return nil
}

// writeProblemBlock writes what went wrong and what to do about it:
//
//	FAIL  credentials  INVALID_USER_CREDENTIALS
//	  Keycloak answered 401 invalid_grant: "Invalid user credentials"
//	  Fix: Check the user's password ...
func writeProblemBlock(b *bytes.Buffer, c CheckResult, color bool) {
	head := []string{paint(color, statusColor(c.Status), statusWord(c.Status)), c.ID}
	if c.Code != "" {
		head = append(head, paint(color, sgrBold, c.Code))
	}
	b.WriteString(strings.Join(head, "  ") + "\n")
	writeIndented(b, "  ", "  ", c.Message)
	if c.Fix != "" {
		// Continuation lines align with the text after "Fix: ".
		writeIndented(b, "  Fix: ", "       ", c.Fix)
	}
}

// writeIndented wraps text to messageWidth and writes it with first before
// the first line and rest before the others.
func writeIndented(b *bytes.Buffer, first, rest, text string) {
	if strings.TrimSpace(text) == "" {
		return
	}
	for i, line := range wrapText(text, messageWidth) {
		prefix := rest
		if i == 0 {
			prefix = first
		}
		b.WriteString(strings.TrimRight(prefix+line, " ") + "\n")
	}
}

// writeVerdict writes the last line a person reads: the counts, the wall
// time when known, the exit code, and where to learn more about a failure.
func writeVerdict(b *bytes.Buffer, r Report, color bool) {
	line := countsPhrase(r.Summary, color)
	if r.Duration > 0 {
		line += " in " + shortDuration(r.Duration)
	}
	fmt.Fprintf(b, "%s — exit code %d\n", line, r.ExitCode)

	codes := failedCodes(r.Checks)
	if len(codes) == 0 {
		return
	}
	commands := make([]string, 0, len(codes))
	for _, code := range codes {
		commands = append(commands, fmt.Sprintf("'%s explain %s'", toolName(r), code))
	}
	fmt.Fprintf(b, "Run %s for details.\n", strings.Join(commands, " or "))
}

// trimLineEnds removes the padding tablewriter leaves at the end of each
// line: invisible on screen, but noise in a pasted report or a diff.
func trimLineEnds(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
