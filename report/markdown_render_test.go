package report

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// commonMark renders src as GitHub and GitLab do: CommonMark with the GFM
// extensions (tables, autolinked addresses, strikethrough, task lists).
// It returns the syntax tree and the HTML.
func commonMark(t *testing.T, src []byte) (ast.Node, []byte, string) {
	t.Helper()
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	doc := md.Parser().Parse(text.NewReader(src))
	var out bytes.Buffer
	if err := md.Renderer().Render(&out, src, doc); err != nil {
		t.Fatal(err)
	}
	return doc, src, out.String()
}

var (
	htmlTag     = regexp.MustCompile(`<[^>]+>`)
	orderedList = regexp.MustCompile(`(?s)<ol>(.*?)</ol>`)
	listItem    = regexp.MustCompile(`(?s)<li>(.*?)</li>`)
	codeElement = regexp.MustCompile(`(?s)<code>(.*?)</code>`)
	fixStep     = regexp.MustCompile(`^\d+\. (.*)$`)
)

// visible is what a reader sees of some HTML: the text, spaces collapsed.
func visible(h string) string {
	return strings.Join(strings.Fields(html.UnescapeString(htmlTag.ReplaceAllString(h, " "))), " ")
}

// markdownRuns are the fixture reports, the hostile one, and one whose
// event cells hold a table's pipe and backticks.
func markdownRuns() []testRun {
	pipes := failingReport()
	pipes.Checks[2].Events = []Event{{Time: time.Date(2025, 3, 14, 9, 30, 12, 0, time.UTC), Type: "LOGIN_ERROR",
		Client: "a|b `c`", User: "alice", Error: "invalid_user_credentials", Details: map[string]string{"reason": "x | y"}}}
	return append(testRuns(), testRun{"hostile", hostileReport()}, testRun{"pipes", pipes})
}

// TestMarkdownRendersAsATicket renders every Markdown report with a
// CommonMark library and checks what the reader of the ticket sees.
func TestMarkdownRendersAsATicket(t *testing.T) {
	for _, run := range markdownRuns() {
		t.Run(run.name, func(t *testing.T) {
			doc, src, page := commonMark(t, render(t, run.report, FormatMarkdown, Options{}))

			// No raw HTML reaches the page, and no link but a code's page
			// (an autolink) and plain addresses (GFM links them as written):
			// a server cannot put a link under words of its choosing, nor
			// an image that loads when the ticket is opened.
			err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
				if !entering {
					return ast.WalkContinue, nil
				}
				switch n := n.(type) {
				case *ast.RawHTML, *ast.HTMLBlock:
					t.Errorf("raw HTML in the page: %s", n.Kind())
				case *ast.Link:
					t.Errorf("a link to %s", n.Destination)
				case *ast.Image:
					t.Errorf("an image from %s", n.Destination)
				case *ast.AutoLink:
					if url, label := string(n.URL(src)), string(n.Label(src)); url != label && "http://"+label != url {
						t.Errorf("autolink %q shows %q", url, label)
					}
				}
				return ast.WalkContinue, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(page, "raw HTML omitted") {
				t.Errorf("raw HTML in the page:\n%s", page)
			}

			// The checks are a table, a row per check.
			first := page[strings.Index(page, "<table>"):]
			first = first[:strings.Index(first, "</table>")]
			if rows := strings.Count(first, "<tr>"); rows != len(run.report.Checks)+1 {
				t.Errorf("checks table has %d rows, want %d:\n%s", rows, len(run.report.Checks)+1, first)
			}

			// Numbered fix steps are ordered lists, step for step; every
			// problem links to its code's page.
			var want [][]string
			for _, c := range problems(run.report.Checks) {
				var steps []string
				for _, line := range strings.Split(c.Fix, "\n") {
					if m := fixStep.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
						steps = append(steps, strings.Join(strings.Fields(m[1]), " "))
					}
				}
				if len(steps) > 0 {
					want = append(want, steps)
				}
				if url := docURL(c); url != "" && !strings.Contains(page, `<a href="`+url+`">`+url+`</a>`) {
					t.Errorf("%s: no link to %s", c.ID, url)
				}
			}
			lists := orderedList.FindAllStringSubmatch(page, -1)
			if len(lists) != len(want) {
				t.Fatalf("%d ordered lists, want %d (the fixes' steps):\n%s", len(lists), len(want), page)
			}
			for i, l := range lists {
				var got []string
				for _, item := range listItem.FindAllStringSubmatch(l[1], -1) {
					got = append(got, visible(item[1]))
				}
				if strings.Join(got, "\n") != strings.Join(want[i], "\n") {
					t.Errorf("list %d renders as\n%s\nwant\n%s", i, strings.Join(got, "\n"), strings.Join(want[i], "\n"))
				}
			}

			// What was observed reads as the server said it, and evidence
			// stays code (nothing in it is taken as markup).
			// (What Render shows is the sanitised report: control
			// characters escaped.)
			seen := visible(page)
			var codes []string
			for _, m := range codeElement.FindAllStringSubmatch(page, -1) {
				codes = append(codes, html.UnescapeString(m[1]))
			}
			for _, c := range problems(run.report.sanitized().Checks) {
				if msg := oneLine(c.Message); !strings.Contains(seen, msg) {
					t.Errorf("%s: the message does not read as written: %q", c.ID, msg)
				}
				for _, d := range sortedDetails(c.Details) {
					wantCode(t, codes, d.Key)
					wantCode(t, codes, d.Value)
				}
				for _, e := range c.Events {
					for _, v := range []string{e.Client, e.User, e.Error} {
						if v != "" {
							wantCode(t, codes, v)
						}
					}
				}
			}
		})
	}
}

