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

// minMessageWidth keeps messages readable on a very narrow terminal, where
// the table wraps rather than squeezing words one per line.
const minMessageWidth = 30

// messageWidthFor fits the message column into the terminal: the columns
// before it take what their longest value needs.
func messageWidthFor(checks []CheckResult, o Options) int {
	if o.Width <= 0 {
		return messageWidth
	}
	id, code := len("CHECK"), len("CODE")
	for _, c := range checks {
		id, code = max(id, len(c.ID)), max(code, len(c.Code))
	}
	fixed := id + len("STATUS") + code + 3*len(columnGap)
	return min(messageWidth, max(minMessageWidth, o.Width-fixed-1))
}

// columnGap separates the table's columns. The table has no borders: status
// words and codes are the structure, and rules would only add noise.
const columnGap = "  "

// renderTable writes the report for a person at a terminal: a table of every
// check, a block for each warning and failure, and a one-line verdict.
func renderTable(r Report, o Options) ([]byte, error) {
	var b bytes.Buffer
	width := messageWidthFor(r.Checks, o)
	if err := writeCheckTable(&b, r.Checks, o.Color, width); err != nil {
		return nil, err
	}
	blockWidth := messageWidth
	if o.Width > 0 {
		blockWidth = min(messageWidth, max(minMessageWidth, o.Width-len("  Fix: ")-1))
	}
	for _, c := range problems(r.Checks) {
		b.WriteString("\n")
		writeProblemBlock(&b, c, o.Color, blockWidth)
	}
	b.WriteString("\n")
	writeVerdict(&b, r, o.Color)
	return b.Bytes(), nil
}

// writeCheckTable writes one row per check, in catalogue order.
func writeCheckTable(b *bytes.Buffer, checks []CheckResult, color bool, width int) error {
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
		// Messages are wrapped here, by wrapText, which keeps a word longer
		// than the column (a URL, a realm name) whole on its own line;
		// ids and codes never wrap, so they can be copied.
		tablewriter.WithRowAutoWrap(tw.WrapNone),
	)
	table.Header("CHECK", "STATUS", "CODE", "MESSAGE")
	for _, c := range checks {
		if err := table.Append([]string{
			c.ID,
			paint(color, statusColor(c.Status), statusWord(c.Status)),
			c.Code,
			strings.Join(WrapText(c.Message, width), "\n"),
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
func writeProblemBlock(b *bytes.Buffer, c CheckResult, color bool, width int) {
	head := []string{paint(color, statusColor(c.Status), statusWord(c.Status)), c.ID}
	if c.Code != "" {
		head = append(head, paint(color, sgrBold, c.Code))
	}
	b.WriteString(strings.Join(head, "  ") + "\n")
	writeIndented(b, "  ", "  ", c.Message, width)
	for _, e := range c.Events {
		writeIndented(b, "  Event: ", "         ", eventLine(e), width)
	}
	if c.Fix != "" {
		// Continuation lines align with the text after "Fix: ".
		writeIndented(b, "  Fix: ", "       ", c.Fix, width)
	}
}

// writeIndented wraps text to width and writes it with first before
// the first line and rest before the others.
func writeIndented(b *bytes.Buffer, first, rest, text string, width int) {
	if strings.TrimSpace(text) == "" {
		return
	}
	for i, line := range WrapText(text, width) {
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
