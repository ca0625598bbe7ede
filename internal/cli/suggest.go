package cli

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"
	"github.com/xrash/smetrics"

	"github.com/authdoctor/authdoctor/checks/codes"
)

// suggest returns the candidates nearest to what was typed: those within a
// small edit distance (Levenshtein, from smetrics, which urfave/cli already
// uses for its own suggestions), or, for three letters or more, those it
// begins. Only the nearest are kept, and of those the ones that look most
// alike (Jaro-Winkler, as urfave/cli ranks): at most three.
func suggest(typed string, candidates []string) []string {
	typed = strings.ToLower(typed)
	if len(strings.TrimLeft(typed, "-")) < 3 {
		return nil // "-x" is near every short flag: no guess helps
	}
	limit := 1
	switch n := len(typed); {
	case n >= 10:
		limit = 3
	case n >= 4:
		limit = 2
	}
	type near struct {
		name string
		d    int
		jw   float64
	}
	var found []near
	seen := map[string]bool{}
	for _, c := range candidates {
		if seen[c] || len(strings.TrimLeft(c, "-")) < 3 {
			continue
		}
		seen[c] = true
		lc := strings.ToLower(c)
		d := smetrics.WagnerFischer(typed, lc, 1, 1, 1)
		jw := smetrics.JaroWinkler(typed, lc, 0.7, 4)
		switch {
		case d <= limit:
			found = append(found, near{c, d, jw})
		case len(typed) >= 3 && strings.HasPrefix(lc, typed):
			found = append(found, near{c, limit + 1, jw})
		}
	}
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].d != found[j].d {
			return found[i].d < found[j].d
		}
		return found[i].jw > found[j].jw
	})
	var out []string
	for _, f := range found {
		if len(out) == 3 || f.d > found[0].d || f.jw < found[0].jw-0.1 {
			break
		}
		out = append(out, f.name)
	}
	return out
}

// didYouMean is "; did you mean X?" or "; did you mean X or Y?", or "".
func didYouMean(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return "; did you mean " + names[0] + "?"
	}
	return "; did you mean " + strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1] + "?"
}

// unknownCommand is the one line for a command that does not exist.
func unknownCommand(typed string, commands []*cli.Command) string {
	var names, all []string
	for _, c := range commands {
		if !c.Hidden {
			names = append(names, c.Name)
			all = append(all, c.Names()...)
		}
	}
	msg := fmt.Sprintf("unknown command %q", typed)
	if near := suggest(typed, all); len(near) > 0 {
		return msg + didYouMean(near)
	}
	if c, ok := codes.Lookup(typed); ok {
		return msg + "; to read about code " + c.ID + ": authdoctor explain " + c.ID
	}
	return msg + "; the commands are " + joinAnd(names)
}

func joinAnd(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// flagMessage rewords the flag package's errors in the words of the
// command line: "unknown flag --requre-role; did you mean
// --require-role?". On the top level, a flag of a command is named as
// such, and -v, which only means --verbose, says where the version is.
func flagMessage(c *cli.Context, msg string) string {
	if m := invalidFlagValue.FindStringSubmatch(msg); m != nil {
		return typedFlag(m[2]) + " " + m[1] + ": " + m[3]
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return typedFlag(strings.TrimPrefix(name, "-")) + " needs a value"
	}
	name, ok := strings.CutPrefix(msg, "flag provided but not defined: -")
	if !ok {
		return msg
	}
	typed := "-" + name
	if len(name) > 1 {
		typed = "--" + name
	}
	out := "unknown flag " + typed
	var flags []cli.Flag
	topLevel := c == nil || c.Command == nil || c.Command.Name == "" || c.Command.Name == c.App.Name
	if c != nil && c.Command != nil {
		flags = c.Command.Flags
	}
	if topLevel && c != nil && c.App != nil {
		flags = c.App.Flags
		if owners := commandsWithFlag(c.App.Commands, name); len(owners) > 0 {
			if typed == "-v" {
				return out + ": -v is --verbose, a flag of check (authdoctor check -v); the version is authdoctor --version"
			}
			return fmt.Sprintf("%s: it is a flag of %s, and goes after the command (authdoctor %s %s ...)", out, joinAnd(owners), owners[0], typed)
		}
	}
	if near := suggest(typed, append(flagNames(flags), "--help")); len(near) > 0 {
		out += didYouMean(near)
	}
	return out
}

// commandsWithFlag names the commands that have a flag called name.
func commandsWithFlag(commands []*cli.Command, name string) []string {
	var out []string
	for _, cmd := range commands {
		for _, f := range cmd.Flags {
			for _, n := range f.Names() {
				if n == name {
					out = append(out, cmd.Name)
				}
			}
		}
	}
	return out
}

// invalidFlagValue is the flag package's error for a value its flag
// refused: invalid value "x" for flag -tls: the variants are ...
var invalidFlagValue = regexp.MustCompile(`^invalid (?:boolean )?value ("(?:[^"\\]|\\.)*") for (?:flag )?-+([\w-]+): (.*)$`)

// typedFlag writes a flag's name as typed: -o, --output.
func typedFlag(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}
