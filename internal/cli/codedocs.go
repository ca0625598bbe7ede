package cli

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"

	"github.com/authdoctor/authdoctor/checks"
	"github.com/authdoctor/authdoctor/checks/codes"
)

// The pages of docs/codes/ are `authdoctor explain -o markdown CODE`: the
// same sections as `authdoctor explain CODE`, as CommonMark that GitHub and
// GitLab render (TestCodeDocs keeps the files in sync and renders them).

// explainMarkdown writes the page of one code.
func explainMarkdown(w io.Writer, c *codes.Code) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", c.ID)
	fmt.Fprintf(&b, "**%s**\n\n", mdText(c.Title))
	status := string(c.Severity)
	if c.Retired {
		status += ", retired: no longer reported"
	}
	fmt.Fprintf(&b, "Check `%s` · severity **%s**\n\n", c.Check, status)
	section := func(title string) { fmt.Fprintf(&b, "## %s\n\n", title) }
	if c.Meaning != "" {
		section("What it means")
		b.WriteString(mdParagraphs(c.Meaning))
	}
	if len(c.Causes) > 0 {
		section("Likely causes")
		for _, cause := range c.Causes {
			fmt.Fprintf(&b, "- %s\n", mdText(oneLineText(cause)))
		}
		b.WriteString("\n")
	}
	if c.Fix != "" {
		section("Fix")
		b.WriteString(mdSteps(c.Fix))
	}
	if c.Console != "" {
		section("Where, in the Keycloak admin console")
		lines := nonEmptyLines(c.Console)
		if len(lines) == 1 {
			fmt.Fprintf(&b, "%s\n\n", mdText(lines[0]))
		} else {
			for _, l := range lines {
				fmt.Fprintf(&b, "- %s\n", mdText(l))
			}
			b.WriteString("\n")
		}
	}
	if cmd := strings.Join(c.CommandLines(), "\n"); cmd != "" {
		// The template: a report shows these filled in with its run's values.
		section("Commands")
		fence := strings.Repeat("`", max(3, longestRun(cmd, '`')+1))
		fmt.Fprintf(&b, "%ssh\n%s\n%s\n\n", fence, cmd, fence)
	}
	// A cause with a fix of its own, which a report shows instead when the
	// check found that cause.
	for _, name := range c.CaseNames() {
		v := c.For(name)
		section("Fix when " + mdText(c.Cases[name].When))
		b.WriteString(mdSteps(v.Fix))
		for _, l := range nonEmptyLines(v.Console) {
			fmt.Fprintf(&b, "- %s\n", mdText(l))
		}
		if v.Console != "" {
			b.WriteString("\n")
		}
		if cmd := strings.Join(v.CommandLines(), "\n"); cmd != "" {
			fence := strings.Repeat("`", max(3, longestRun(cmd, '`')+1))
			fmt.Fprintf(&b, "%ssh\n%s\n%s\n\n", fence, cmd, fence)
		}
	}
	b.WriteString("---\n\n")
	fmt.Fprintf(&b, "The same text as `authdoctor explain %s`, generated from the code registry. [Every code](README.md)\n", c.ID)
	_, err := io.WriteString(w, b.String())
	return err
}

// codesIndex writes docs/codes/README.md: every code by check, in report
// order, linked to its page.
func codesIndex(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# Diagnosis codes\n\n")
	b.WriteString("Every finding of `authdoctor check` carries one of these codes, in every output format. " +
		"Each page says what the code means, its likely causes and how to fix it; `authdoctor explain CODE` prints the same. " +
		"CI scripts and support macros can match on the codes: a code is never renamed or reused.\n\n")
	b.WriteString("These pages are generated from the registry (`checks/codes`) by `authdoctor explain -o markdown`; " +
		"`go test ./internal/cli -run CodeDocs -update` rewrites them after a change.\n")
	var check codes.CheckID
	for _, c := range checks.Codes() {
		if c.Check != check || check == "" {
			check = c.Check
			fmt.Fprintf(&b, "\n## Check `%s`\n\n| Code | Severity | What |\n|---|---|---|\n", check)
		}
		severity := string(c.Severity)
		if c.Retired {
			severity += " (retired)"
		}
		fmt.Fprintf(&b, "| [%s](%s.md) | %s | %s |\n", c.ID, c.ID, severity, mdText(c.Title))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdParagraphs writes text's paragraphs (separated by blank lines).
func mdParagraphs(text string) string {
	var b strings.Builder
	for _, p := range strings.Split(text, "\n\n") {
		if p = oneLineText(p); p != "" {
			b.WriteString(mdText(p) + "\n\n")
		}
	}
	return b.String()
}

// stepLine is a numbered fix step, as codes.steps writes them.
var stepLine = regexp.MustCompile(`^(\d+)\. (.*)$`)

// mdSteps writes numbered steps as an ordered list, anything else as
// paragraphs.
func mdSteps(text string) string {
	lines := nonEmptyLines(text)
	for _, l := range lines {
		if !stepLine.MatchString(l) {
			return mdParagraphs(text)
		}
	}
	var b strings.Builder
	for _, l := range lines {
		m := stepLine.FindStringSubmatch(l)
		fmt.Fprintf(&b, "%s. %s\n", m[1], mdText(m[2]))
	}
	return b.String() + "\n"
}

// mdText escapes text for a Markdown paragraph, list item or table cell:
// it reads as written instead of turning into emphasis, HTML (<client>), a
// link or a code span. An underscore between letters (client_id) cannot
// start emphasis and is left as it is, so the source stays readable.
func mdText(s string) string {
	var b strings.Builder
	runes := []rune(s)
	alnum := func(i int) bool {
		return i >= 0 && i < len(runes) && (unicode.IsLetter(runes[i]) || unicode.IsDigit(runes[i]))
	}
	for i, r := range runes {
		switch r {
		case '\\', '`', '*', '[', ']', '<', '>', '|', '~', '&':
			b.WriteRune('\\')
		case '_':
			if !alnum(i-1) || !alnum(i+1) {
				b.WriteRune('\\')
			}
		case '#', '+', '-', '=':
			if i == 0 {
				b.WriteRune('\\') // would start a heading, a list or a setext underline
			}
		case '.', ')':
			if allDigits(runes[:i]) && i > 0 {
				b.WriteRune('\\') // "1." would start an ordered list
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

func allDigits(rs []rune) bool {
	for _, r := range rs {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }

func nonEmptyLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// longestRun is the longest run of r in s (a code fence must be longer).
func longestRun(s string, r rune) int {
	longest, run := 0, 0
	for _, c := range s {
		if c == r {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}
