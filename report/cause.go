package report

import (
	"fmt"
	"strings"
)

// rootCauses returns the findings to fix first, in catalogue order, and how
// many results are marked as consequences. A root cause is a failure that
// is nobody's consequence, or any finding that another result names as its
// cause (a warning such as a few seconds of clock skew may explain a
// failure elsewhere).
func rootCauses(checks []CheckResult) ([]Cause, int) {
	pointed := map[Cause]bool{}
	consequences := 0
	for _, c := range checks {
		if c.ConsequenceOf != nil {
			pointed[*c.ConsequenceOf] = true
			consequences++
		}
	}
	var roots []Cause
	seen := map[Cause]bool{}
	for _, c := range checks {
		if c.Code == "" {
			continue
		}
		cause := Cause{Check: c.ID, Code: c.Code}
		if seen[cause] || !(pointed[cause] || (c.Status == Fail && c.ConsequenceOf == nil)) {
			continue
		}
		seen[cause] = true
		roots = append(roots, cause)
	}
	return roots, consequences
}

// Decide completes the summary from the checks and the policy, and sets the
// exit code and its reason: 1 when a check failed, or when a warning or a
// skip fails the run under Policy.FailOn; else 0.
func (r *Report) Decide() {
	r.Summary = Count(r.Checks)
	for _, c := range r.Checks {
		if r.failsByPolicy(c) {
			r.Summary.PolicyFailures = append(r.Summary.PolicyFailures, c.ID)
		}
	}
	r.ExitCode, r.ExitReason = 0, exitReason(*r)
	if r.Summary.Failed > 0 || len(r.Summary.PolicyFailures) > 0 {
		r.ExitCode = 1
	}
}

// FailedByPolicy reports whether the run failed only because of --fail-on
// (or --strict): no check failed, but a warning or a skip counts as one.
func (r Report) FailedByPolicy() bool {
	return len(r.Summary.PolicyFailures) > 0
}

// failsByPolicy reports whether c's status fails the run under the policy
// although it is not a failure. A consequence does not: its root cause
// already fails the run, and is the thing to fix.
func (r Report) failsByPolicy(c CheckResult) bool {
	return c.Status != Fail && c.Status != Pass && c.ConsequenceOf == nil && r.Policy.FailsOn(c.Status)
}