func wantCode(t *testing.T, codes []string, value string) {
	t.Helper()
	value = oneLine(value)
	for _, c := range codes {
		if c == value {
			return
		}
	}
	t.Errorf("%q is not one code element; code elements:\n%s", value, strings.Join(codes, "\n"))
}

// TestMarkdownFixBlocks: the shapes a fix takes (registry steps, a hint
// before them, prose) and text that would otherwise start a block.
func TestMarkdownFixBlocks(t *testing.T) {
	tests := []struct {
		name, fix string
		want      []string
	}{
		{"steps", "1. One.\n2. Two.", []string{"**Fix:**", "1. One.\n2. Two."}},
		{"hint then steps", "Fix the clock.\n1. One.\n2. Two.", []string{"**Fix:** Fix the clock.", "1. One.\n2. Two."}},
		{"prose", "Remove --insecure.", []string{"**Fix:** Remove --insecure."}},
		{"prose lines", "Line one.\n# not a heading\n- not a list\n3) not a list", []string{"**Fix:** Line one.\n\\# not a heading\n\\- not a list\n3\\) not a list"}},
		{"step text", "1. > not a quote <b>", []string{"**Fix:**", "1. \\> not a quote &lt;b>"}},
		{"steps then prose", "1. One.\nThen rerun.", []string{"**Fix:**", "1. One.", "Then rerun."}},
		{"empty", " \n ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mdFixBlocks(tt.fix); strings.Join(got, "\n\n") != strings.Join(tt.want, "\n\n") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMarkdownLink(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://github.com/authdoctor/authdoctor/blob/main/docs/codes/X.md", "<https://github.com/authdoctor/authdoctor/blob/main/docs/codes/X.md>"},
		{"https://evil.example/a>b", "`https://evil.example/a>b`"},
		{"javascript:alert(1)", "`javascript:alert(1)`"},
		{"https://a b", "`https://a b`"},
	}
	for _, tt := range tests {
		if got := mdLink(tt.in); got != tt.want {
			t.Errorf("mdLink(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
