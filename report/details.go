package report

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// detail is one piece of evidence, ready to print.
type detail struct {
	Key   string
	Value string
}

// sortedDetails turns a check's evidence into key/value text, sorted by key
// because map order is random and reports must be byte-identical run to run.
func sortedDetails(details map[string]any) []detail {
	keys := make([]string, 0, len(details))
	for k := range details {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]detail, 0, len(keys))
	for _, k := range keys {
		out = append(out, detail{Key: k, Value: detailText(details[k])})
	}
	return out
}

// detailText prints one evidence value. Strings print as they are; other
// values print as JSON, which is unambiguous (a list of roles stays a list)
// and deterministic (encoding/json sorts map keys).
func detailText(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return v
	case error:
		return v.Error()
	case fmt.Stringer:
		return v.String()
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // "<" is evidence to read, not markup to defuse
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}
