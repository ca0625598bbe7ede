package report

import (
	"strings"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// Shortening for the table's MESSAGE column, and only there, when the
// terminal's width is known: a long realm name, URL or role list is cut in
// the middle with "…" so that the column wraps at word boundaries and no
// row runs past the terminal. JSON, Markdown, JUnit, short and the table's
// problem blocks keep every value whole.

// ellipsis marks what was cut. It is one column wide.
const ellipsis = "…"

// fitWords shortens every word that is wider than width display columns.
// Other text is left as it is.
func fitWords(text string, width int) string {
	if width < 1 {
		return text
	}
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		words := strings.Split(line, " ")
		for j, w := range words {
			if twwidth.Width(w) > width {
				words[j] = shortenMiddle(w, width)
			}
		}
		lines[i] = strings.Join(words, " ")
	}
	return strings.Join(lines, "\n")
}

// fitLists shortens, line by line, every bracketed list ("[a, b, c]")
// wider than width display columns.
func fitLists(text string, width int) string {
	if width < 1 {
		return text
	}
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		lines[i] = shortenLists(line, width)
	}
	return strings.Join(lines, "\n")
}

// shortenLists shortens each "[...]" list in line that is wider than width:
// it keeps the first items that fit (at least the first, shortened if need
// be), "…", and the last item, e.g. "[default-roles-acme, offline_access, …,
// user]". A list with one or two items is left to the word rule.
func shortenLists(line string, width int) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(line, '[')
		if open < 0 {
			break
		}
		end := strings.IndexByte(line[open:], ']')
		if end < 0 {
			break
		}
		end += open
		b.WriteString(line[:open])
		b.WriteString(shortenList(line[open:end+1], width))
		line = line[end+1:]
	}
	b.WriteString(line)
	return b.String()
}

// shortenList shortens one "[...]" list, brackets included.
func shortenList(list string, width int) string {
	if twwidth.Width(list) <= width {
		return list
	}
	inner := list[1 : len(list)-1]
	sep, items := " ", strings.Fields(inner)
	if strings.Contains(inner, ",") {
		sep, items = ", ", nil
		for _, it := range strings.Split(inner, ",") {
			if it = strings.TrimSpace(it); it != "" {
				items = append(items, it)
			}
		}
	}
	if len(items) < 3 {
		return list
	}
	last := items[len(items)-1]
	// "[" + head + sep + "…" + sep + last + "]"
	budget := width - twwidth.Width("[]"+ellipsis+last) - 2*twwidth.Width(sep)
	var head []string
	used := 0
	for _, it := range items[:len(items)-1] {
		w := twwidth.Width(it)
		if len(head) > 0 {
			w += twwidth.Width(sep)
		}
		if used+w > budget {
			break
		}
		head, used = append(head, it), used+w
	}
	if len(head) == 0 {
		// Not even the first item fits: it is shortened itself.
		head = []string{shortenMiddle(items[0], max(budget, 8))}
	}
	if len(head) == len(items)-1 {
		return list
	}
	return "[" + strings.Join(append(head, ellipsis, last), sep) + "]"
}

// shortenMiddle cuts the middle of word to fit width columns. A URL keeps
// its scheme and host (up to half the room, else a third) and gives the
// rest to its end, the realm and path a reader compares; anything else
// keeps its start and end alike.
func shortenMiddle(word string, width int) string {
	if twwidth.Width(word) <= width {
		return word
	}
	if width <= 1 {
		return ellipsis
	}
	room := width - twwidth.Width(ellipsis)
	headW := (room + 1) / 2
	if i := strings.Index(word, "://"); i >= 0 {
		headW = room / 3
		host := word
		if j := strings.IndexByte(word[i+3:], '/'); j >= 0 {
			host = word[:i+3+j]
		}
		if w := twwidth.Width(host); w <= room/2 {
			headW = w
		}
	}
	runes := []rune(word)
	head, w := 0, 0
	for head < len(runes) && w+runeWidth(runes[head]) <= headW {
		w += runeWidth(runes[head])
		head++
	}
	tailW := room - w
	tail, w := len(runes), 0
	for tail > head && w+runeWidth(runes[tail-1]) <= tailW {
		w += runeWidth(runes[tail-1])
		tail--
	}
	return string(runes[:head]) + ellipsis + string(runes[tail:])
}

func runeWidth(r rune) int { return twwidth.Width(string(r)) }

// ellipsize cuts one line of text at its end to fit width columns.
func ellipsize(text string, width int) string {
	text = oneLine(text)
	if width < 1 || twwidth.Width(text) <= width {
		return text
	}
	var b strings.Builder
	w := 0
	for _, r := range text {
		if w+runeWidth(r) > width-twwidth.Width(ellipsis) {
			break
		}
		b.WriteRune(r)
		w += runeWidth(r)
	}
	return strings.TrimRight(b.String(), " ") + ellipsis
}
