package report

import (
	"regexp"
	"strings"
)

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

// mdStep is a numbered fix step as the code registry writes them ("1. ...").
var mdStep = regexp.MustCompile(`^(\d{1,9})\. +(.*)$`)

// mdFixBlocks writes a fix as Markdown blocks, the first led by "**Fix:**".
// Numbered steps become an ordered list, as GitHub and GitLab render them:
// written as lines of a paragraph, "2." would only continue the line before
// (CommonMark lets only a list starting at 1 interrupt a paragraph). Other
// lines (a hint for this case, before the steps) stay a paragraph.
func mdFixBlocks(fix string) []string {
	var (
		blocks     []string
		para, list []string
		listsFirst bool // the first block is a list
	)
	flush := func() {
		if len(para) > 0 {
			blocks = append(blocks, strings.Join(para, "\n"))
			para = nil
		}
		if len(list) > 0 {
			listsFirst = listsFirst || len(blocks) == 0
			blocks = append(blocks, strings.Join(list, "\n"))
			list = nil
		}
	}
	for _, line := range strings.Split(strings.ReplaceAll(fix, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		switch m := mdStep.FindStringSubmatch(line); {
		case line == "":
			flush()
		case m != nil:
			if len(para) > 0 {
				flush()
			}
			list = append(list, m[1]+". "+mdLineStart(mdText(m[2])))
		default:
			if len(list) > 0 {
				flush()
			}
			para = append(para, mdLineStart(mdText(line)))
		}
	}
	flush()
	if len(blocks) == 0 {
		return nil
	}
	if listsFirst {
		return append([]string{"**Fix:**"}, blocks...)
	}
	blocks[0] = "**Fix:** " + blocks[0]
	return blocks
}

// mdLineStart escapes what would make a line of text start a block of its
// own (a heading, a quote, a list item, a thematic break, a setext
// underline, a code fence), so that text on a line of its own stays text.
// It adds a backslash only in those cases, as every backslash shows when
// the ticket is read as plain text.
func mdLineStart(line string) string {
	if line == "" {
		return line
	}
	onlyOf := func(c byte) bool { return strings.Trim(line, string(c)+" ") == "" }
	switch c := line[0]; {
	case c == '#' || c == '>':
		return `\` + line
	case (c == '-' || c == '+' || c == '*') && (len(line) == 1 || line[1] == ' ' || onlyOf(c)):
		return `\` + line
	case c == '=' && onlyOf(c), c == '_' && onlyOf(c):
		return `\` + line
	case strings.HasPrefix(line, "```"), strings.HasPrefix(line, "~~~"):
		return `\` + line
	case c >= '0' && c <= '9':
		i := strings.IndexFunc(line, func(r rune) bool { return r < '0' || r > '9' })
		if i > 0 && i <= 9 && (line[i] == '.' || line[i] == ')') && (i+1 == len(line) || line[i+1] == ' ') {
			return line[:i] + `\` + line[i:]
		}
	}
	return line
}

// mdLink writes a link to one of authdoctor's own pages as a CommonMark
// autolink, which every renderer shows as a link and plain text shows as
// the address. Anything that is not a plain http(s) address (it cannot be
// from authdoctor's registry) is written as code instead, never as a link.
func mdLink(url string) string {
	if (strings.HasPrefix(url, "https://") || strings.HasPrefix(url, "http://")) &&
		!strings.ContainsAny(url, " <>\"'`\\") && !strings.ContainsFunc(url, func(r rune) bool { return r < 0x21 || r == 0x7f }) {
		return "<" + url + ">"
	}
	return mdCode(url)
}
