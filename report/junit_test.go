package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// junitDoc is the part of a JUnit file a CI server reads, decoded
// independently of the library that wrote it.
type junitDoc struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Skipped  int `xml:"skipped,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Cases    []struct {
			Name    string `xml:"name,attr"`
			Failure *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Body    string `xml:",chardata"`
			} `xml:"failure"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
			SystemOut string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func TestJUnitIsWellFormedWithRightCounts(t *testing.T) {
	for _, run := range testRuns() {
		t.Run(run.name, func(t *testing.T) {
			out := render(t, run.report, FormatJUnit, Options{})
			assertWellFormedXML(t, out)

			var doc junitDoc
			if err := xml.Unmarshal(out, &doc); err != nil {
				t.Fatal(err)
			}
			s := run.report.Summary
			if len(doc.Suites) != 1 || doc.Suites[0].Name != "authdoctor" {
				t.Fatalf("want one suite named authdoctor, got %+v", doc.Suites)
			}
			suite := doc.Suites[0]
			tests := len(run.report.Checks)
			if doc.Tests != tests || suite.Tests != tests || len(suite.Cases) != tests {
				t.Errorf("tests = %d/%d/%d cases, want %d", doc.Tests, suite.Tests, len(suite.Cases), tests)
			}
			// A warning or skip that fails the run by policy (--fail-on)
			// is a failure, as the exit code says.
			failed, skipped := s.Failed+len(s.PolicyFailures), s.Skipped
			for _, c := range run.report.Checks {
				if c.Status == Skip && run.report.failsByPolicy(c) {
					skipped--
				}
			}
			if doc.Failures != failed || suite.Failures != failed {
				t.Errorf("failures = %d/%d, want %d", doc.Failures, suite.Failures, failed)
			}
			if doc.Skipped != skipped || suite.Skipped != skipped {
				t.Errorf("skipped = %d/%d, want %d", doc.Skipped, suite.Skipped, skipped)
			}
			for i, c := range run.report.Checks {
				tc := suite.Cases[i]
				if !strings.HasPrefix(tc.Name, c.ID) {
					t.Errorf("case %d named %q, want it to start with %q", i, tc.Name, c.ID)
				}
				switch {
				case run.report.failsByPolicy(c):
					if tc.Failure == nil || tc.Skipped != nil || !strings.Contains(tc.Failure.Message, run.report.Policy.flag(c.Status)) {
						t.Errorf("case %s: a %s under --fail-on must be a failure naming the policy, got %+v", c.ID, c.Status, tc)
					}
					continue
				}
				switch c.Status {
				case Fail:
					if tc.Failure == nil || tc.Failure.Type != c.Code || !strings.HasPrefix(tc.Failure.Message, c.Code+": ") ||
						!strings.Contains(tc.Failure.Body, c.Fix) {
						t.Errorf("case %s: failure = %+v", c.ID, tc.Failure)
					}
				case Skip:
					if tc.Skipped == nil || tc.Skipped.Message == "" {
						t.Errorf("case %s: skipped = %+v", c.ID, tc.Skipped)
					}
				case Warn:
					if tc.Failure != nil || !strings.HasPrefix(tc.SystemOut, "WARN "+c.Code+": ") {
						t.Errorf("case %s: a warning must pass with WARN on system-out, got %+v", c.ID, tc)
					}
				}
			}
		})
	}
}

// TestJUnitSurvivesControlCharacters checks that a server message carrying
// an escape byte (a coloured log line) still yields a file CI can parse.
func TestJUnitSurvivesControlCharacters(t *testing.T) {
	r := Report{Checks: []CheckResult{{
		ID: "graphql", Status: Fail, Code: "GRAPHQL_UNREACHABLE",
		Message: "proxy said \x1b[31mno\x1b[0m ]]> \x00", Fix: "fix \x1b[0m ]]>", Duration: time.Second,
	}}}
	r.Summary = Count(r.Checks)
	assertWellFormedXML(t, render(t, r, FormatJUnit, Options{}))
}

func assertWellFormedXML(t *testing.T, out []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(out))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, out)
		}
	}
}
