// Package safego runs a function in a goroutine so that a panic in it is
// not the end of the process: it is handed back to the goroutine that
// waits for the function, where the check runner's recover turns it into
// the check's INTERNAL_ERROR.
package safego

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
)

// Panic is a panic that happened in another goroutine, re-raised by Wait.
type Panic struct {
	Value any
	Site  string // function (file:line) that panicked
}

func (p *Panic) Error() string { return fmt.Sprint(p.Value) }

// Go starts fn in a goroutine and returns the function that waits for it;
// if fn panicked, the wait panics with a *Panic in the caller's goroutine.
func Go(fn func()) (wait func()) {
	done := make(chan *Panic, 1)
	go func() {
		var caught *Panic
		defer func() { done <- caught }()
		defer func() {
			if v := recover(); v != nil {
				caught = &Panic{Value: v, Site: Site(3)}
			}
		}()
		fn()
	}()
	return func() {
		if p := <-done; p != nil {
			panic(p)
		}
	}
}

// Site names the function and line that panicked, e.g.
// "github.com/authdoctor/authdoctor/checks.checkGraphQL (check_graphql.go:42)",
// called from a deferred recover: the first frame outside the runtime, skip
// frames up. A *Panic re-raised by the wait keeps the original panic's site.
func Site(skip int) string {
	pcs := make([]uintptr, 32)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(skip, pcs)])
	for {
		f, more := frames.Next()
		if f.Function != "" && !strings.HasPrefix(f.Function, "runtime.") {
			// The function names the package; the file's base name is
			// enough, and keeps this machine's directories out of a report.
			return fmt.Sprintf("%s (%s:%d)", f.Function, filepath.Base(f.File), f.Line)
		}
		if !more {
			return "unknown"
		}
	}
}
