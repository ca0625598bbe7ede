package report

import (
	"bytes"
	"encoding/xml"

	"github.com/jstemmer/go-junit-report/v2/junit"
)

// renderMatrixJUnit writes one test suite per tenant (named after it) with
// one test case per check, as renderJUnit does for one run: CI dashboards
// then show which tenants failed which check, grouped by code (the
// failure's type).
func renderMatrixJUnit(m Matrix) ([]byte, error) {
	var suites junit.Testsuites
	for _, t := range m.Tenants {
		suite := junit.Testsuite{
			Name: junitName + "/" + t.Tenant,
			Time: junitSeconds(suiteDuration(t.Report)),
			Properties: &[]junit.Property{
				{Name: "keycloak_url", Value: t.Report.Target.KeycloakURL},
				{Name: "realm", Value: t.Report.Target.Realm},
				{Name: "client_id", Value: t.Report.Target.ClientID},
				{Name: "grant", Value: t.Report.Target.Grant},
			},
		}
		if !t.Report.Environment.Time.IsZero() {
			suite.SetTimestamp(t.Report.Environment.Time.UTC())
		}
		for _, c := range t.Report.Checks {
			suite.AddTestcase(junitCase(c))
		}
		suites.AddSuite(suite)
	}
	suites.Time = junitSeconds(m.Duration)
	var b bytes.Buffer
	b.WriteString(xml.Header)
	if err := suites.WriteXML(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
