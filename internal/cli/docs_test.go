package cli

import (
	"bytes"
	"flag"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/authdoctor/authdoctor/checks"
)

// update rewrites the generated files instead of comparing with them:
// docs/codes/, docs/authdoctor.1 and testdata/help/.
var update = flag.Bool("update", false, "rewrite docs/codes/, docs/authdoctor.1 and testdata/help/ from the code")

// assertGenerated compares a generated file with its output, or rewrites it
// under -update.
func assertGenerated(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v (go test ./internal/cli -run %s -update writes it)", path, err, t.Name())
	}
	if string(want) != got {
		t.Fatalf("%s is out of date: go test ./internal/cli -run %s -update rewrites it\n%s", path, strings.SplitN(t.Name(), "/", 2)[0], firstDifference(string(want), got))
	}
}

// firstDifference shows the first line that differs.
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n  file: " + wl + "\n  now:  " + gl
		}
	}
	return ""
}

const codesDir = "../../docs/codes"

// docs/codes/ holds exactly one page per code, each the output of
// `authdoctor explain -o markdown CODE`, and the index.
func TestCodeDocs(t *testing.T) {
	want := map[string]bool{"README.md": true}
	for _, c := range checks.Codes() {
		want[c.ID+".md"] = true
		run := runCLI(t, nil, "explain", "-o", "markdown", c.ID)
		if run.code != exitOK || run.stderr != "" {
			t.Fatalf("explain -o markdown %s: exit %d\n%s", c.ID, run.code, run.stderr)
		}
		t.Run(c.ID, func(t *testing.T) { assertGenerated(t, filepath.Join(codesDir, c.ID+".md"), run.stdout) })
	}
	index := runCLI(t, nil, "explain", "-o", "markdown")
	if index.code != exitOK {
		t.Fatalf("explain -o markdown: exit %d\n%s", index.code, index.stderr)
	}
	t.Run("README", func(t *testing.T) { assertGenerated(t, filepath.Join(codesDir, "README.md"), index.stdout) })
	entries, err := os.ReadDir(codesDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !want[e.Name()] {
			if *update {
				_ = os.Remove(filepath.Join(codesDir, e.Name()))
				continue
			}
			t.Errorf("docs/codes/%s is no code's page: remove it (or run -update)", e.Name())
		}
	}
}

// renderMarkdown renders as GitHub does: CommonMark with the GFM
// extensions, raw HTML not rendered.
func renderMarkdown(t *testing.T, src string) string {
	t.Helper()
	var out bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert([]byte(src), &out); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

var (
	tags      = regexp.MustCompile(`<[^>]+>`)
	codeBlock = regexp.MustCompile(`(?s)<pre><code class="language-sh">(.*?)</code></pre>`)
)

// visibleText is what a reader sees of rendered HTML, spaces collapsed.
func visibleText(h string) string {
	return strings.Join(strings.Fields(html.UnescapeString(tags.ReplaceAllString(h, " "))), " ")
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// Each page renders on GitHub as the same text as `authdoctor explain`:
// every word shows as written (no <client> swallowed as HTML, no * or _
// turned into emphasis), the fix steps are a numbered list, the command a
// code block, and the documentation link is the page's own address.
func TestCodeDocsRenderAsTheExplanation(t *testing.T) {
	for _, c := range checks.Codes() {
		t.Run(c.ID, func(t *testing.T) {
			md := runCLI(t, nil, "explain", "-o", "markdown", c.ID).stdout
			page := renderMarkdown(t, md)
			seen := visibleText(page)
			for _, forbidden := range []string{"<em>", "<del>", "raw HTML omitted", "<h1>" + c.ID + "</h1>\n<h1>"} {
				if strings.Contains(page, forbidden) {
					t.Errorf("rendered page contains %q:\n%s", forbidden, page)
				}
			}
			texts := append([]string{c.Title, c.Meaning, c.Console}, c.Causes...)
			for _, step := range strings.Split(c.Fix, "\n") {
				texts = append(texts, stepLine.ReplaceAllString(step, "$2"))
			}
			for _, text := range texts {
				for _, line := range strings.Split(text, "\n") {
					if line = collapse(line); line != "" && !strings.Contains(seen, line) {
						t.Errorf("the rendered page does not show %q\nvisible: %s", line, seen)
					}
				}
			}
			if n := strings.Count(c.Fix, "\n") + 1; strings.HasPrefix(c.Fix, "1. ") && strings.Count(page, "<li>") < n {
				t.Errorf("the %d fix steps are not a list:\n%s", n, page)
			}
			if cmd := strings.Join(c.CommandLines(), "\n"); cmd != "" {
				// The template as a person runs it: login and lookups first.
				m := codeBlock.FindStringSubmatch(page)
				if m == nil || html.UnescapeString(m[1]) != cmd+"\n" {
					t.Errorf("the command is not a code block as written:\n%s", page)
				}
			}
			// The text explanation carries the link to this page.
			text := runCLI(t, nil, "explain", c.ID).stdout
			if !strings.Contains(text, c.DocURL()) || !strings.HasSuffix(c.DocURL(), "/docs/codes/"+c.ID+".md") {
				t.Errorf("explain %s does not print %s:\n%s", c.ID, c.DocURL(), text)
			}
		})
	}
}

// The index links every code to its page, in report order, as a table.
func TestCodesIndexRenders(t *testing.T) {
	page := renderMarkdown(t, runCLI(t, nil, "explain", "-o", "markdown").stdout)
	var links []string
	for _, m := range regexp.MustCompile(`<a href="([A-Z0-9_]+)\.md">([A-Z0-9_]+)</a>`).FindAllStringSubmatch(page, -1) {
		if m[1] != m[2] {
			t.Errorf("link %s points to %s.md", m[2], m[1])
		}
		links = append(links, m[1])
	}
	var ids []string
	for _, c := range checks.Codes() {
		ids = append(ids, c.ID)
	}
	if strings.Join(links, " ") != strings.Join(ids, " ") {
		t.Fatalf("index links %v\nwant %v", links, ids)
	}
	if strings.Count(page, "<table>") < 2 || strings.Contains(page, "raw HTML omitted") {
		t.Fatalf("index does not render as tables:\n%s", page)
	}
}

// mdText keeps every character visible through a CommonMark renderer.
func TestMarkdownEscaping(t *testing.T) {
	for _, in := range []string{
		"Clients > <client> > Credentials",
		"*all* users, _not_ snake_case_names",
		"[REDACTED](not a link) and `not code`",
		"1. not a list",
		"- not a list",
		"# not a heading",
		"a | b ~~c~~ &amp; \\ d",
		"x-hasura-default-role, realm_access.roles[*]",
	} {
		got := visibleText(renderMarkdown(t, mdText(in)))
		if got != collapse(in) {
			t.Errorf("mdText(%q) renders as %q", in, got)
		}
	}
}
