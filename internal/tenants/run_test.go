package tenants

import (
	"context"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/checks"
	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/keycloak"
)

// A run whose deadline has passed still reports every tenant, as failed,
// so that none drops out of the matrix or the exit code.
func TestRunReportsEveryTenantAfterTheDeadline(t *testing.T) {
	base := &checks.Config{KeycloakURL: "http://127.0.0.1:1", Credentials: keycloak.Credentials{ClientID: "c"}, Timeout: time.Second}
	list, err := Parse("f", []byte("a\nb\nc\n"))
	if err != nil {
		t.Fatal(err)
	}
	cfgs, err := Configs("f", base, list, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m := Run(ctx, base, list, cfgs, Options{Parallel: 2, Secrets: func(*checks.Config) *redact.Set { return redact.NewSet() }})
	if len(m.Tenants) != 3 || m.ExitCode != 1 {
		t.Fatalf("%d tenants, exit %d; want 3 tenants, exit 1", len(m.Tenants), m.ExitCode)
	}
	for _, tr := range m.Tenants {
		if tr.Report.ExitCode != 1 {
			t.Errorf("%s: exit %d", tr.Tenant, tr.Report.ExitCode)
		}
	}
}
