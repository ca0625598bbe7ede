package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/jstemmer/go-junit-report/v2/junit"
)

// junitName is the suite and class name CI dashboards group results under.
const junitName = "authdoctor"

// renderJUnit writes one test suite with one test case per check. A failed
// check is a failure whose type is the code (so dashboards can group by it),
// a skipped check is skipped, and a warning passes with its code on
// system-out: JUnit has no "warning" outcome, and a warning must not turn a
// pipeline red.
func renderJUnit(r Report) ([]byte, error) {
	suite := junit.Testsuite{
		Name: junitName,
		Time: junitSeconds(suiteDuration(r)),
		Properties: &[]junit.Property{
			{Name: "version", Value: r.Tool.Version},
			{Name: "keycloak_url", Value: r.Target.KeycloakURL},
			{Name: "realm", Value: r.Target.Realm},
			{Name: "client_id", Value: r.Target.ClientID},
			{Name: "grant", Value: r.Target.Grant},
			{Name: "graphql_url", Value: r.Target.GraphQLURL},
		},
	}
	if !r.Environment.Time.IsZero() {
		suite.SetTimestamp(r.Environment.Time.UTC())
	}
	if r.ExitReason != "" {
		*suite.Properties = append(*suite.Properties, junit.Property{Name: "exit_reason", Value: r.ExitReason})
	}
	if len(r.Policy.FailOn) > 0 {
		*suite.Properties = append(*suite.Properties, junit.Property{Name: "fail_on", Value: strings.Join(statusStrings(r.Policy.FailOn), ",")})
	}
	for _, c := range r.Checks {
		suite.AddTestcase(junitCaseOf(r, c))
	}
	var suites junit.Testsuites
	suites.AddSuite(suite)
	suites.Time = suite.Time

	var b bytes.Buffer
	b.WriteString(xml.Header)
	if err := suites.WriteXML(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// junitCaseOf is c's test case in r: a warning or skip that fails the run
// by policy (--fail-on, --strict) is a failure, as the run's exit code
// says, whose type is the code (or SKIPPED); a consequence's failure
// message names its root cause.
func junitCaseOf(r Report, c CheckResult) junit.Testcase {
	tc := junitCase(c)
	if note := consequenceNote(c); note != "" && tc.Failure != nil {
		tc.Failure.Message = xmlSafe(codedMessage(c) + " (" + note + ")")
	}
	if r.failsByPolicy(c) {
		kind := c.Code
		if kind == "" {
			kind = "SKIPPED"
		}
		body := junitFailureBody(c)
		tc.Skipped, tc.SystemOut = nil, nil
		tc.Failure = &junit.Result{
			Message: xmlSafe(statusWord(c.Status) + " fails the run (" + r.Policy.flag(c.Status) + "): " + codedMessage(c)),
			Type:    xmlSafe(kind),
			Data:    xmlSafe(body),
		}
	}
	return tc
}

func junitCase(c CheckResult) junit.Testcase {
	tc := junit.Testcase{
		Name:      junitCaseName(c),
		Classname: junitName,
		Time:      junitSeconds(c.Duration),
	}
	switch c.Status {
	case Fail:
		tc.Failure = &junit.Result{
			Message: xmlSafe(codedMessage(c)),
			Type:    xmlSafe(c.Code),
			Data:    xmlSafe(junitFailureBody(c)),
		}
	case Skip:
		tc.Skipped = &junit.Result{Message: xmlSafe(oneLine(c.Message))}
	case Warn:
		out := "WARN " + codedMessage(c)
		out += junitCommands(c)
		if url := docURL(c); url != "" {
			out += "\nDocs: " + url
		}
		tc.SystemOut = &junit.Output{Data: xmlSafe(out)}
	}
	return tc
}

// junitCaseName reads well in a dashboard ("credentials — Password grant")
// and still starts with the id that scripts match on.
func junitCaseName(c CheckResult) string {
	if c.Title == "" {
		return c.ID
	}
	return c.ID + " — " + c.Title
}

// codedMessage is "CODE: message", or the message alone for a result
// without a code.
func codedMessage(c CheckResult) string {
	msg := oneLine(c.Message)
	if c.Code == "" {
		return msg
	}
	return c.Code + ": " + msg
}

// junitFailureBody is what a CI user sees when they open the failure: the
// fix, the link to the code's page, then the evidence.
func junitFailureBody(c CheckResult) string {
	var b strings.Builder
	if cf := consequenceFix(c); cf != "" {
		// The cause's fix is the one to follow.
		b.WriteString("Fix: " + cf + "\n")
	} else {
		if c.Fix != "" {
			b.WriteString("Fix: " + c.Fix + "\n")
		}
		if cmds := junitCommands(c); cmds != "" {
			b.WriteString(strings.TrimPrefix(cmds, "\n") + "\n")
		}
	}
	if url := docURL(c); url != "" {
		b.WriteString("Docs: " + url + "\n")
	}
	if len(c.Events) > 0 {
		b.WriteString("Server events:\n")
		for _, e := range c.Events {
			b.WriteString("  " + eventLine(e) + "\n")
		}
	}
	if ds := sortedDetails(c.Details); len(ds) > 0 {
		b.WriteString("Details:\n")
		for _, d := range ds {
			b.WriteString("  " + d.Key + ": " + d.Value + "\n")
		}
	}
	return b.String()
}

// suiteDuration is the run's wall time, or the sum of the checks' times when
// the wall time is unknown.
func suiteDuration(r Report) time.Duration {
	if r.Duration > 0 {
		return r.Duration
	}
	var total time.Duration
	for _, c := range r.Checks {
		total += c.Duration
	}
	return total
}

// junitSeconds writes a duration the way JUnit consumers parse it: seconds
// with millisecond precision.
func junitSeconds(d time.Duration) string {
	return fmt.Sprintf("%.3f", d.Seconds())
}

// xmlSafe replaces the characters XML 1.0 cannot carry at all (such as the
// escape byte of a coloured server message) with U+FFFD. encoding/xml does
// this for attributes but not for CDATA, and one such byte makes the whole
// file unreadable to a CI server.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == 0x09 || r == 0x0A || r == 0x0D ||
			(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF) {
			return r
		}
		return '\uFFFD'
	}, s)
}

// junitCommands is "\nRun:\n  command" per command of the fix, or "".
func junitCommands(c CheckResult) string {
	lines := commandLines(c.Commands)
	if len(lines) == 0 {
		return ""
	}
	return "\nRun:\n  " + strings.Join(lines, "\n  ")
}
