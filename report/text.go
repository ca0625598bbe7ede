package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/olekukonko/tablewriter/pkg/twwarp"
)

// WrapText breaks text into lines of at most width display columns, keeping
// the author's own line breaks. It uses the same algorithm as the table's
// cells so that the table and the blocks under it wrap alike. A word longer
// than width (a URL) stays whole on its own line.
func WrapText(text string, width int) []string {
	var lines []string
	for _, paragraph := range strings.Split(text, "\n") {
		if strings.TrimSpace(paragraph) == "" {
			lines = append(lines, "")
			continue
		}
		wrapped, _ := twwarp.WrapString(paragraph, width)
		lines = append(lines, wrapped...)
	}
	return lines
}

// oneLine collapses all white space, line breaks included, into single
// spaces, for formats where a result must stay on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// shortDuration writes a duration the way people read timings: "43ms" below a
// tenth of a second, "0.4s" or "12.3s" above.
func shortDuration(d time.Duration) string {
	if d < 100*time.Millisecond {
		return fmt.Sprintf("%dms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1fs", d.Seconds())
}

// plural writes "1 check" or "2 checks".
func plural(n int, singular, pluralForm string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, singular)
	}
	return fmt.Sprintf("%d %s", n, pluralForm)
}

// countsPhrase writes the summary as "1 failed, 1 warned, 3 passed, 1
// skipped", worst first, leaving out statuses that did not occur; with color
// each part takes its status's colour.
func countsPhrase(s Summary, color bool) string {
	var parts []string
	for _, p := range []struct {
		n      int
		status Status
		word   string
	}{{s.Failed, Fail, "failed"}, {s.Warned, Warn, "warned"}, {s.Passed, Pass, "passed"}, {s.Skipped, Skip, "skipped"}} {
		if p.n > 0 {
			parts = append(parts, paint(color, statusColor(p.status), fmt.Sprintf("%d %s", p.n, p.word)))
		}
	}
	if len(parts) == 0 {
		return "no checks ran"
	}
	return strings.Join(parts, ", ")
}
