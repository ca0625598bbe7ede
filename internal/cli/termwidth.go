package cli

import (
	"strconv"
	"strings"
)

// tableWidth is the width the table report fits: the terminal's when
// stdout is one, else $COLUMNS when it is set to a number (a person piping
// the report into less, or a CI log of known width: COLUMNS=80 authdoctor
// check | less), else 0: unknown, and the table keeps its default layout.
// Unlike the help (helpWidth), it has no upper bound: the table's message
// column stops growing by itself.
func (a *app) tableWidth() int {
	if a.streams.OutTTY && a.streams.OutWidth > 0 {
		return a.streams.OutWidth
	}
	if n, err := strconv.Atoi(strings.TrimSpace(a.env["COLUMNS"])); err == nil && n > 0 {
		return n
	}
	return 0
}
