package report

import "strings"

// Markdown escaping, kept minimal on purpose: a report is read as rendered
// Markdown on GitHub and as plain text in an e-mail notification, and every
// backslash shows in the second.

// mdText makes free text (a server's message, a fix) safe as Markdown prose.
// "<" is escaped: a quoted HTML error page would otherwise be taken as
// markup and vanish from the rendered ticket, and a server could plant HTML
// or an <https://…> autolink. A "](" or "][" is escaped too, which is what
// every inline link and image needs, so that a server's text cannot put a
// link under words of its choosing, nor an image that loads when the ticket
// is opened; brackets in any other place ("roles [a, b]") stay as they are.
func mdText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return mdMarkup.Replace(s)
}

var mdMarkup = strings.NewReplacer("<", "&lt;", "](", `]\(`, "][", `]\[`)

// mdCell makes text safe inside a table cell, where "|" ends the cell and a
// line break ends the row.
func mdCell(s string) string {
	s = mdPipes(mdText(strings.TrimSpace(s)))
	return strings.ReplaceAll(s, "\n", "<br>")
}

// mdPipes escapes "|" for a table cell. GFM splits cells before it parses
// code spans, so this applies inside code spans too (and GFM removes the
// backslash there); outside a table the backslash would show, so prose and
// lists do not use it.
func mdPipes(s string) string {
	return strings.ReplaceAll(s, "|", `\|`)
}

// mdCode writes s as an inline code span, with a delimiter longer than any
// run of backticks inside it (the CommonMark rule), so that nothing in s is
// interpreted.
func mdCode(s string) string {
	s = oneLine(s)
	if s == "" {
		return ""
	}
	delim := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return delim + " " + s + " " + delim
	}
	return delim + s + delim
}

// mdFence returns a code fence longer than any backtick run in s.
func mdFence(s string) string {
	return strings.Repeat("`", max(3, longestRun(s, '`')+1))
}

func longestRun(s string, c byte) int {
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}
