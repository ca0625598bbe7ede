package config

import (
	"slices"
	"strings"

	"github.com/authdoctor/authdoctor/checks"
	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/report"
)

// runPolicy: --only and --skip (check ids; the command line checks them
// against the catalogue, with suggestions), --fail-on and --strict.
func runPolicy(r resolved, c *checks.Config) error {
	for _, sel := range []struct {
		name string
		dst  *[]codes.CheckID
	}{{"only", &c.Only}, {"skip", &c.Skip}} {
		for _, v := range r.list(sel.name) {
			id := codes.CheckID(strings.ToLower(strings.TrimSpace(v)))
			if !slices.Contains(*sel.dst, id) {
				*sel.dst = append(*sel.dst, id)
			}
		}
	}
	strict, err := r.boolean("strict")
	if err != nil {
		return err
	}
	var failOn []string
	c.Strict = strict
	if strict {
		failOn = []string{"warn", "skip"}
	}
	for _, v := range r.list("fail-on") {
		status := strings.ToLower(strings.TrimSpace(v))
		switch status {
		case "warn", "warning", "warnings":
			status = "warn"
		case "skip", "skipped":
			status = "skip"
		default:
			return errorf("%s %s: want warn or skip (a failure always fails the run)", r.label("fail-on"), shown(v))
		}
		failOn = append(failOn, status)
	}
	// In report order of severity: warn, then skip.
	for _, s := range []report.Status{report.Warn, report.Skip} {
		if slices.Contains(failOn, string(s)) {
			c.FailOn = append(c.FailOn, s)
		}
	}
	return nil
}
