package report

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
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

// minCodeColumnMessage is the narrowest message column that still leaves
// the CODE column its own: on a narrower terminal (80 columns) the code
// leads the message instead, and the message gets the room.
const minCodeColumnMessage = 50

// tableLayout is how the table of checks fits the terminal.
type tableLayout struct {
	codeColumn   bool // CODE is a column of its own; else the code leads the message
	messageWidth int  // the MESSAGE column's width, where its text wraps
	// wordWidth is the room from the MESSAGE column to the terminal's edge:
	// a word wider (a realm name, a URL) is shortened. 0 when the width is
	// unknown (a pipe without COLUMNS, a file): nothing is shortened.
	wordWidth int
}

// layoutFor fits the message column into the terminal: the columns before it
// take what their longest value needs. The last column of the terminal stays
// free, as some terminals wrap a line that reaches it.
func layoutFor(checks []CheckResult, o Options) tableLayout {
	if o.Width <= 0 {
		return tableLayout{codeColumn: true, messageWidth: messageWidth}
	}
	id, code := len("CHECK"), len("CODE")
	for _, c := range checks {
		id, code = max(id, twwidth.Width(c.ID)), max(code, twwidth.Width(c.Code))
	}
	gap := len(columnGap)
	if w := o.Width - (id + len("STATUS") + code + 3*gap) - 1; w >= minCodeColumnMessage {
		return tableLayout{codeColumn: true, messageWidth: min(messageWidth, w), wordWidth: w}
	}
	w := max(minMessageWidth, o.Width-(id+len("STATUS")+2*gap)-1)
	return tableLayout{codeColumn: false, messageWidth: min(messageWidth, w), wordWidth: w}
}

// rowMessage is the MESSAGE cell of a check, wrapped to the column.
//
// A warning or failure is told once: its row names the diagnosis in a few
// words (the code's title) and the block under the table holds the
// observed message, the server's events, the fix and the link. Any other
// row holds the message; when the terminal's width is known, a realm name
// or URL too wide for the room left of the terminal's edge, or a role list
// longer than the column, is shortened in the middle (fitWords, fitLists);
// the full values are in JSON and Markdown.
func rowMessage(c CheckResult, l tableLayout) string {
	width := l.messageWidth
	prefix := ""
	if !l.codeColumn && c.Code != "" {
		prefix = c.Code + ": "
	}
	text := c.Message
	if needsAttention(c) {
		if c.Doc != nil && strings.TrimSpace(c.Doc.Title) != "" {
			text = oneLine(c.Doc.Title)
		} else {
			text = ellipsize(c.Message, max(minMessageWidth, width-twwidth.Width(prefix)))
		}
		// A consequence says so first: the row of its cause is the one
		// to read (a skip's message already names what it waited for).
		if note := consequenceNote(c); note != "" {
			text = note + ": " + text
		}
	}
	if l.wordWidth > 0 {
		text = fitWords(fitLists(prefix+text, width), l.wordWidth)
	} else {
		text = prefix + text
	}
	return strings.Join(WrapText(text, width), "\n")
}

// columnGap separates the table's columns. The table has no borders: status
// words and codes are the structure, and rules would only add noise.
const columnGap = "  "

// renderTable writes the report for a person at a terminal: a table of every
// check, a block for each warning and failure, and a one-line verdict.
func renderTable(r Report, o Options) ([]byte, error) {
	var b bytes.Buffer
	if err := writeCheckTable(&b, r.Checks, o.Color, layoutFor(r.Checks, o)); err != nil {
		return nil, err
	}
	blockWidth := messageWidth
	if o.Width > 0 {
		blockWidth = min(messageWidth, max(minMessageWidth, o.Width-len("  Fix: ")-1))
	}
	for _, c := range attention(r) {
		b.WriteString("\n")
		writeProblemBlock(&b, c, o.Color, blockWidth, r.policyNote(c))
	}
	b.WriteString("\n")
	writeVerdict(&b, r, o.Color, o.Width)
	return b.Bytes(), nil
}

