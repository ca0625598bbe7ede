package report

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/authdoctor/authdoctor/internal/sanitize"
)

// MapText returns a copy of r in which every piece of text has gone through
// f: each string field of the model, every key and string value of the
// details and event details, at any depth. multiline tells f whether the
// field may span lines (a fix, the code documentation) or is one line (a
// message, a detail, a URL). r itself is not changed.
//
// It is how text is made safe in one place for every format: Render passes
// every report through it (sanitize), and checks.Diagnose (scrubbing the
// run's secrets). A field added to the model must be added here; the test
// TestMapTextReachesEveryField fails until it is.
func (r Report) MapText(f func(s string, multiline bool) string) Report {
	line := func(s string) string { return f(s, false) }
	block := func(s string) string { return f(s, true) }
	out := r
	out.Tool = Tool{Name: line(r.Tool.Name), Version: line(r.Tool.Version)}
	out.Target = Target{KeycloakURL: line(r.Target.KeycloakURL), Realm: line(r.Target.Realm), ClientID: line(r.Target.ClientID),
		Grant: line(r.Target.Grant), GraphQLURL: line(r.Target.GraphQLURL)}
	if r.Checks != nil {
		out.Checks = make([]CheckResult, len(r.Checks))
		for i, c := range r.Checks {
			out.Checks[i] = c.mapText(line, block)
		}
	}
	out.ExitReason = line(r.ExitReason)
	out.Summary.RootCauses = mapCauses(r.Summary.RootCauses, line)
	out.Summary.PolicyFailures = mapStrings(r.Summary.PolicyFailures, line)
	out.Policy = Policy{FailOn: r.Policy.FailOn, Strict: r.Policy.Strict, Only: mapStrings(r.Policy.Only, line), Skip: mapStrings(r.Policy.Skip, line),
		Prerequisites: mapStrings(r.Policy.Prerequisites, line)}
	if r.Policy.FailOn != nil {
		out.Policy.FailOn = make([]Status, len(r.Policy.FailOn))
		for i, s := range r.Policy.FailOn {
			out.Policy.FailOn[i] = Status(line(string(s)))
		}
	}
	e := r.Environment
	out.Environment = Environment{Version: line(e.Version), OS: line(e.OS), Arch: line(e.Arch), GoVersion: line(e.GoVersion), Time: e.Time}
	if e.Settings != nil {
		out.Environment.Settings = make([]Setting, len(e.Settings))
		for i, s := range e.Settings {
			out.Environment.Settings[i] = Setting{Name: line(s.Name), EnvVar: line(s.EnvVar), Value: line(s.Value), Source: line(s.Source), Secret: s.Secret}
		}
	}
	return out
}

func (c CheckResult) mapText(line, block func(string) string) CheckResult {
	out := c
	out.ID, out.Title, out.Status, out.Code = line(c.ID), line(c.Title), Status(line(string(c.Status))), line(c.Code)
	out.Message, out.Fix, out.Console = line(c.Message), block(c.Fix), block(c.Console)
	if c.Commands != nil {
		out.Commands = make([]Command, len(c.Commands))
		for i, cmd := range c.Commands {
			out.Commands[i] = Command{Tool: line(cmd.Tool), Text: line(cmd.Text)}
		}
	}
	if c.Details != nil {
		out.Details = mapAny(c.Details, line).(map[string]any)
	}
	if c.Doc != nil {
		d := *c.Doc
		d.Code, d.Severity, d.Title, d.URL = line(d.Code), line(d.Severity), line(d.Title), line(d.URL)
		d.Meaning, d.Fix, d.Console, d.Command = block(d.Meaning), block(d.Fix), block(d.Console), block(d.Command)
		if c.Doc.Causes != nil {
			d.Causes = make([]string, len(c.Doc.Causes))
			for i, cause := range c.Doc.Causes {
				d.Causes[i] = block(cause)
			}
		}
		out.Doc = &d
	}
	if c.ConsequenceOf != nil {
		out.ConsequenceOf = &Cause{Check: line(c.ConsequenceOf.Check), Code: line(c.ConsequenceOf.Code)}
	}
	if c.Events != nil {
		out.Events = make([]Event, len(c.Events))
		for i, e := range c.Events {
			out.Events[i] = e.mapText(line)
		}
	}
	return out
}

