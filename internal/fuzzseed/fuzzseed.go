// Package fuzzseed gives the fuzz targets their seed corpus: the server
// answers recorded in fixtures/responses/*.json (Keycloak's token, realm
// and admin answers across versions). Only tests import it.
package fuzzseed

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
)

// Answer is one recorded answer.
type Answer struct {
	Name        string // file and key, for messages
	Status      int
	ContentType string // "application/json" when the recording does not say
	Body        []byte // the body as JSON text
}

// Answers reads every recorded answer: each JSON object, at any depth of
// the files, that has a numeric "status" and a "body".
func Answers() ([]Answer, error) {
	_, self, _, ok := runtime.Caller(0)
	if !ok {
		return nil, fmt.Errorf("fuzzseed: cannot locate the module")
	}
	files, err := filepath.Glob(filepath.Join(filepath.Dir(self), "..", "..", "fixtures", "responses", "*.json"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("fuzzseed: no recorded answers (%v)", err)
	}
	sort.Strings(files)
	var out []Answer
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var doc any
		if err := json.Unmarshal(b, &doc); err != nil {
			return nil, fmt.Errorf("fuzzseed: %s: %w", name, err)
		}
		collect(filepath.Base(name), doc, &out)
	}
	return out, nil
}

func collect(where string, v any, out *[]Answer) {
	switch t := v.(type) {
	case map[string]any:
		status, hasStatus := t["status"].(float64)
		if body, hasBody := t["body"]; hasStatus && hasBody {
			b, _ := json.Marshal(body)
			ct, _ := t["content_type"].(string)
			if ct == "" {
				ct = "application/json"
			}
			*out = append(*out, Answer{Name: where, Status: int(status), ContentType: ct, Body: b})
			return
		}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			collect(where+"/"+k, t[k], out)
		}
	case []any:
		for i, x := range t {
			collect(fmt.Sprintf("%s[%d]", where, i), x, out)
		}
	}
}
