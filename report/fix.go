package report

import (
	"regexp"
	"strings"
)

// Command is one command of a fix, as a person runs it in a shell.
type Command struct {
	Tool string // the program: "kcadm.sh", "curl", "openssl", ...
	Text string // the whole command line, filled in with the run's values
}

// stepNumber is the "1. " the registry writes before each fix step.
var stepNumber = regexp.MustCompile(`^\d+\.\s+`)

// FixSteps splits a result's fix (numbered steps one per line, the hint of
// this case first, unnumbered) into its steps, without their numbers: the
// JSON document lists them, and a script numbers them as it likes. A line
// that is neither numbered nor the first continues the step before it.
func FixSteps(fix string) []string {
	var steps []string
	for i, line := range strings.Split(strings.TrimSpace(fix), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		numbered := stepNumber.MatchString(line)
		line = stepNumber.ReplaceAllString(line, "")
		if !numbered && i > 0 && len(steps) > 0 {
			steps[len(steps)-1] += " " + line
			continue
		}
		steps = append(steps, line)
	}
	return steps
}

// commandLines are the commands' texts, one per line, for the formats that
// print them as a block a person copies into a shell.
func commandLines(cmds []Command) []string {
	out := make([]string, 0, len(cmds))
	for _, c := range cmds {
		out = append(out, c.Text)
	}
	return out
}