// exitReason is the one line that says why the run ends as it does, root
// cause first: "1 cause: REALM_NOT_FOUND (realm); 4 consequences", then the
// policy: "--fail-on skip: graphql skipped (GRAPHQL_URL not set)".
func exitReason(r Report) string {
	var parts []string
	if p := causesPhrase(r.Summary); p != "" {
		parts = append(parts, p)
	}
	if p := policyPhrase(r); p != "" {
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

// causesPhrase names the root causes and counts their consequences, e.g.
// "1 cause: REALM_NOT_FOUND (realm); 4 consequences"; "" when nothing failed
// and nothing is a consequence.
func causesPhrase(s Summary) string {
	if len(s.RootCauses) == 0 {
		return ""
	}
	names := make([]string, len(s.RootCauses))
	for i, c := range s.RootCauses {
		names[i] = fmt.Sprintf("%s (%s)", c.Code, c.Check)
	}
	line := plural(len(s.RootCauses), "cause", "causes") + ": " + strings.Join(names, ", ")
	if s.Consequences > 0 {
		line += "; " + plural(s.Consequences, "consequence", "consequences")
	}
	return line
}

// policyPhrase names what failed the run by policy, e.g. "--fail-on skip:
// graphql skipped (GRAPHQL_URL not set)"; "" when the policy failed nothing.
func policyPhrase(r Report) string {
	if len(r.Summary.PolicyFailures) == 0 {
		return ""
	}
	byID := map[string]CheckResult{}
	for _, c := range r.Checks {
		byID[c.ID] = c
	}
	// Checks with the same status and reason are named together: "roles,
	// graphql, refresh skipped (--skip credentials)".
	type group struct {
		ids         []string
		status, why string
	}
	var statuses []string
	var groups []*group
	seen := map[Status]bool{}
	byReason := map[string]*group{}
	for _, id := range r.Summary.PolicyFailures {
		c := byID[id]
		if !seen[c.Status] {
			seen[c.Status] = true
			statuses = append(statuses, string(c.Status))
		}
		why := policyWhy(c)
		key := string(c.Status) + "\x00" + why
		g := byReason[key]
		if g == nil {
			g = &group{status: map[Status]string{Warn: "warned", Skip: "skipped"}[c.Status], why: why}
			byReason[key] = g
			groups = append(groups, g)
		}
		g.ids = append(g.ids, id)
	}
	items := make([]string, len(groups))
	for i, g := range groups {
		items[i] = strings.Join(g.ids, ", ") + " " + g.status
		if g.why != "" {
			items[i] += " (" + g.why + ")"
		}
	}
	flag := "--fail-on " + strings.Join(statuses, ",")
	if r.Policy.Strict {
		flag = "--strict"
	}
	return fmt.Sprintf("%s: %s", flag, strings.Join(items, "; "))
}

// policyWhy is the few words that say why a check warned or was skipped:
// its code, or its message when short (a skip's reason).
func policyWhy(c CheckResult) string {
	if c.Code != "" {
		return c.Code
	}
	msg := oneLine(c.Message)
	msg = strings.TrimPrefix(msg, "skipped because ")
	// The first clause: "GRAPHQL_URL not set: the GraphQL API ..." is
	// said by its first words.
	msg, _, _ = strings.Cut(msg, ": ")
	if len([]rune(msg)) > 60 {
		msg = string([]rune(msg)[:59]) + "…"
	}
	return msg
}

// attention returns the results a person must read, in the order to read
// them: the warnings and failures that are nobody's consequence (root
// causes among them), in catalogue order, which is causal; then the
// checks whose warning or skip fails the run by policy; then the
// consequences, each after the cause it names.
func attention(r Report) []CheckResult {
	var first, policy, later []CheckResult
	for _, c := range r.Checks {
		switch {
		case needsAttention(c) && c.ConsequenceOf != nil:
			later = append(later, c)
		case needsAttention(c):
			first = append(first, c)
		case r.failsByPolicy(c):
			policy = append(policy, c)
		}
	}
	return append(append(first, policy...), later...)
}

// explainCodes are the codes worth an `explain`: the root causes' first,
// then the other failures', each once.
func explainCodes(r Report) []string {
	var out []string
	seen := map[string]bool{}
	add := func(code string) {
		if code != "" && !seen[code] {
			seen[code] = true
			out = append(out, code)
		}
	}
	for _, c := range r.Summary.RootCauses {
		add(c.Code)
	}
	for _, code := range failedCodes(r.Checks) {
		add(code)
	}
	return out
}

// consequenceNote is how a consequence is marked after its code:
// "consequence of REALM_NOT_FOUND in realm"; "" for a result that is none.
func consequenceNote(c CheckResult) string {
	if c.ConsequenceOf == nil {
		return ""
	}
	return "consequence of " + c.ConsequenceOf.Code + " in " + c.ConsequenceOf.Check
}

// consequenceFix is the fix the formats people read (table, short,
// Markdown, JUnit) show for a consequence that has a code: the hint of
// this case, when the check gave one, then a pointer to the cause's fix
// ("See CLOCK_SKEW in clock."). The code's own steps and commands are
// about its other causes, which the cause rules out, so they are not
// shown (JSON keeps them, structured, beside consequence_of). "" for a
// result that is no consequence or has no code.
func consequenceFix(c CheckResult) string {
	if c.ConsequenceOf == nil || c.Code == "" {
		return ""
	}
	var hint []string
	for _, line := range strings.Split(strings.TrimSpace(c.Fix), "\n") {
		if stepNumber.MatchString(strings.TrimSpace(line)) {
			break
		}
		if strings.TrimSpace(line) != "" {
			hint = append(hint, strings.TrimSpace(line))
		}
	}
	return strings.TrimSpace(strings.Join(hint, "\n") + "\nSee " + c.ConsequenceOf.Code + " in " + c.ConsequenceOf.Check + ".")
}

// policyNote marks a warning or skip that fails the run by policy:
// "fails the run: --fail-on skip"; "" otherwise.
func (r Report) policyNote(c CheckResult) string {
	if !r.failsByPolicy(c) {
		return ""
	}
	return "fails the run: " + r.Policy.flag(c.Status)
}

// upperFirst capitalises the first letter of a sentence made of a note.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
