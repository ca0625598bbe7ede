package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// Unit tests at the bounds mutation testing found unpinned
// (docs/mutation-testing.md): each case fails when one comparison moves by
// one (a `<` become `<=`) or one condition is negated.

func TestShorteningBounds(t *testing.T) {
	for _, tc := range []struct {
		name, got, want string
	}{
		// Width 1 still shortens; 0 (unknown) leaves the text alone.
		{"fitWords 1", fitWords("ab c", 1), "… c"},
		{"fitWords 0", fitWords("ab c", 0), "ab c"},
		{"fitLists 1", fitLists("[a, b, c]", 1), "[a, …, c]"},
		{"fitLists 0", fitLists("[a, b, c]", 0), "[a, b, c]"},
		{"ellipsize 1", ellipsize("abc", 1), "…"},
		{"ellipsize 0", ellipsize("abc", 0), "abc"},
		// A list at the start of the line.
		{"list first", fitLists("[aaaa, bbbb, cccc, dddd] x", 18), "[aaaa, …, dddd] x"},
		// Exactly as wide as the room: kept whole.
		{"list exact", shortenList("[aa, bb, cc]", 12), "[aa, bb, cc]"},
		{"list one over", shortenList("[aa, bb, cc]", 11), "[aa, …, cc]"},
		{"word exact", shortenMiddle("abcdef", 6), "abcdef"},
		{"word one over", shortenMiddle("abcdef", 5), "ab…ef"},
		{"ellipsize exact", ellipsize("abcdef", 6), "abcdef"},
		{"ellipsize fills the room", ellipsize("abcdef", 4), "abc…"},
		// Three items are shortened, fewer are left to the word rule.
		{"three items", shortenList("[aaaa, bbbb, cccc]", 16), "[aaaa, …, cccc]"},
		{"two items", shortenList("[aaaaaaaa, bbbbbbbb]", 10), "[aaaaaaaa, bbbbbbbb]"},
		{"space separated", shortenList("[aaaa bbbb cccc dddd]", 15), "[aaaa … dddd]"},
		// Wide only for its spacing: every item but the last fits, so the
		// list is kept as it is rather than given an ellipsis.
		{"loose spacing", shortenList("[a,    b,    c]", 12), "[a,    b,    c]"},
		// The head takes items while they fit the budget exactly
		// (width 21: "[aaaa, bbbb, …, dddd]" is 21 columns).
		{"head fills the budget", shortenList("[aaaa, bbbb, cccc, dddd]", 21), "[aaaa, bbbb, …, dddd]"},
		{"head one short", shortenList("[aaaa, bbbb, cccc, dddd]", 20), "[aaaa, …, dddd]"},
		// The separator counts before every item but the first.
		{"separators", shortenList("[aaaa, bbbb, cccc, dddd, eeee]", 26), "[aaaa, bbbb, …, eeee]"},
		{"separators, three fit", shortenList("[aaaa, bbbb, cccc, dddd, eeee]", 27), "[aaaa, bbbb, cccc, …, eeee]"},
		// A URL keeps its scheme and host when they take at most half the
		// room (room 30: host 15 columns), else a third.
		{"host half the room", shortenMiddle("http://abcdefgh/realms/acme-corporation-europe", 31), "http://abcdefgh…poration-europe"},
		{"host over half", shortenMiddle("http://abcdefgh/realms/acme-corporation-europe", 30), "http://ab…e-corporation-europe"},
		{"empty host", shortenMiddle("https:///realms/acme/protocol/openid-connect", 20), "https://…nid-connect"},
		{"scheme separator first", shortenMiddle("://abcdefghij/klmnopqrstuv", 13), "://a…opqrstuv"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}

func TestShortDurationBound(t *testing.T) {
	for d, want := range map[time.Duration]string{
		99 * time.Millisecond:    "99ms",
		100 * time.Millisecond:   "0.1s",
		12345 * time.Millisecond: "12.3s",
	} {
		if got := shortDuration(d); got != want {
			t.Errorf("shortDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

// A run time of 0 (unknown) is left out everywhere rather than shown as
// "0ms".
func TestZeroDurationIsNotShown(t *testing.T) {
	var b bytes.Buffer
	writeVerdict(&b, Report{Summary: Summary{Passed: 1}}, false, 80)
	if got := b.String(); got != "1 passed — exit code 0\n" {
		t.Errorf("verdict: %q", got)
	}
	b.Reset()
	writeVerdict(&b, Report{Summary: Summary{Passed: 1}, Duration: time.Millisecond}, false, 80)
	if got := b.String(); got != "1 passed in 1ms — exit code 0\n" {
		t.Errorf("verdict: %q", got)
	}
	l := &Live{}
	if got := l.outcome(liveCheck{status: Pass}); got != "PASS" {
		t.Errorf("live: %q", got)
	}
	if got := l.outcome(liveCheck{status: Pass, duration: time.Millisecond}); got != "PASS 1ms" {
		t.Errorf("live: %q", got)
	}
	doc := &mdBlocks{}
	writeMarkdownEnvironment(doc, Report{})
	if strings.Contains(doc.String(), "Run time") {
		t.Errorf("markdown: %s", doc.String())
	}
	if got := suiteDuration(Report{Checks: []CheckResult{{Duration: time.Second}, {Duration: 2 * time.Second}}}); got != 3*time.Second {
		t.Errorf("suite duration without a wall time: %v", got)
	}
	if got := suiteDuration(Report{Duration: time.Second, Checks: []CheckResult{{Duration: 5 * time.Second}}}); got != time.Second {
		t.Errorf("suite duration: %v", got)
	}
}

// Empty sections have no heading.
func TestEmptySectionsAreLeftOut(t *testing.T) {
	if body := junitFailureBody(CheckResult{Message: "m"}); strings.Contains(body, "Details:") {
		t.Errorf("junit: %q", body)
	}
	if body := junitFailureBody(CheckResult{Details: map[string]any{"k": "v"}}); !strings.Contains(body, "Details:\n  k: v\n") {
		t.Errorf("junit: %q", body)
	}
	doc := &mdBlocks{}
	writeMarkdownProblem(doc, CheckResult{ID: "realm", Status: Fail, Message: "m"}, "")
	if strings.Contains(doc.String(), "Details") {
		t.Errorf("markdown problem: %s", doc.String())
	}
	doc = &mdBlocks{}
	writeMarkdownDoc(doc, CodeDoc{Code: "X", Meaning: "m"})
	if strings.Contains(doc.String(), "causes") {
		t.Errorf("markdown doc: %s", doc.String())
	}
}

func TestToolName(t *testing.T) {
	if got := toolName(Report{}); got != "authdoctor" {
		t.Errorf("default: %q", got)
	}
	if got := toolName(Report{Tool: Tool{Name: "authdoctor-dev"}}); got != "authdoctor-dev" {
		t.Errorf("named: %q", got)
	}
}

// XML 1.0's Char production, at each end of each range.
func TestXMLSafeRanges(t *testing.T) {
	for _, tc := range []struct {
		r    rune
		kept bool
	}{
		{0x08, false}, {0x09, true}, {0x0a, true}, {0x0b, false}, {0x0c, false}, {0x0d, true}, {0x0e, false},
		{0x1f, false}, {0x20, true}, {0x7f, true}, {0xd7ff, true},
		{0xe000, true}, {0xfffd, true}, {0xfffe, false}, {0xffff, false},
		{0x10000, true}, {0x10ffff, true},
	} {
		in := "a" + string(tc.r) + "b"
		want := "a\uFFFDb"
		if tc.kept {
			want = in
		}
		if got := xmlSafe(in); got != want {
			t.Errorf("U+%04X: %q, want %q", tc.r, got, want)
		}
	}
}

func TestMarkdownLineStartNumbers(t *testing.T) {
	for in, want := range map[string]string{
		"1. x":          `1\. x`,
		"1.":            `1\.`,
		"10. x":         `10\. x`,
		"19) x":         `19\) x`,
		"123456789. x":  `123456789\. x`,
		"1234567890. x": "1234567890. x", // CommonMark: at most nine digits
		"1.5 GB":        "1.5 GB",
		"2024":          "2024",
		"3 attempts":    "3 attempts",
	} {
		if got := mdLineStart(in); got != want {
			t.Errorf("mdLineStart(%q) = %q, want %q", in, got, want)
		}
	}
	for url, link := range map[string]bool{
		"https://x.example/a!b":  true, // '!' (0x21) is the first printable character
		"https://x.example/a b":  false,
		"https://x.example/\x7f": false,
		"ftp://x.example/":       false,
	} {
		if got := strings.HasPrefix(mdLink(url), "<"); got != link {
			t.Errorf("mdLink(%q) = %q", url, mdLink(url))
		}
	}
}

// Event lists are sanitised field by field, types and rows included.
func TestEventListSanitized(t *testing.T) {
	l := EventList{Realm: "r\x1b", Types: []string{"LOGIN\x1b[2J"}, Rows: []EventRow{{Code: "C\x07"}}}.sanitized()
	if l.Realm != `r\x1b` || l.Types[0] != `LOGIN\x1b[2J` || l.Rows[0].Code != `C\x07` {
		t.Errorf("%+v", l)
	}
	if empty := (EventList{}).sanitized(); empty.Types != nil || empty.Rows != nil {
		t.Errorf("nil lists stay nil: %+v", empty)
	}
}

// The CODE column is kept while the message column has 50 columns: with
// the shortest id and code columns (5 and 4) and three gaps of two, at a
// width of 72 (the last column stays free).
func TestLayoutCodeColumnBound(t *testing.T) {
	checks := []CheckResult{{ID: "realm"}}
	if l := layoutFor(checks, Options{Width: 72}); !l.codeColumn || l.wordWidth != 50 {
		t.Errorf("72 columns: %+v", l)
	}
	if l := layoutFor(checks, Options{Width: 71}); l.codeColumn {
		t.Errorf("71 columns: %+v", l)
	}
}

// A failure without a title is its message cut to the room the code
// leaves: one line, exactly filling the column.
func TestRowMessageCutsToTheRoomLeft(t *testing.T) {
	c := CheckResult{ID: "realm", Status: Fail, Code: "SOME_CODE", Message: strings.Repeat("word ", 30)}
	got := rowMessage(c, tableLayout{messageWidth: 60})
	if strings.Contains(got, "\n") || twwidth.Width(got) != 60 || !strings.HasPrefix(got, "SOME_CODE: word") || !strings.HasSuffix(got, "…") {
		t.Errorf("%q (%d columns)", got, twwidth.Width(got))
	}
}

// On a narrow terminal no line of the table output reaches its last
// column: the problem blocks wrap their fix to the room left.
func TestNarrowTableLeavesTheLastColumnFree(t *testing.T) {
	fix := strings.Repeat("ab ", 60)
	r := Report{Checks: []CheckResult{{ID: "realm", Status: Fail, Code: "SOME_CODE", Message: fix, Fix: fix}}, Summary: Summary{Failed: 1}, ExitCode: 1}
	for _, width := range []int{50, 64} {
		out, err := renderTable(r, Options{Width: width})
		if err != nil {
			t.Fatal(err)
		}
		longest := 0
		for _, line := range strings.Split(string(out), "\n") {
			longest = max(longest, twwidth.Width(line))
		}
		if longest > width-1 {
			t.Errorf("width %d: a line of %d columns:\n%s", width, longest, out)
		}
		if longest < width-2 {
			t.Errorf("width %d: the widest line is %d columns: the blocks do not use the room", width, longest)
		}
	}
}

// Two commands on one line only when the line is narrower than the
// terminal; otherwise one per line.
func TestVerdictCommandsBound(t *testing.T) {
	r := Report{Checks: []CheckResult{{ID: "a", Status: Fail, Code: "A_CODE"}, {ID: "b", Status: Fail, Code: "B_CODE"}}, Summary: Summary{Failed: 2}, ExitCode: 1}
	line := "Run 'authdoctor explain A_CODE' or 'authdoctor explain B_CODE' for details."
	for width, oneLine := range map[int]bool{twwidth.Width(line) + 1: true, twwidth.Width(line): false} {
		var b bytes.Buffer
		writeVerdict(&b, r, false, width)
		if got := strings.Contains(b.String(), line); got != oneLine {
			t.Errorf("width %d: %s", width, b.String())
		}
	}
}
