package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in      string
		want    Format
		wantErr bool
	}{
		{"table", FormatTable, false},
		{"json", FormatJSON, false},
		{"markdown", FormatMarkdown, false},
		{"junit", FormatJUnit, false},
		{"short", FormatShort, false},
		{" JSON ", FormatJSON, false},
		{"xml", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseFormat(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("ParseFormat(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), "table, json, markdown, junit, short") {
				t.Errorf("error %q does not list the valid formats", err)
			}
		})
	}
}

func TestFormatForFile(t *testing.T) {
	tests := []struct {
		path    string
		want    Format
		wantErr bool
	}{
		{"report.json", FormatJSON, false},
		{"out/report.md", FormatMarkdown, false},
		{"REPORT.MARKDOWN", FormatMarkdown, false},
		{"junit.xml", FormatJUnit, false},
		{"chat.txt", FormatShort, false},
		{"report.csv", "", true},
		{"report", "", true},
		{"archive.json.gz", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, err := FormatForFile(tt.path)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("FormatForFile(%q) = %q, %v; want %q, error %v", tt.path, got, err, tt.want, tt.wantErr)
			}
			if err != nil {
				for _, ext := range []string{".json", ".md", ".markdown", ".xml", ".txt"} {
					if !strings.Contains(err.Error(), ext) {
						t.Errorf("error %q does not name %s", err, ext)
					}
				}
			}
		})
	}
}

func TestRenderRejectsUnknownFormat(t *testing.T) {
	var b bytes.Buffer
	if err := Render(&b, Format("yaml"), failingReport(), Options{}); err == nil {
		t.Fatal("Render accepted an unknown format")
	}
	if b.Len() != 0 {
		t.Errorf("Render wrote %q for an unknown format", b.String())
	}
}

// TestColorOnlyWhenAsked checks that no renderer writes an escape sequence
// unless the caller turned colour on: files and pipes must stay clean.
func TestColorOnlyWhenAsked(t *testing.T) {
	for _, run := range testRuns() {
		for _, f := range Formats() {
			if out := render(t, run.report, f, Options{}); bytes.Contains(out, []byte("\x1b[")) {
				t.Errorf("%s/%s: escape sequence without Options.Color", run.name, f)
			}
		}
		if out := render(t, run.report, FormatTable, Options{Color: true}); !bytes.Contains(out, []byte("\x1b[")) {
			t.Errorf("%s/table: no colour with Options.Color", run.name)
		}
	}
}

func TestEmptyReportRenders(t *testing.T) {
	for _, f := range Formats() {
		t.Run(string(f), func(t *testing.T) {
			if out := render(t, Report{}, f, Options{}); len(out) == 0 {
				t.Error("no output for an empty report")
			}
		})
	}
}

// TestTableFitsTheTerminal: at the terminal's width no line of the table
// output is wider, but for a line whose only word is a link (a code's page,
// which is never cut so that it can be opened and copied) and a fix's
// command lines.
func TestTableFitsTheTerminal(t *testing.T) {
	for _, run := range testRuns() {
		for _, width := range []int{80, 90, 100, 120} {
			for _, color := range []bool{false, true} {
				out := string(render(t, run.report, FormatTable, Options{Width: width, Color: color}))
				inRun := false
				for _, line := range strings.Split(stripSGR(out), "\n") {
					// A fix's commands ("  Run: ..." and the lines under it)
					// are never cut either, so that each can be copied.
					inRun = strings.HasPrefix(line, "  Run: ") || (inRun && strings.HasPrefix(line, "       "))
					if n := utf8.RuneCountInString(line); n >= width && !isLinkLine(line) && !inRun {
						t.Errorf("%s at %d columns (color %v): line of %d columns: %q", run.name, width, color, n, line)
					}
				}
			}
		}
	}
}

// isLinkLine: a line that is one link, after a label or not (a code's
// page, "  Docs: https://...", or a URL in a problem block, kept whole on a
// line of its own by WrapText).
func isLinkLine(line string) bool {
	f := strings.Fields(line)
	if len(f) == 2 && strings.HasSuffix(f[0], ":") {
		f = f[1:]
	}
	return len(f) == 1 && strings.HasPrefix(f[0], "https://")
}

// stripSGR removes colour sequences, which take no columns.
func stripSGR(s string) string { return sgrSequence.ReplaceAllString(s, "") }

var sgrSequence = regexp.MustCompile("\x1b\\[[0-9;]*m")