func mapStrings(ss []string, line func(string) string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = line(s)
	}
	return out
}

func mapCauses(cs []Cause, line func(string) string) []Cause {
	if cs == nil {
		return nil
	}
	out := make([]Cause, len(cs))
	for i, c := range cs {
		out[i] = Cause{Check: line(c.Check), Code: line(c.Code)}
	}
	return out
}

func (e Event) mapText(line func(string) string) Event {
	out := e
	out.Type, out.Client, out.User, out.IP, out.Error = line(e.Type), line(e.Client), line(e.User), line(e.IP), line(e.Error)
	if e.Details != nil {
		out.Details = make(map[string]string, len(e.Details))
		for k, v := range e.Details {
			out.Details[line(k)] = line(v)
		}
	}
	return out
}

// mapAny copies a detail value, passing every string in it, map keys
// included, through f. Numbers, booleans and nil stay as they are; a value
// of another type is first turned into what it prints as.
func mapAny(v any, f func(string) string) any {
	switch t := v.(type) {
	case nil, bool, int, int64, float64, json.Number:
		return v
	case string:
		return f(t)
	case []string:
		out := make([]string, len(t))
		for i, s := range t {
			out[i] = f(s)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[f(k)] = mapAny(x, f)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = mapAny(x, f)
		}
		return out
	case json.Marshaler:
		// Kept in the shape the JSON report gives it.
		b, err := json.Marshal(t)
		var generic any
		if err != nil || json.Unmarshal(b, &generic) != nil {
			return f(fmt.Sprint(t))
		}
		return mapAny(generic, f)
	case error:
		return f(t.Error())
	case fmt.Stringer:
		return f(t.String())
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return f(rv.String())
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return v
	case reflect.Map:
		out := make(map[string]any, rv.Len())
		iter := rv.MapRange()
		for iter.Next() {
			out[f(fmt.Sprint(iter.Key().Interface()))] = mapAny(iter.Value().Interface(), f)
		}
		return out
	case reflect.Slice, reflect.Array:
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = mapAny(rv.Index(i).Interface(), f)
		}
		return out
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil
		}
		return mapAny(rv.Elem().Interface(), f)
	}
	// A struct or anything else: as the JSON report would show it.
	b, err := json.Marshal(v)
	var generic any
	if err != nil || json.Unmarshal(b, &generic) != nil {
		return f(fmt.Sprint(v))
	}
	return mapAny(generic, f)
}

// sanitized is r made safe to write anywhere: every control character a
// server (or anyone) put in its text is shown escaped (package sanitize),
// line breaks included in one-line fields.
func (r Report) sanitized() Report {
	return r.MapText(sanitizeField)
}

func sanitizeField(s string, multiline bool) string {
	if multiline {
		return sanitize.Block(s)
	}
	return sanitize.Line(s)
}

// sanitized is l made safe to write anywhere, as Report.sanitized.
func (l EventList) sanitized() EventList {
	line := sanitize.Line
	out := l
	out.Realm = line(l.Realm)
	if l.Types != nil {
		out.Types = make([]string, len(l.Types))
		for i, t := range l.Types {
			out.Types[i] = line(t)
		}
	}
	if l.Rows != nil {
		out.Rows = make([]EventRow, len(l.Rows))
		for i, r := range l.Rows {
			out.Rows[i] = EventRow{Event: r.Event.mapText(line), Code: line(r.Code), Explanation: line(r.Explanation)}
		}
	}
	return out
}
