package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/internal/iostreams"
)

// On a terminal: colour and live lines, unless NO_COLOR (colour only) or
// TERM=dumb (neither: such terminals print escape codes as text).
func TestTerminalEscapes(t *testing.T) {
	// Slow enough answers that the live lines draw at least one frame.
	srv := startSandbox(t, fixtures.Options{Latency: 60 * time.Millisecond})
	tests := []struct {
		name          string
		extra         map[string]string
		wantOutEscape bool
		wantErrEscape bool
	}{
		{"terminal", nil, true, true},
		{"NO_COLOR", map[string]string{"NO_COLOR": "1"}, false, true},
		{"TERM=dumb", map[string]string{"TERM": "dumb"}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := srv.env(anaEnv())
			for k, v := range tt.extra {
				env[k] = v
			}
			var out, errOut bytes.Buffer
			s := iostreams.Streams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, OutTTY: true, ErrTTY: true, OutWidth: 120}
			if code := newApp(s, env, t.TempDir()).execute(context.Background(), []string{"authdoctor", "check"}); code != exitOK {
				t.Fatalf("exit %d: %s%s", code, out.String(), errOut.String())
			}
			if got := strings.Contains(out.String(), "\x1b["); got != tt.wantOutEscape {
				t.Errorf("escape codes on stdout: %v, want %v", got, tt.wantOutEscape)
			}
			if got := strings.Contains(errOut.String(), "\x1b["); got != tt.wantErrEscape {
				t.Errorf("escape codes on stderr (live lines): %v, want %v", got, tt.wantErrEscape)
			}
		})
	}
}
