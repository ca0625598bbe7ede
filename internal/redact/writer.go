package redact

import (
	"bytes"
	"io"
	"sync"
)

// Writer scrubs every registered secret from what passes through it.
//
// Text is held back until a line end ('\n' or '\r', so live terminal lines
// still move) and scrubbed a line at a time, which catches a secret that a
// caller wrote in two pieces. Flush writes whatever is held back.
type Writer struct {
	mu  sync.Mutex
	set *Set
	out io.Writer
	buf bytes.Buffer
}

// NewWriter wraps out.
func NewWriter(out io.Writer, set *Set) *Writer { return &Writer{set: set, out: out} }

// Write implements io.Writer.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	data := w.buf.Bytes()
	cut := bytes.LastIndexAny(data, "\n\r")
	if cut < 0 {
		return len(p), nil
	}
	line := data[:cut+1]
	if _, err := io.WriteString(w.out, w.set.Scrub(string(line))); err != nil {
		return 0, err
	}
	rest := append([]byte(nil), data[cut+1:]...)
	w.buf.Reset()
	w.buf.Write(rest)
	return len(p), nil
}

// Flush writes (scrubbed) whatever is held back.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.buf.Len() == 0 {
		return nil
	}
	_, err := io.WriteString(w.out, w.set.Scrub(w.buf.String()))
	w.buf.Reset()
	return err
}
