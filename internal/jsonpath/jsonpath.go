// Package jsonpath is Hasura's JSON path: the syntax of claims_namespace_path
// in HASURA_GRAPHQL_JWT_SECRET (parseJSONPath and encodeJSONPath in
// hasura/graphql-engine server/src-lib/Data/Parser/JSONPath.hs) and its
// lookup (executeJSONPath in Hasura/Server/Utils.hs). The claims check, the
// settings and the sandbox's Hasura share it, so that authdoctor refuses
// exactly the paths Hasura refuses and names a path as Hasura prints it.
package jsonpath

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Element is one step of a path: an object key, or a list index.
type Element struct {
	Key     string
	Index   int
	IsIndex bool
}

// Path is a parsed path; the empty path is "$", the whole document.
type Path []Element

// Keys is a path of object keys only.
func Keys(keys ...string) Path {
	p := make(Path, len(keys))
	for i, k := range keys {
		p[i] = Element{Key: k}
	}
	return p
}

// Parse reads a path as Hasura's parseJSONPath does: "$" alone, or an
// optional "$" followed by one or more elements, each an optional "."
// then a name (a letter or _, then letters, digits, _ or -) or a bracket
// ([42], ["key"] or ['key'], the quoted text a JSON string). So "$.a.b",
// "a.b", "$['a.b'][0]" are paths; "$.", "", "$.1a" are not.
func Parse(s string) (Path, error) {
	if s == "$" {
		return Path{}, nil
	}
	p := &parser{s: s}
	if strings.HasPrefix(s, "$") {
		p.i = 1
	}
	var out Path
	for p.i < len(p.s) {
		e, ok := p.element()
		if !ok {
			return nil, p.invalid()
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil, p.invalid()
	}
	return out, nil
}

type parser struct {
	s string
	i int
}

// invalid is Hasura's message for a path it cannot parse.
func (p *parser) invalid() error {
	return fmt.Errorf("%s. Accept letters, digits, underscore (_) or hyphen (-) only. Use quotes enclosed in bracket ([\"...\"]) if there is any special character", p.s)
}

// element reads one step; p.i never passes the end, so the rest of the
// text is always p.s[p.i:].
func (p *parser) element() (Element, bool) {
	if strings.HasPrefix(p.s[p.i:], ".") {
		p.i++
	}
	if strings.HasPrefix(p.s[p.i:], "[") {
		p.i++
		return p.bracket()
	}
	return p.name()
}

// name reads a letter or _, then letters, digits, _ or -.
func (p *parser) name() (Element, bool) {
	rest := p.s[p.i:]
	n := len(rest)
	for off, r := range rest {
		if !(unicode.IsLetter(r) || r == '_' || (off > 0 && (isDigit(r) || r == '-'))) {
			n = off
			break
		}
	}
	p.i += n
	return Element{Key: rest[:n]}, n > 0
}

// bracket reads [42], ["key"] or ['key'] after its "[". Its conditions
// are if statements, not switch cases, so that mutation testing can reach
// them (docs/mutation-testing.md).
func (p *parser) bracket() (Element, bool) {
	rest := p.s[p.i:]
	var e Element
	if digits := len(rest) - len(strings.TrimLeftFunc(rest, isDigit)); digits > 0 {
		n, err := strconv.Atoi(rest[:digits])
		if err != nil {
			return e, false
		}
		p.i += digits
		e = Element{Index: n, IsIndex: true}
	} else if strings.HasPrefix(rest, `"`) || strings.HasPrefix(rest, "'") {
		key, ok := p.quoted(rest[0])
		if !ok {
			return e, false
		}
		e = Element{Key: key}
	} else {
		return e, false
	}
	if !strings.HasPrefix(p.s[p.i:], "]") {
		return e, false
	}
	p.i++
	return e, true
}

// quoted reads a quoted key: a backslash keeps the next character escaped;
// in single quotes \' is a quote and " is escaped; the text between the
// quotes is then decoded as a JSON string (so \n and \u00e9 work, and an
// unknown escape is refused), as Hasura's bracketElement does.
func (p *parser) quoted(quote byte) (string, bool) {
	p.i++
	var b strings.Builder
	for {
		rest := p.s[p.i:]
		if rest == "" {
			return "", false
		}
		if rest[0] == quote {
			p.i++
			var key string
			if err := json.Unmarshal([]byte(`"`+b.String()+`"`), &key); err != nil {
				return "", false
			}
			return key, true
		}
		if rest[0] == '\\' && len(rest) > 1 {
			if quote == '\'' && rest[1] == '\'' {
				b.WriteByte('\'')
			} else {
				b.WriteString(rest[:2])
			}
			p.i += 2
			continue
		}
		if rest[0] == '"' && quote == '\'' {
			b.WriteString(`\"`)
		} else {
			b.WriteByte(rest[0])
		}
		p.i++
	}
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// String is the path as Hasura prints it (encodeJSONPath): "$", then
// .key for a key of ASCII letters, digits, _ and - that starts with a
// letter or _, ["key"] (a JSON string) for any other key, [n] for an index.
func (p Path) String() string {
	var b strings.Builder
	b.WriteString("$")
	for _, e := range p {
		switch {
		case e.IsIndex:
			fmt.Fprintf(&b, "[%d]", e.Index)
		case plainKey(e.Key):
			b.WriteString("." + e.Key)
		default:
			b.WriteString("[" + jsonString(e.Key) + "]")
		}
	}
	return b.String()
}

func plainKey(k string) bool {
	for i, r := range k {
		letter := (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_'
		if !letter && (i == 0 || !(isDigit(r) || r == '-')) {
			return false
		}
	}
	return k != ""
}

// jsonString encodes as Aeson does: no HTML escaping, unlike Go's default.
func jsonString(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// Lookup follows the path through a decoded JSON value (objects as
// map[string]any, lists as []any); false when a step is missing or of the
// wrong kind, as executeJSONPath fails.
func (p Path) Lookup(v any) (any, bool) {
	for _, e := range p {
		if e.IsIndex {
			list, ok := v.([]any)
			if !ok || e.Index >= len(list) {
				return nil, false
			}
			v = list[e.Index]
			continue
		}
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = obj[e.Key]; !ok {
			return nil, false
		}
	}
	return v, true
}
