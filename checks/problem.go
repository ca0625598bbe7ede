package checks

import (
	"github.com/authdoctor/authdoctor/keycloak"
	"github.com/authdoctor/authdoctor/report"
)

// fromProblem turns a classified failure into a failing (or, for warning
// codes, warning) result.
func fromProblem(p *keycloak.Problem) Result {
	status := report.Fail
	if isWarning(p.Code) {
		status = report.Warn
	}
	details := map[string]any{}
	for k, v := range p.Details {
		details[k] = v
	}
	return Result{Status: status, Code: p.Code, Message: p.Message, Hint: p.Hint, Details: details}
}

func isWarning(code string) bool {
	for _, c := range Codes() {
		if c.ID == code {
			return c.Severity == SeverityWarn
		}
	}
	return false
}
