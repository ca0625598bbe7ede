package checks

import (
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/report"
)

// TestFilledSessionLifespan: the SSO Session Max a JOB_OUTLIVES_SESSION fix
// sets is filled from --job-duration, rounded up to the next whole hour
// after the job (an unfilled <seconds> would be a redirection to bash).
func TestFilledSessionLifespan(t *testing.T) {
	tests := []struct {
		job  time.Duration
		want string
	}{
		{12 * time.Hour, "-s ssoSessionMaxLifespan=46800"},
		{90 * time.Minute, "-s ssoSessionMaxLifespan=7200"},
		{59 * time.Second, "-s ssoSessionMaxLifespan=3600"},
		{0, "-s ssoSessionMaxLifespan=<seconds>"},
	}
	for _, tt := range tests {
		cfg := fixConfig("password")
		cfg.JobDuration = tt.job
		results := []report.CheckResult{{ID: string(codes.CheckRefresh), Code: codes.JobOutlivesSession.ID}}
		FillFixes(results, cfg)
		text := commandsText(results[0].Commands)
		if !strings.Contains(text, tt.want) {
			t.Errorf("job %s: want %q in:\n%s", tt.job, tt.want, text)
		}
	}
}
