package report

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// liveInterval is how often the progress lines are redrawn: fast enough for
// the spinner to look alive, slow enough not to flood a remote terminal.
const liveInterval = 100 * time.Millisecond

// spinnerFrames are the running marker's frames (Braille dots, one cell wide
// in every common terminal font).
const spinnerFrames = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"

// ANSI sequences for redrawing in place.
const (
	ansiClearLine   = "\x1b[2K"  // erase the whole current line
	ansiClearToEnd  = "\x1b[J"   // erase from the cursor to the end of the screen
	ansiCursorUpFmt = "\x1b[%dA" // move the cursor up n lines
)

// Live shows the checks' progress on a terminal while they run: one line per
// check, redrawn in place. Create it only when the stream is a terminal; Stop
// erases the lines so that the final report starts on a clean screen.
//
// Start and Done may be called from any goroutine.
type Live struct {
	w      io.Writer
	color  bool
	ids    []string
	idW    int      // width of the longest id, to align the columns
	frames []string // spinner frames

	mu     sync.Mutex
	checks []liveCheck
	tick   int // frames drawn so far; picks the spinner frame
	drawn  int // lines on screen, to move back over on the next draw

	quit     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

type livePhase int

const (
	liveWaiting livePhase = iota
	liveRunning
	liveDone
)

type liveCheck struct {
	phase    livePhase
	status   Status
	code     string
	duration time.Duration
}

// NewLive starts drawing progress for the checks with these ids (in
// catalogue order) to w, usually standard error.
func NewLive(w io.Writer, ids []string, color bool) *Live {
	ticker := time.NewTicker(liveInterval)
	return newLive(w, ids, color, ticker.C, ticker.Stop)
}

// newLive takes the ticks from the caller so that tests decide when frames
// are drawn; stopTicks is called when the drawing goroutine ends.
func newLive(w io.Writer, ids []string, color bool, ticks <-chan time.Time, stopTicks func()) *Live {
	l := &Live{
		w:      w,
		color:  color,
		ids:    append([]string(nil), ids...),
		frames: strings.Split(spinnerFrames, ""),
		checks: make([]liveCheck, len(ids)),
		quit:   make(chan struct{}),
		done:   make(chan struct{}),
	}
	for _, id := range ids {
		l.idW = max(l.idW, len([]rune(id)))
	}
	go l.loop(ticks, stopTicks)
	return l
}

// Start marks check index as running.
func (l *Live) Start(index int) {
	l.update(index, func(c *liveCheck) { c.phase = liveRunning })
}

// Done records check index's outcome.
func (l *Live) Done(index int, status Status, code string, d time.Duration) {
	l.update(index, func(c *liveCheck) {
		*c = liveCheck{phase: liveDone, status: status, code: code, duration: d}
	})
}

// Stop ends the drawing and erases the progress lines. It returns once the
// screen is clean, and may be called more than once.
func (l *Live) Stop() {
	l.stopOnce.Do(func() {
		close(l.quit)
		<-l.done // no frame can be drawn after this
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.drawn == 0 {
			return
		}
		// The trailing "\r" matters: redact.Writer holds text back until a
		// line end, and the erase must reach the terminal before the report.
		l.write(fmt.Sprintf(ansiCursorUpFmt, l.drawn) + "\r" + ansiClearToEnd + "\r")
		l.drawn = 0
	})
}

func (l *Live) update(index int, change func(*liveCheck)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if index < 0 || index >= len(l.checks) {
		return // a caller's bug must not crash a diagnosis
	}
	change(&l.checks[index])
}

func (l *Live) loop(ticks <-chan time.Time, stopTicks func()) {
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
}

// redraw replaces the lines on screen with the current state, in a single
// write so the terminal never shows half a frame.
func (l *Live) redraw() {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	if l.drawn > 0 {
		fmt.Fprintf(&b, ansiCursorUpFmt, l.drawn)
	}
	for _, line := range l.lines() {
		b.WriteString("\r" + ansiClearLine + line + "\n")
	}
	l.tick++
	l.write(b.String())
	l.drawn = len(l.checks)
}

// write ignores errors: a terminal that went away is no reason to stop the
// diagnosis, and the report itself reports its own write errors.
func (l *Live) write(s string) {
	_, _ = io.WriteString(l.w, s)
}

// lines renders one line per check for the current frame. Callers hold mu.
func (l *Live) lines() []string {
	out := make([]string, len(l.checks))
	for i, c := range l.checks {
		id := l.ids[i]
		switch c.phase {
		case liveWaiting:
			out[i] = paint(l.color, sgrDim, "  · "+id)
		case liveRunning:
			out[i] = "  " + l.frames[l.tick%len(l.frames)] + " " + id
		default:
			// Pad the id so that the outcomes line up in a column.
			padded := id + strings.Repeat(" ", l.idW-len([]rune(id)))
			out[i] = "  " + paint(l.color, statusColor(c.status), statusMark(c.status)) + " " + padded + "  " + l.outcome(c)
		}
	}
	return out
}

func (l *Live) outcome(c liveCheck) string {
	parts := []string{paint(l.color, statusColor(c.status), statusWord(c.status))}
	if c.code != "" {
		parts = append(parts, c.code)
	}
	if c.duration > 0 && c.status != Skip {
		parts = append(parts, paint(l.color, sgrDim, shortDuration(c.duration)))
	}
	return strings.Join(parts, " ")
}

// statusMark is the one-character sign of a finished check.
func statusMark(s Status) string {
	switch s {
	case Pass:
		return "✓"
	case Warn:
		return "!"
	case Fail:
		return "✗"
	default:
		return "-"
	}
}
