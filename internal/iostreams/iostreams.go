package iostreams

import (
	"io"
	"os"

	"golang.org/x/term"
)

// Streams are the program's standard streams, injected so that every command
// can be tested with buffers (the GitHub CLI's IOStreams).
type Streams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// OutTTY and ErrTTY say whether the stream is a terminal: colour and the
	// live progress lines are only for terminals.
	OutTTY bool
	ErrTTY bool
	// OutWidth is the terminal's width in columns when Out is a terminal, else 0.
	OutWidth int
}

// System returns the process's real streams.
func System() Streams {
	s := Streams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		OutTTY: term.IsTerminal(int(os.Stdout.Fd())),
		ErrTTY: term.IsTerminal(int(os.Stderr.Fd())),
	}
	if s.OutTTY {
		if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil {
			s.OutWidth = w
		}
	}
	return s
}
