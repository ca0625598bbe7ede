package jsonpath

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// Paths as Hasura parses and prints them (parseJSONPath, encodeJSONPath);
// its own spec (JSONPathSpec.hs) checks "$" and that an encoded path
// parses back to itself, which every case here checks too.
func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Path
		encoded string
	}{
		{"$", Path{}, "$"},
		{"$.hasura", Keys("hasura"), "$.hasura"},
		{"$.hasura.claims", Keys("hasura", "claims"), "$.hasura.claims"},
		{"hasura.claims", Keys("hasura", "claims"), "$.hasura.claims"},
		{"$hasura", Keys("hasura"), "$.hasura"},
		{"$.x-hasura_1", Keys("x-hasura_1"), "$.x-hasura_1"},
		{"$.héllo", Keys("héllo"), `$["héllo"]`},
		{`$['https://hasura.io/jwt/claims']`, Keys("https://hasura.io/jwt/claims"), `$["https://hasura.io/jwt/claims"]`},
		{`$["a.b"].c`, Keys("a.b", "c"), `$["a.b"].c`},
		{`$.a.["b c"]`, Keys("a", "b c"), `$.a["b c"]`},
		{`$['it\'s']`, Keys("it's"), `$["it's"]`},
		{`$['say "hi"']`, Keys(`say "hi"`), `$["say \"hi\""]`},
		{`$["tab\t"]`, Keys("tab\t"), `$["tab\t"]`},
		{`$["<&>"]`, Keys("<&>"), `$["<&>"]`},
		{"$.a[0].b", Path{{Key: "a"}, {Index: 0, IsIndex: true}, {Key: "b"}}, "$.a[0].b"},
		{"$[12]", Path{{Index: 12, IsIndex: true}}, "$[12]"},
		{`$['7seven']`, Keys("7seven"), `$["7seven"]`},
		{`$[""]`, Keys(""), `$[""]`},
		// The ends of each range of plainKey and isDigit: a, z, A, Z, 0, 9.
		{"$.a.z.A.Z", Keys("a", "z", "A", "Z"), "$.a.z.A.Z"},
		{"$.a0.a9[9]", Path{{Key: "a0"}, {Key: "a9"}, {Index: 9, IsIndex: true}}, "$.a0.a9[9]"},
		{`$["9"]`, Keys("9"), `$["9"]`},
		{`$["@"]`, Keys("@"), `$["@"]`},
		{"$.é9", Keys("é9"), `$["é9"]`},
	} {
		got, err := Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Parse(%q) = %#v, want %#v", tc.in, got, tc.want)
		}
		if s := got.String(); s != tc.encoded {
			t.Errorf("Parse(%q).String() = %s, want %s", tc.in, s, tc.encoded)
		}
		// Hasura's property: an encoded path parses back to itself.
		if again, err := Parse(got.String()); err != nil || !reflect.DeepEqual(again, got) {
			t.Errorf("%s does not parse back: %#v, %v", got, again, err)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	for _, in := range []string{"", "$.", "$..a", "$.1a", "$.a b", "$[", "$[0", "$['a]", `$["a"`, "$[-1]", "$[a]", `$["\q"]`, "$$", "$.a.", "$ .a", "$.a]", "https://example.com/claims", `$["a\`, `$['a\`, "$[9"} {
		_, err := Parse(in)
		if err == nil {
			t.Errorf("Parse(%q) accepted it; Hasura refuses it", in)
			continue
		}
		if !strings.HasPrefix(err.Error(), in+". Accept letters") {
			t.Errorf("Parse(%q): message %q is not Hasura's", in, err)
		}
	}
}

func TestLookup(t *testing.T) {
	var doc any
	_ = json.Unmarshal([]byte(`{"hasura":{"claims":{"x-hasura-default-role":"user"}},"list":[{"a":1}],"s":"x"}`), &doc)
	for _, tc := range []struct {
		path  Path
		want  any
		found bool
	}{
		{Path{}, doc, true},
		{Keys("hasura", "claims"), map[string]any{"x-hasura-default-role": "user"}, true},
		{Path{{Key: "list"}, {Index: 0, IsIndex: true}, {Key: "a"}}, 1.0, true},
		{Path{{Key: "list"}, {Index: 1, IsIndex: true}}, nil, false},
		{Keys("hasura", "nope"), nil, false},
		{Keys("s", "x"), nil, false},
		{Path{{Key: "hasura"}, {Index: 0, IsIndex: true}}, nil, false},
	} {
		got, found := tc.path.Lookup(doc)
		if found != tc.found || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v, %v; want %v, %v", tc.path, got, found, tc.want, tc.found)
		}
	}
}
