// Package config turns the command line, the environment and a .env file
// into the validated input of one run (checks.Config). It is in two steps:
// resolve finds each setting's value and where it came from; Load then
// validates the values and builds the Config. Nothing here sends a request:
// bad input is an *Error, which the CLI reports with exit code 2.
package config

import (
	"fmt"
	"strconv"
	"strings"
)

// Error is bad or missing input: the CLI prints it and exits 2 without
// sending anything to any server.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

func errorf(format string, args ...any) error {
	return &Error{Msg: fmt.Sprintf(format, args...)}
}

// Sources are the places a setting can come from, strongest first: flags,
// the real environment, the .env file, the default.
type Sources struct {
	Flag   func(name string) (value []string, set bool)
	Env    map[string]string
	DotEnv map[string]string
}

// Source names, as shown in reports.
const (
	SourceFlag    = "flag"
	SourceEnv     = "environment"
	SourceDotEnv  = ".env file"
	SourceDefault = "default"
	SourceUnset   = "unset"
)

// value is one setting as found: its raw text (several for a repeated flag)
// and where it came from.
type value struct {
	texts  []string
	source string
}

// resolved is every setting's value, before validation.
type resolved struct {
	values  map[string]value
	envVars map[string]string // setting name -> its environment variable
	src     Sources           // for --secret, which names other variables
}

// resolve finds every setting in the strongest source that has it.
func resolve(src Sources) resolved {
	r := resolved{values: map[string]value{}, envVars: map[string]string{}, src: src}
	for _, st := range Settings() {
		v := src.lookup(st)
		if st.Name == "no-color" && v.source == SourceEnv {
			v.texts = []string{"true"} // NO_COLOR: any non-empty value means no colour (no-color.org)
		}
		r.values[st.Name] = v
		r.envVars[st.Name] = st.EnvVar
	}
	return r
}

func (s Sources) lookup(st Setting) value {
	if s.Flag != nil {
		if v, ok := s.Flag(st.Name); ok {
			return value{v, SourceFlag}
		}
	}
	for _, m := range []struct {
		vars   map[string]string
		source string
	}{{s.Env, SourceEnv}, {s.DotEnv, SourceDotEnv}} {
		if v, ok := m.vars[st.EnvVar]; ok && v != "" {
			return value{[]string{v}, m.source}
		}
	}
	if st.Default != "" {
		return value{[]string{st.Default}, SourceDefault}
	}
	return value{nil, SourceUnset}
}

// label names a setting as the user gave it, so an error points at the flag
// or at the variable (and where that variable came from).
func (r resolved) label(name string) string {
	switch src := r.values[name].source; src {
	case SourceEnv, SourceDotEnv:
		return r.envVars[name] + " (" + src + ")"
	}
	return "--" + name
}

// given reports whether the setting was given at all, even empty or only
// white space (which lookup takes for unset): as a flag, or as a variable
// of the environment or the .env file, and names it as given.
func (r resolved) given(name string) (string, bool) {
	if r.src.Flag != nil {
		if _, ok := r.src.Flag(name); ok {
			return "--" + name, true
		}
	}
	for _, m := range []struct {
		vars   map[string]string
		source string
	}{{r.src.Env, SourceEnv}, {r.src.DotEnv, SourceDotEnv}} {
		if _, ok := m.vars[r.envVars[name]]; ok {
			return r.envVars[name] + " (" + m.source + ")", true
		}
	}
	return "", false
}

// str is a single-valued setting: the last one given, trimmed.
func (r resolved) str(name string) string {
	if v := r.values[name].texts; len(v) > 0 {
		return strings.TrimSpace(v[len(v)-1])
	}
	return ""
}

// list is a list setting: every flag's items, in order. checkLists has
// refused empty items before any list is read.
func (r resolved) list(name string) []string {
	var out []string
	for _, v := range r.values[name].texts {
		items, _ := splitList(v)
		out = append(out, items...)
	}
	return out
}

func (r resolved) boolean(name string) (bool, error) {
	s := r.str(name)
	if s == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, errorf("%s %s is not true or false", r.label(name), shown(s))
	}
	return b, nil
}

// checkLists refuses an empty item in any list setting: a stray comma or an
// empty flag would otherwise silently require nothing.
func (r resolved) checkLists() error {
	for _, st := range Settings() {
		if st.Kind != KindList {
			continue
		}
		for _, v := range r.values[st.Name].texts {
			if _, ok := splitList(v); !ok {
				return errorf("%s %s: an empty value; give one value per flag, or a comma-separated list without empty items", r.label(st.Name), shown(v))
			}
		}
	}
	return nil
}

// splitList splits a comma-separated value; ok is false when an item is empty.
func splitList(v string) (items []string, ok bool) {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p == "" {
			return nil, false
		}
		items = append(items, p)
	}
	return items, true
}
