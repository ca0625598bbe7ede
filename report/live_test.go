package report

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// newTestLive returns a Live whose frames are drawn only when the test sends
// a tick, so its output is deterministic.
func newTestLive(w *bytes.Buffer, ids []string, color bool) (*Live, chan<- time.Time) {
	ticks := make(chan time.Time)
	return newLive(w, ids, color, ticks, func() {}), ticks
}

func TestLiveLines(t *testing.T) {
	tests := []struct {
		name  string
		color bool
		setup func(l *Live)
		want  []string
	}{
		{
			name:  "waiting",
			setup: func(l *Live) {},
			want:  []string{"  · tls", "  · credentials", "  · roles"},
		},
		{
			name: "running and done",
			setup: func(l *Live) {
				l.Start(0)
				l.Done(0, Pass, "", 84*time.Millisecond)
				l.Start(1)
				l.Done(1, Fail, "INVALID_USER_CREDENTIALS", 238*time.Millisecond)
				l.Start(2)
			},
			want: []string{
				"  ✓ tls          PASS 84ms",
				"  ✗ credentials  FAIL INVALID_USER_CREDENTIALS 0.2s",
				"  ⠋ roles",
			},
		},
		{
			name: "warn and skip",
			setup: func(l *Live) {
				l.Done(0, Warn, "TLS_VERIFY_DISABLED", 71*time.Millisecond)
				l.Done(2, Skip, "", 0)
			},
			want: []string{
				"  ! tls          WARN TLS_VERIFY_DISABLED 71ms",
				"  · credentials",
				"  - roles        SKIP",
			},
		},
		{
			name:  "colour",
			color: true,
			setup: func(l *Live) {
				l.Done(0, Pass, "", 84*time.Millisecond)
				l.Done(1, Fail, "INVALID_USER_CREDENTIALS", 238*time.Millisecond)
			},
			want: []string{
				"  \x1b[32m✓\x1b[0m tls          \x1b[32mPASS\x1b[0m \x1b[2m84ms\x1b[0m",
				"  \x1b[31m✗\x1b[0m credentials  \x1b[31mFAIL\x1b[0m INVALID_USER_CREDENTIALS \x1b[2m0.2s\x1b[0m",
				"\x1b[2m  · roles\x1b[0m",
			},
		},
		{
			name: "out of range is ignored",
			setup: func(l *Live) {
				l.Start(-1)
				l.Done(3, Fail, "X", time.Second)
			},
			want: []string{"  · tls", "  · credentials", "  · roles"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			l, _ := newTestLive(&b, []string{"tls", "credentials", "roles"}, tt.color)
			defer l.Stop()
			tt.setup(l)
			l.mu.Lock()
			got := l.lines()
			l.mu.Unlock()
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("lines:\n%q\nwant:\n%q", got, tt.want)
			}
		})
	}
}

// TestLiveRedrawsInPlaceAndErases follows a whole run: each tick redraws the
// block over the previous one, and Stop leaves the screen clean.
func TestLiveRedrawsInPlaceAndErases(t *testing.T) {
	var b bytes.Buffer
	l, ticks := newTestLive(&b, []string{"tls", "realm"}, false)
	l.Start(0)
	ticks <- time.Time{}
	l.Done(0, Pass, "", 84*time.Millisecond)
	l.Start(1)
	ticks <- time.Time{}
	l.Stop()
	l.Stop() // a second Stop is harmless

	want := "" +
		// first frame: drawn where the cursor is
		"\r\x1b[2K  ⠋ tls\n" +
		"\r\x1b[2K  · realm\n" +
		// second frame: back up two lines, redraw, spinner advanced
		"\x1b[2A" +
		"\r\x1b[2K  ✓ tls    PASS 84ms\n" +
		"\r\x1b[2K  ⠙ realm\n" +
		// Stop: back up and clear to the end of the screen
		"\x1b[2A\r\x1b[J\r"
	if got := b.String(); got != want {
		t.Errorf("output:\n%q\nwant:\n%q", got, want)
	}
}

func TestLiveStopBeforeAnyFrameWritesNothing(t *testing.T) {
	var b bytes.Buffer
	l, _ := newTestLive(&b, []string{"tls"}, false)
	l.Start(0)
	l.Stop()
	if b.Len() != 0 {
		t.Errorf("wrote %q", b.String())
	}
}

// TestLiveConcurrentUse drives the real ticker from several goroutines; run
// with -race, it proves Start, Done and drawing share state safely.
func TestLiveConcurrentUse(t *testing.T) {
	ids := []string{"tls", "realm", "credentials", "roles", "graphql", "refresh"}
	w := &lockedBuffer{}
	l := NewLive(w, ids, true)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.Start(i)
			time.Sleep(time.Duration(30*i) * time.Millisecond)
			l.Done(i, Pass, "", time.Duration(i)*time.Millisecond)
		}()
	}
	wg.Wait()
	time.Sleep(250 * time.Millisecond) // let the ticker draw a few frames
	l.Stop()
	out := w.String()
	if !strings.Contains(out, "refresh") {
		t.Errorf("no frame drawn: %q", out)
	}
	if !strings.HasSuffix(out, "\x1b[J\r") {
		t.Errorf("Stop did not erase the lines: %q", out)
	}
}

// lockedBuffer is a bytes.Buffer that the test may read while Live writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *lockedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *lockedBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}