// writeCheckTable writes one row per check, in catalogue order.
func writeCheckTable(b *bytes.Buffer, checks []CheckResult, color bool, l tableLayout) error {
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
	header := []string{"CHECK", "STATUS", "CODE", "MESSAGE"}
	if !l.codeColumn {
		header = []string{"CHECK", "STATUS", "MESSAGE"}
	}
	table.Header(header)
	for _, c := range checks {
		row := []string{c.ID, paint(color, statusColor(c.Status), statusWord(c.Status)), c.Code, rowMessage(c, l)}
		if !l.codeColumn {
			row = []string{row[0], row[1], row[3]}
		}
		if err := table.Append(row); err != nil {
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
//	  Run: kcadm.sh config credentials --server https://sso.example.com --realm master --user <admin>
//	       kcadm.sh get events -r tenant-acme -q type=LOGIN_ERROR -q max=10
//	  Docs: https://github.com/authdoctor/authdoctor/blob/main/docs/codes/INVALID_USER_CREDENTIALS.md
//
// This is where the message is printed in full: the row above names the
// diagnosis only. The link is one line, never wrapped nor shortened, so that
// terminals recognise it and it can be copied.
//
// A consequence says first what it is the consequence of ("Consequence of
// REALM_NOT_FOUND in realm: fix that first."), and a warning or skip that
// fails the run by policy says so, each on a line of its own under the
// head, wrapped like the message.
func writeProblemBlock(b *bytes.Buffer, c CheckResult, color bool, width int, policy string) {
	head := []string{paint(color, statusColor(c.Status), statusWord(c.Status)), c.ID}
	if c.Code != "" {
		head = append(head, paint(color, sgrBold, c.Code))
	}
	b.WriteString(strings.Join(head, "  ") + "\n")
	if note := consequenceNote(c); note != "" {
		writeIndented(b, "  ", "  ", upperFirst(note)+": fix that first.", width)
	}
	if policy != "" {
		writeIndented(b, "  ", "  ", upperFirst(policy)+".", width)
	}
	writeIndented(b, "  ", "  ", c.Message, width)
	for _, e := range c.Events {
		writeIndented(b, "  Event: ", "         ", eventLine(e), width)
	}
	fix, cmds := c.Fix, c.Commands
	if cf := consequenceFix(c); cf != "" {
		fix, cmds = cf, nil
	}
	if fix != "" {
		// Continuation lines align with the text after "Fix: ".
		writeIndented(b, "  Fix: ", "       ", fix, width)
	}
	// Commands are never wrapped, so that each can be copied as it is.
	for i, line := range commandLines(cmds) {
		prefix := "       "
		if i == 0 {
			prefix = "  Run: "
		}
		b.WriteString(prefix + line + "\n")
	}
	if url := docURL(c); url != "" {
		b.WriteString("  Docs: " + url + "\n")
	}
}

// docURL is the link to the documentation of c's code, "" when it has none.
func docURL(c CheckResult) string {
	if c.Doc == nil {
		return ""
	}
	return strings.TrimSpace(c.Doc.URL)
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

// writeVerdict writes the last lines a person reads: the counts, the wall
// time when known, the exit code; when the run failed, why, root cause
// first ("1 cause: REALM_NOT_FOUND (realm); 4 consequences", or the
// --fail-on policy that failed it); and where to learn more about a
// failure, root causes first. When the commands do not fit the terminal's
// width on one line, each gets a line of its own (a command is never
// broken across lines).
func writeVerdict(b *bytes.Buffer, r Report, color bool, width int) {
	line := countsPhrase(r.Summary, color)
	if r.Duration > 0 {
		line += " in " + shortDuration(r.Duration)
	}
	fmt.Fprintf(b, "%s — exit code %d\n", line, r.ExitCode)
	if r.ExitCode != 0 && r.ExitReason != "" {
		wrap := messageWidth
		if width > 0 {
			wrap = max(minMessageWidth, width-1)
		}
		writeIndented(b, "", "  ", r.ExitReason, wrap)
	}

	codes := explainCodes(r)
	if len(codes) == 0 {
		return
	}
	commands := make([]string, 0, len(codes))
	for _, code := range codes {
		commands = append(commands, fmt.Sprintf("'%s explain %s'", toolName(r), code))
	}
	line = fmt.Sprintf("Run %s for details.", strings.Join(commands, " or "))
	if width <= 0 || len(codes) == 1 || twwidth.Width(line) < width {
		b.WriteString(line + "\n")
		return
	}
	b.WriteString("For details, run:\n")
	for _, code := range codes {
		fmt.Fprintf(b, "  %s explain %s\n", toolName(r), code)
	}
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
