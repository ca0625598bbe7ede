package report

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// fill sets every string it can reach in v (fields, elements, map keys and
// values, at any depth) to mark, creating one element in each slice and
// map and allocating pointers, so that MapText's coverage can be checked.
func fill(v reflect.Value, mark string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(mark)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), mark)
			}
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), mark)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), mark)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k := reflect.New(v.Type().Key()).Elem()
		fill(k, mark)
		e := reflect.New(v.Type().Elem()).Elem()
		if e.Kind() == reflect.Interface {
			e.Set(reflect.ValueOf(map[string]any{mark: []any{mark, 1.5, true}}))
		} else {
			fill(e, mark)
		}
		m.SetMapIndex(k, e)
		v.Set(m)
	}
}

// TestMapTextReachesEveryField: a text field added to the model and not to
// MapText would escape sanitising and scrubbing; this fails until it is added.
func TestMapTextReachesEveryField(t *testing.T) {
	const mark = "MARK\x1b"
	var r Report
	fill(reflect.ValueOf(&r).Elem(), mark)
	got := r.MapText(func(s string, _ bool) string { return strings.ReplaceAll(s, mark, "done") })
	b, err := json.Marshal(got) // every exported field, every detail
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "MARK") {
		t.Fatalf("MapText left a field unmapped:\n%s", b)
	}
	// The original is untouched.
	if r.Checks[0].Message != mark || r.Checks[0].Details[mark] == nil || r.Checks[0].Events[0].Details[mark] != mark {
		t.Fatal("MapText changed its input")
	}
}

// hostileReport carries, in every field a server can fill, what a hostile
// server would send: escape sequences, C1 controls, bidi overrides, line
// breaks, Markdown links and images, HTML, XML's CDATA end.
func hostileReport() Report {
	evil := "\x1b[2J\x1b]0;pwned\x07\x1b]52;c;aGk=\x07 \u009b31m \x9b \u202e \r\nforged line [click](https://evil.example/) ![img](https://evil.example/p.png) [x][r] <img src=x onerror=alert(1)> ]]> \x00"
	r := Report{
		Tool:   Tool{Name: "authdoctor", Version: "0.1.0"},
		Target: Target{KeycloakURL: "https://sso.example.com", Realm: "tenant-acme", ClientID: "admin-portal", Grant: "password"},
		Checks: []CheckResult{{
			ID: "credentials", Title: "Credentials", Status: Fail, Code: "GRANT_REJECTED",
			Message: "Keycloak answered 400 " + evil, Fix: "Step one.\n" + evil, Duration: time.Second,
			Details: map[string]any{"error": evil, evil: []any{evil, map[string]any{"nested": evil}}, "list": []string{evil}},
			Doc:     &CodeDoc{Code: "GRANT_REJECTED", Severity: "fail", Title: "t", Meaning: "m", Causes: []string{"c"}, Fix: "f"},
			Events:  []Event{{Time: time.Unix(0, 0), Type: "LOGIN_ERROR", Client: evil, User: evil, IP: evil, Error: evil, Details: map[string]string{evil: evil}}},
		}, {ID: "graphql", Title: "GraphQL", Status: Warn, Code: "GRAPHQL_ACCESS_DENIED", Message: evil}},
	}
	r.Summary = Count(r.Checks)
	return r
}

// controlRunes returns the control characters in out other than line ends
// (and, when sgrAllowed, other than the escape of an SGR colour sequence).
func controlRunes(out string, sgrAllowed bool) []string {
	var bad []string
	for i := 0; i < len(out); {
		r, size := utf8.DecodeRuneInString(out[i:])
		switch {
		case r == '\n', r == '\t': // line ends; JUnit's indentation
		case r == 0x1b && sgrAllowed && isSGR(out[i:]):
		case r == utf8.RuneError && size == 1, unicode.IsControl(r), r == 0x202e, r == 0x2028:
			bad = append(bad, strings.TrimSpace(out[max(0, i-20):min(len(out), i+20)]))
		}
		i += size
	}
	return bad
}

func isSGR(s string) bool {
	if !strings.HasPrefix(s, "\x1b[") {
		return false
	}
	for i := 2; i < len(s); i++ {
		switch c := s[i]; {
		case c == 'm':
			return true
		case c >= '0' && c <= '9' || c == ';':
		default:
			return false
		}
	}
	return false
}

func TestEveryFormatNeutralisesServerText(t *testing.T) {
	r := hostileReport()
	for _, f := range Formats() {
		for _, color := range []bool{false, true} {
			out := string(render(t, r, f, Options{Color: color}))
			if bad := controlRunes(out, color && f == FormatTable); len(bad) > 0 {
				t.Errorf("%s (color %v): control characters reach the output near %q", f, color, bad)
			}
			if !strings.Contains(out, `\x1b[2J`) || !strings.Contains(out, `\u009b31m`) || !strings.Contains(out, `\u202e`) {
				t.Errorf("%s: the escapes should be shown, visibly:\n%s", f, out)
			}
			if f == FormatMarkdown {
				prose := withoutCodeSpans(out) // nothing in a code span is markup
				for _, markup := range []string{"](", "][", "<img"} {
					if strings.Contains(prose, markup) {
						t.Errorf("markdown carries %q from the server", markup)
					}
				}
			}
		}
	}
	assertWellFormedXML(t, render(t, r, FormatJUnit, Options{}))
	var doc map[string]any
	if err := json.Unmarshal(render(t, r, FormatJSON, Options{}), &doc); err != nil {
		t.Fatal(err)
	}
	// The model the caller holds keeps the server's text as it came.
	if !strings.Contains(r.Checks[0].Message, "\x1b") {
		t.Fatal("Render changed the caller's report")
	}
}

// Line breaks in a server's text cannot start a line of their own, where
// they could pass for authdoctor's verdict or a Markdown heading.
func TestServerTextCannotForgeLines(t *testing.T) {
	r := Report{Checks: []CheckResult{{ID: "graphql", Status: Fail, Code: "NOT_GRAPHQL", Message: "x\n# OK: all 6 checks passed\r\nFAIL"}}}
	r.Summary = Count(r.Checks)
	for _, f := range Formats() {
		for _, l := range strings.Split(string(render(t, r, f, Options{})), "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "# OK") {
				t.Errorf("%s: a server's line break started a line: %q", f, l)
			}
		}
	}
}

// withoutCodeSpans drops the inline code spans of Markdown text (CommonMark:
// a run of n backticks up to the next run of exactly n).
func withoutCodeSpans(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '`')
		if i < 0 {
			return b.String() + s
		}
		b.WriteString(s[:i])
		n := 0
		for i+n < len(s) && s[i+n] == '`' {
			n++
		}
		rest := s[i+n:]
		end := -1
		for j := 0; j < len(rest); {
			k := 0
			for j+k < len(rest) && rest[j+k] == '`' {
				k++
			}
			if k == n {
				end = j
				break
			}
			j += max(k, 1)
		}
		if end < 0 {
			return b.String() + s[i:]
		}
		s = rest[end+n:]
	}
}
