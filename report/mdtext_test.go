package report

import (
	"strings"
	"testing"
)

func TestMarkdownEscaping(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) string
		in   string
		want string
	}{
		{"cell pipe", mdCell, "a | b", `a \| b`},
		{"cell newline", mdCell, "line one\nline two", "line one<br>line two"},
		{"cell crlf", mdCell, "one\r\ntwo", "one<br>two"},
		{"cell html", mdCell, "<html><body>502", "&lt;html>&lt;body>502"},
		{"cell trims", mdCell, "  padded \n", "padded"},
		{"text html", mdText, "resource_access.<client>.roles", "resource_access.&lt;client>.roles"},
		{"text link", mdText, "[reset your password](https://evil.example/)", `[reset your password]\(https://evil.example/)`},
		{"text image", mdText, "![](https://evil.example/pixel.png)", `![]\(https://evil.example/pixel.png)`},
		{"text reference link", mdText, "[here][1]", `[here]\[1]`},
		{"text autolink", mdText, "<https://evil.example/>", "&lt;https://evil.example/>"},
		{"text brackets stay", mdText, "realm roles [admin, user]", "realm roles [admin, user]"},
		{"code plain", mdCode, "MISSING_ROLE", "`MISSING_ROLE`"},
		{"code backtick", mdCode, "a`b", "``a`b``"},
		{"code edge backtick", mdCode, "`x`", "`` `x` ``"},
		{"code empty", mdCode, "", ""},
		{"code newline", mdCode, "a\nb", "`a b`"},
		{"fence plain", mdFence, "kcadm.sh get realms", "```"},
		{"fence with fence", mdFence, "echo ```", "````"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.fn(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestMarkdownTableRowsStayRows checks that hostile messages cannot break
// the checks table: every row keeps exactly five unescaped pipes.
func TestMarkdownTableRowsStayRows(t *testing.T) {
	r := Report{Checks: []CheckResult{{
		ID: "graphql", Status: Fail, Code: "NOT_GRAPHQL",
		Message: "got <html>\n| not | a | table |\nfrom the proxy",
	}}}
	r.Summary = Count(r.Checks)
	out := string(render(t, r, FormatMarkdown, Options{}))
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "| graphql ") {
			if n := strings.Count(line, "|") - strings.Count(line, `\|`); n != 5 {
				t.Errorf("row has %d cell borders: %q", n, line)
			}
			return
		}
	}
	t.Fatalf("no graphql row in\n%s", out)
}
