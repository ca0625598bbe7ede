package report

// ANSI SGR parameters. Plain 8-colour codes only: they follow the user's
// terminal theme, unlike 256-colour or RGB codes.
const (
	sgrRed    = "31"
	sgrGreen  = "32"
	sgrYellow = "33"
	sgrDim    = "2"
	sgrBold   = "1"
)

// paint wraps s in an SGR sequence when colour is on. Colour is never the
// only signal: every coloured word is also a word (PASS, FAIL, ...).
func paint(on bool, sgr, s string) string {
	if !on || s == "" {
		return s
	}
	return "\x1b[" + sgr + "m" + s + "\x1b[0m"
}

// statusColor is the colour of a status wherever it is shown.
func statusColor(s Status) string {
	switch s {
	case Pass:
		return sgrGreen
	case Warn:
		return sgrYellow
	case Fail:
		return sgrRed
	default:
		return sgrDim
	}
}
