package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/internal/redact"
)

// redact.Writer holds text back until a line end. These tests make sure
// nothing the renderers or Live write is left waiting there, where it would
// surface late (an erase sequence after the report) or never.

func TestEveryFormatEndsWithALineEnd(t *testing.T) {
	for _, run := range testRuns() {
		for _, v := range goldenVariants() {
			out := render(t, run.report, v.format, v.opts)
			if !bytes.HasSuffix(out, []byte("\n")) {
				t.Errorf("%s/%s does not end with a newline", run.name, v.suffix)
			}
		}
	}
}

func TestLiveThroughRedactWriterNeedsNoFlush(t *testing.T) {
	var screen bytes.Buffer
	set := redact.NewSet()
	set.Add("eyJhbGciOiJSUzI1NiJ9.secret-token")
	ticks := make(chan time.Time)
	l := newLive(redact.NewWriter(&screen, set), []string{"tls", "credentials"}, false, ticks, func() {})
	l.Start(0)
	ticks <- time.Time{}
	l.Done(0, Pass, "", 84*time.Millisecond)
	ticks <- time.Time{}
	l.Stop()
	// No Flush: every frame and the final erase must already be on screen.
	if got := screen.String(); !strings.HasSuffix(got, "\x1b[2A\r\x1b[J\r") {
		t.Errorf("erase still held back by redact.Writer; screen: %q", got)
	}
}
