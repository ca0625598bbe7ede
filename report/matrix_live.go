package report

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// MatrixLive is the one live summary line of a run over many tenants, on a
// terminal: "⠋ 412/1000 tenants · 380 ok · 12 warn · 4 fail · 16 running".
// One line whatever the number of tenants (a line per tenant would scroll
// a thousand lines past); the matrix follows when the run ends. Methods may
// be called from any goroutine.
type MatrixLive struct {
	w      io.Writer
	color  bool
	total  int
	frames []string

	mu                              sync.Mutex
	running, passed, warned, failed int
	tick                            int
	drawn                           bool
	quit, done                      chan struct{}
	stopOnce                        sync.Once
}

// NewMatrixLive starts drawing the summary of total tenants to w.
func NewMatrixLive(w io.Writer, total int, color bool) *MatrixLive {
	ticker := time.NewTicker(liveInterval)
	return newMatrixLive(w, total, color, ticker.C, ticker.Stop)
}

func newMatrixLive(w io.Writer, total int, color bool, ticks <-chan time.Time, stopTicks func()) *MatrixLive {
	l := &MatrixLive{w: w, color: color, total: total, frames: strings.Split(spinnerFrames, ""), quit: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(l.done)
		defer stopTicks()
		for {
			select {
			case <-l.quit:
				return
			case <-ticks:
				l.redraw()
			}
		}
	}()
	return l
}

// Start counts a tenant whose run began.
func (l *MatrixLive) Start() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.running++
}

// Done counts a tenant whose run ended with report r.
func (l *MatrixLive) Done(r Report) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.running--
	switch tenantStatus(r) {
	case Fail:
		l.failed++
	case Warn:
		l.warned++
	default:
		l.passed++
	}
}

// Stop ends the drawing and erases the line; it may be called more than once.
func (l *MatrixLive) Stop() {
	l.stopOnce.Do(func() {
		close(l.quit)
		<-l.done
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.drawn {
			// The trailing "\r": redact.Writer holds text back until a line end.
			_, _ = io.WriteString(l.w, fmt.Sprintf(ansiCursorUpFmt, 1)+"\r"+ansiClearToEnd+"\r")
			l.drawn = false
		}
	})
}

func (l *MatrixLive) redraw() {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	if l.drawn {
		fmt.Fprintf(&b, ansiCursorUpFmt, 1)
	}
	b.WriteString("\r" + ansiClearLine + l.line() + "\n")
	l.tick++
	l.drawn = true
	_, _ = io.WriteString(l.w, b.String())
}

// line is the current frame's text. Callers hold mu.
func (l *MatrixLive) line() string {
	finished := l.passed + l.warned + l.failed
	parts := []string{
		fmt.Sprintf("%s %d/%d tenants", l.frames[l.tick%len(l.frames)], finished, l.total),
		paint(l.color, statusColor(Pass), fmt.Sprintf("%d ok", l.passed)),
		paint(l.color, statusColor(Warn), fmt.Sprintf("%d warn", l.warned)),
		paint(l.color, statusColor(Fail), fmt.Sprintf("%d fail", l.failed)),
		fmt.Sprintf("%d running", l.running),
	}
	return strings.Join(parts, " · ")
}
