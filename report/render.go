package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// Format names one way of writing a Report.
type Format string

// The formats, as the user spells them on the command line.
const (
	FormatTable    Format = "table"    // for people at a terminal
	FormatJSON     Format = "json"     // for programs: the stable schema v1 document
	FormatMarkdown Format = "markdown" // for tickets: pasted into GitHub, Jira or Zendesk as is
	FormatJUnit    Format = "junit"    // for CI dashboards
	FormatShort    Format = "short"    // for chat: problems only, one line each and its code's page under it
)

// Formats returns every format in the order help texts list them.
func Formats() []Format {
	return []Format{FormatTable, FormatJSON, FormatMarkdown, FormatJUnit, FormatShort}
}

// ParseFormat reads a format name as typed by the user (case and surrounding
// spaces do not matter).
func ParseFormat(s string) (Format, error) {
	want := Format(strings.ToLower(strings.TrimSpace(s)))
	for _, f := range Formats() {
		if f == want {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown output format %q: valid formats are %s", s, formatList())
}

// fileExtensions maps a report file's extension to its format. It is a
// function, not a package variable, so nothing can change it at run time.
func fileExtensions() []struct {
	ext    string
	format Format
} {
	return []struct {
		ext    string
		format Format
	}{
		{".json", FormatJSON},
		{".md", FormatMarkdown},
		{".markdown", FormatMarkdown},
		{".xml", FormatJUnit},
		{".txt", FormatShort},
	}
}

// FormatForFile picks the format of a report file from its extension, so
// that `--output report.md` needs no separate format flag.
func FormatForFile(path string) (Format, error) {
	ext := strings.ToLower(filepath.Ext(path))
	for _, e := range fileExtensions() {
		if e.ext == ext {
			return e.format, nil
		}
	}
	return "", fmt.Errorf("cannot tell the report format of %q from its extension: use .json (JSON), .md or .markdown (Markdown), .xml (JUnit) or .txt (short)", path)
}

// Options are the caller's decisions about the output device.
type Options struct {
	// Color enables ANSI colours. The caller sets it only for a terminal
	// and when NO_COLOR is not set; renderers never look at the environment.
	Color bool
	// Width is the terminal's width in columns ($COLUMNS in a pipe), 0 when
	// unknown (a file): the table then keeps its default layout and
	// shortens nothing. Below about 100 columns the code leads the message
	// instead of having a column.
	Width int
}

// Render writes r to w in format f. Each renderer builds its whole output
// before writing it, so a failed render leaves nothing half-written and a
// write error is reported once.
//
// Every renderer gets the report sanitised (MapText with package sanitize):
// no control character in a server's text, or anyone's, reaches a terminal,
// a file or a CI log except shown escaped, whatever the format.
func Render(w io.Writer, f Format, r Report, o Options) error {
	var (
		out []byte
		err error
	)
	r = r.sanitized()
	switch f {
	case FormatTable:
		out, err = renderTable(r, o)
	case FormatJSON:
		out, err = renderJSON(r)
	case FormatMarkdown:
		out, err = renderMarkdown(r)
	case FormatJUnit:
		out, err = renderJUnit(r)
	case FormatShort:
		out, err = renderShort(r)
	default:
		return fmt.Errorf("unknown output format %q: valid formats are %s", string(f), formatList())
	}
	if err != nil {
		return fmt.Errorf("render %s report: %w", f, err)
	}
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("write %s report: %w", f, err)
	}
	return nil
}

func formatList() string {
	names := make([]string, 0, len(Formats()))
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}
