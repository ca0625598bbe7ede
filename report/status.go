package report

import "strings"

// statusWord is how a status is written for people: upper case, four letters,
// so that a column of them lines up and reads at a glance.
func statusWord(s Status) string {
	return strings.ToUpper(string(s))
}

// needsAttention reports whether a check's result asks the user to act.
func needsAttention(c CheckResult) bool {
	return c.Status == Fail || c.Status == Warn
}

// problems returns the warnings and failures in catalogue order. That order is
// causal (a TLS warning is listed before the failure it may explain), which is
// why it is kept rather than putting failures first.
func problems(checks []CheckResult) []CheckResult {
	var out []CheckResult
	for _, c := range checks {
		if needsAttention(c) {
			out = append(out, c)
		}
	}
	return out
}

// failedCodes returns the distinct codes of failed checks, in catalogue order.
func failedCodes(checks []CheckResult) []string {
	var codes []string
	seen := map[string]bool{}
	for _, c := range checks {
		if c.Status != Fail || c.Code == "" || seen[c.Code] {
			continue
		}
		seen[c.Code] = true
		codes = append(codes, c.Code)
	}
	return codes
}

// toolName is the program name used in hints such as "run 'authdoctor
// explain CODE'"; the report normally carries it.
func toolName(r Report) string {
	if r.Tool.Name != "" {
		return r.Tool.Name
	}
	return "authdoctor"
}
