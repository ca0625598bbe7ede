package checks

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/report"
)

// The event of an attempt whose answer had no Date (Keycloak 26.7, the
// sandbox's default profile) is looked for in the minute before the
// refinement, on the server's clock: found when the refinement runs 58 s
// after the attempt, not when it runs 75 s after. The run's clock
// (Options.Now) plays the time that passed; each case has its own sandbox,
// so no other test's event is in the window. Mutation testing found the
// window's arithmetic and the events query's lower bound unpinned
// (docs/mutation-testing.md).
func TestEventWindowWithoutDate(t *testing.T) {
	unknownUser := scenarioNamed(t, "unknown-user-event")
	run := func(t *testing.T, later time.Duration, edit func(*Config)) report.CheckResult {
		sb, err := fixtures.New(fixtures.Options{})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(sb.Handler())
		t.Cleanup(srv.Close)
		cfg := scenarioConfig(t, srv.URL, unknownUser)
		cfg.GraphQLURL = ""
		if edit != nil {
			edit(cfg)
		}
		rep := Diagnose(context.Background(), cfg, Options{Version: "test", RetryWait: time.Millisecond, Secrets: redact.NewSet(),
			Now: func() time.Time { return time.Now().Add(later) }})
		return resultOf(t, rep, codes.CheckCredentials)
	}

	t.Run("58 s later: in the window", func(t *testing.T) {
		r := run(t, 58*time.Second, nil)
		if r.Code != codes.UserNotFound.ID || len(r.Events) != 1 {
			t.Fatalf("got %s %s, events %+v", r.Code, r.Message, r.Events)
		}
		// One event: no note about choosing among several.
		if note, ok := r.Details["events"]; ok {
			t.Errorf("note %q", note)
		}
	})
	t.Run("75 s later: out of the window", func(t *testing.T) {
		r := run(t, 75*time.Second, nil)
		if r.Code != codes.InvalidUserCredentials.ID || len(r.Events) != 0 {
			t.Fatalf("got %s %s, events %+v", r.Code, r.Message, r.Events)
		}
		if note, _ := r.Details["events"].(string); !strings.HasPrefix(note, "no LOGIN_ERROR event of client admin-portal around ") {
			t.Errorf("note %q", note)
		}
	})
	t.Run("admin login refused: the note says so", func(t *testing.T) {
		r := run(t, 0, func(c *Config) { c.Admin.Password = "not-the-admin-password-1" })
		if r.Code != codes.InvalidUserCredentials.ID || len(r.Events) != 0 {
			t.Fatalf("got %s %s", r.Code, r.Message)
		}
		if note := r.Details["events"]; note != "not read: the admin login failed (see the events check)" {
			t.Errorf("note %q", note)
		}
	})
}
