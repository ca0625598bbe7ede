package checks

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/authdoctor/authdoctor/keycloak"
)

// checkTLS connects to the Keycloak host, and to the GraphQL host when it is
// another one, exactly as the later requests will (the connections are kept
// for them).
func checkTLS(ctx context.Context, run *Run) Result {
	kc := run.Config.KeycloakURL
	probes := []keycloak.TLSProbe{{}}
	gqlDiffers := run.Config.GraphQLURL != "" && origin(run.Config.GraphQLURL) != origin(kc)
	if gqlDiffers {
		probes = append(probes, keycloak.TLSProbe{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			probes[1] = run.Transport.ProbeTLS(ctx, run.Config.GraphQLURL, run.Now())
		}()
		probes[0] = run.Transport.ProbeTLS(ctx, kc, run.Now())
		<-done
	} else {
		probes[0] = run.Transport.ProbeTLS(ctx, kc, run.Now())
	}

	details := map[string]any{"keycloak": probes[0].Details}
	if gqlDiffers {
		details["graphql"] = probes[1].Details
	}
	if p := probes[0].Problem; p != nil {
		return tlsFailure(p, details, false)
	}
	if gqlDiffers && probes[1].Problem != nil {
		run.graphqlTLS = probes[1].Problem
		r := tlsFailure(probes[1].Problem, details, true)
		r.Message = "GraphQL host " + r.Message
		return r
	}

	var warnings []*keycloak.Problem
	var summary []string
	for _, p := range probes {
		warnings = append(warnings, p.Warnings...)
		summary = append(summary, describeProbe(p))
	}
	msg := strings.Join(summary, "; ")
	if len(warnings) > 0 {
		var texts []string
		for _, w := range warnings {
			texts = append(texts, w.Message)
		}
		r := warn(warnings[0].Code, strings.Join(texts, "; "))
		r.Details = details
		if len(warnings) > 1 {
			details["other_warnings"] = codesOf(warnings[1:])
		}
		return r
	}
	return pass(msg, details)
}

func tlsFailure(p *keycloak.Problem, details map[string]any, keepGoing bool) Result {
	r := fail(p.Code, p.Message)
	r.Hint, r.KeepGoing = p.Hint, keepGoing
	for k, v := range p.Details {
		details[k] = v
	}
	r.Details = details
	return r
}

func describeProbe(p keycloak.TLSProbe) string {
	if v, ok := p.Details["tls_version"]; ok {
		s := fmt.Sprintf("%s: %v", p.Addr, v)
		if na, ok := p.Details["not_after"]; ok {
			s += fmt.Sprintf(", certificate valid until %v", na)
		}
		return s
	}
	return p.Addr + ": reachable (plain HTTP)"
}

func codesOf(ps []*keycloak.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Code)
	}
	return out
}

// origin is scheme://host:port, the unit of connection reuse.
func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"https": "443", "http": "80"}[u.Scheme]
	}
	return u.Scheme + "://" + strings.ToLower(u.Hostname()) + ":" + port
}
