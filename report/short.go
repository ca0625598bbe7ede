package report

import (
	"fmt"
	"strings"
)

// renderShort writes what a chat message needs: one line per warning and
// failure, followed by the commands of its fix, filled in, and the link to its code's page on a line of its own
// (indented, so that grep FAIL still finds one line per problem, and chat
// tools show the link under the line rather than at the end of a long one),
// and, when nothing failed, one line saying so.
//
//	FAIL credentials INVALID_USER_CREDENTIALS: Keycloak answered 401 ...
//	  Run: kcadm.sh config credentials --server https://sso.example.com --realm master --user <admin>
//	  Run: kcadm.sh get events -r tenant-acme -q type=LOGIN_ERROR -q max=10
//	  Docs: https://github.com/authdoctor/authdoctor/blob/main/docs/codes/INVALID_USER_CREDENTIALS.md
//	OK: all 6 checks passed (1 warning)
//
// Root causes come first; a consequence's line names its cause; a warning
// or skip that fails the run by policy (--fail-on, --strict) is listed, and
// when nothing else failed the last line says the policy failed the run.
func renderShort(r Report) ([]byte, error) {
	var b strings.Builder
	for _, c := range attention(r) {
		b.WriteString(shortProblemLineNoted(c, consequenceNote(c), r.policyNote(c)) + "\n")
		if c.ConsequenceOf != nil && c.Code != "" {
			// Its cause's commands are the ones to run.
			b.WriteString("  Fix: see " + c.ConsequenceOf.Code + " in " + c.ConsequenceOf.Check + "\n")
		} else {
			for _, line := range commandLines(c.Commands) {
				b.WriteString("  Run: " + line + "\n")
			}
		}
		if url := docURL(c); url != "" {
			b.WriteString("  Docs: " + url + "\n")
		}
	}
	switch {
	case r.Summary.Failed == 0 && r.FailedByPolicy():
		b.WriteString("FAIL by policy: " + oneLine(policyPhrase(r)) + "\n")
	case r.Summary.Failed == 0:
		b.WriteString(shortOKLine(r.Summary) + "\n")
	}
	return []byte(b.String()), nil
}

func shortProblemLine(c CheckResult) string { return shortProblemLineNoted(c) }

// shortProblemLineNoted is the line of a problem with its notes in
// brackets after the code: "(consequence of REALM_NOT_FOUND (realm))",
// "(fails the run: --fail-on skip)".
func shortProblemLineNoted(c CheckResult, notes ...string) string {
	head := statusWord(c.Status) + " " + c.ID
	if c.Code != "" {
		head += " " + c.Code
	}
	for _, note := range notes {
		if note != "" {
			head += " (" + note + ")"
		}
	}
	msg := oneLine(c.Message)
	if msg == "" {
		return head
	}
	return head + ": " + msg
}

// shortOKLine counts a warned check as passed, as CI does: a warning is
// worth reading but does not fail the run.
func shortOKLine(s Summary) string {
	passed := s.Passed + s.Warned
	if passed == 0 && s.Skipped == 0 {
		return "OK: no checks ran"
	}
	line := fmt.Sprintf("OK: %s passed", plural(passed, "check", "checks"))
	if s.Skipped == 0 && passed > 1 {
		line = fmt.Sprintf("OK: all %d checks passed", passed)
	}
	if s.Warned > 0 {
		line += " (" + plural(s.Warned, "warning", "warnings") + ")"
	}
	if s.Skipped > 0 {
		line += fmt.Sprintf(", %d skipped", s.Skipped)
	}
	return line
}
