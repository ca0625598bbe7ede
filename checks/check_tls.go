package checks

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/internal/safego"
)

// checkTLS connects to the Keycloak host, and to the GraphQL host when it is
// another one, exactly as the later requests will (the connections are kept
// for them).
func checkTLS(ctx context.Context, facts *Facts) Result {
	kc := facts.Config.KeycloakURL
	probes := []httpx.TLSProbe{{}}
	gqlDiffers := facts.Config.GraphQLURL != "" && origin(facts.Config.GraphQLURL) != origin(kc)
	if gqlDiffers {
		probes = append(probes, httpx.TLSProbe{})
		wait := safego.Go(func() {
			probes[1] = facts.Transport.ProbeTLS(ctx, facts.Config.GraphQLURL, facts.Now())
		})
		probes[0] = facts.Transport.ProbeTLS(ctx, kc, facts.Now())
		wait()
	} else {
		probes[0] = facts.Transport.ProbeTLS(ctx, kc, facts.Now())
	}

	details := map[string]any{"keycloak": probes[0].Details}
	if gqlDiffers {
		details["graphql"] = probes[1].Details
	}
	if p := probes[0].Problem; p != nil {
		return tlsFailure(p, details, false)
	}
	if gqlDiffers && probes[1].Problem != nil {
		facts.GraphQLTLS = probes[1].Problem
		r := tlsFailure(probes[1].Problem, details, true)
		r.Message = "GraphQL host " + r.Message
		return r
	}

	var warnings []*httpx.Problem
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
		r := found(warnings[0].Code, strings.Join(texts, "; "))
		r.Details = details
		if len(warnings) > 1 {
			details["other_warnings"] = codesOf(warnings[1:])
		}
		return r
	}
	return pass(msg, details)
}

func tlsFailure(p *httpx.Problem, details map[string]any, keepGoing bool) Result {
	r := found(p.Code, p.Message)
	r.Hint, r.KeepGoing = p.Hint, keepGoing
	for k, v := range p.Details {
		details[k] = v
	}
	r.Details = details
	return r
}

func describeProbe(p httpx.TLSProbe) string {
	if v, ok := p.Details["tls_version"]; ok {
		s := fmt.Sprintf("%s: %v", p.Addr, v)
		if na, ok := p.Details["not_after"]; ok {
			s += fmt.Sprintf(", certificate valid until %v", na)
			if days, ok := p.Details["days_left"].(int); ok {
				s += fmt.Sprintf(" (%d days left)", days)
			}
		}
		return s
	}
	return p.Addr + ": reachable (plain HTTP)"
}

func codesOf(ps []*httpx.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Code.ID)
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
