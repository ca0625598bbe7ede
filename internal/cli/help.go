package cli

import (
	"io"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/urfave/cli/v2"

	"github.com/authdoctor/authdoctor/internal/config"
	"github.com/authdoctor/authdoctor/report"
)

// The help is urfave/cli's: its parser finds the command and calls
// cli.HelpPrinter with the command's CustomHelpTemplate. Only the printing
// is ours: the template below, and the functions it calls, which wrap to
// the width of the injected stdout and list the flags by group with their
// environment variables.

// helpTemplate is the help of the app and of every command.
const helpTemplate = `{{header .}}

USAGE
{{usage .}}{{with description .}}

{{.}}{{end}}{{with commands .}}

COMMANDS
{{.}}{{end}}{{range flagSections .}}

{{.Title}}
{{.Body}}{{end}}{{with examples .}}

EXAMPLES
{{.}}{{end}}{{with exitCodes .}}

EXIT CODES
{{.}}{{end}}{{with footer .}}

{{.}}{{end}}
`

func init() {
	// Set once, before any run: the width travels with the writer, so runs
	// with different streams never share it.
	cli.HelpPrinter = func(w io.Writer, templ string, data any) {
		width := defaultWidth
		if hw, ok := w.(*helpWriter); ok {
			width = hw.width
		}
		cli.HelpPrinterCustom(w, templ, data, helpFuncs(width))
	}
}

// helpWriter is the app's stdout for urfave/cli, carrying the width the
// help wraps at.
type helpWriter struct {
	io.Writer
	width int
}

// Widths of the help: 80 columns when nothing says otherwise; never
// narrower than minWidth (nothing useful fits), nor wider than maxWidth
// (long lines are hard to read).
const (
	defaultWidth = 80
	minWidth     = 40
	maxWidth     = 120
)

// helpWidth is the terminal's width when stdout is a terminal, else
// $COLUMNS (set by shells, and by people piping help into less or a file),
// else 80.
func (a *app) helpWidth() int {
	w := defaultWidth
	if a.streams.OutTTY && a.streams.OutWidth > 0 {
		w = a.streams.OutWidth
	} else if n, err := strconv.Atoi(strings.TrimSpace(a.env["COLUMNS"])); err == nil && n > 0 {
		w = n
	}
	return min(max(w, minWidth), maxWidth)
}

// helpFuncs are the template's functions, for this width.
func helpFuncs(width int) map[string]any {
	h := helpPrinter{width: width}
	return map[string]any{
		"header":       h.header,
		"usage":        h.usage,
		"description":  h.description,
		"commands":     h.commands,
		"flagSections": h.flagSections,
		"examples":     h.examples,
		"exitCodes":    h.exitCodes,
		"footer":       h.footer,
	}
}

type helpPrinter struct{ width int }

// helpSubject is what the help is about: the app or one command.
type helpSubject struct {
	name     string // "" for the app, else the command's name
	helpName string // "authdoctor" or "authdoctor check"
	usage    string
	text     string // UsageText
	descr    string
	flags    []cli.Flag
	commands []*cli.Command
}

func subject(data any) helpSubject {
	switch d := data.(type) {
	case *cli.App:
		return helpSubject{helpName: d.Name, usage: d.Usage, text: d.UsageText, descr: d.Description, flags: d.VisibleFlags(), commands: d.VisibleCommands()}
	case *cli.Command:
		name := d.HelpName
		if name == "" {
			name = "authdoctor " + d.Name
		}
		return helpSubject{name: d.Name, helpName: name, usage: d.Usage, text: d.UsageText, descr: d.Description, flags: d.VisibleFlags()}
	}
	return helpSubject{}
}

// fill writes text after prefix, wrapped at the width; continuation lines
// start with indent spaces. Words are never broken: a word longer than the
// room left (a URL) stands alone on its line.
func (h helpPrinter) fill(prefix string, indent int, text string) string {
	var b strings.Builder
	b.WriteString(prefix)
	col := utf8.RuneCountInString(prefix)
	start := col // where the current line's text starts
	for _, word := range strings.Fields(text) {
		wl := utf8.RuneCountInString(word)
		switch {
		case col > start && col+1+wl > h.width:
			b.WriteString("\n" + strings.Repeat(" ", indent))
			col, start = indent, indent
		case col > start:
			b.WriteByte(' ')
			col++
		}
		b.WriteString(word)
		col += wl
	}
	return b.String()
}

func (h helpPrinter) header(data any) string {
	s := subject(data)
	return h.fill(s.helpName+": ", 2, s.usage)
}

func (h helpPrinter) usage(data any) string {
	s := subject(data)
	text := s.text
	switch {
	case text != "":
	case s.name == "":
		text = s.helpName + " COMMAND [flags]"
	default:
		text = s.helpName + " [flags]"
	}
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		// An optional part, [--since 1h], is not broken across lines.
		lines = append(lines, strings.ReplaceAll(h.fill("  ", 6, bracketsUnbroken(l)), "\ue000", " "))
	}
	return strings.Join(lines, "\n")
}

// bracketsUnbroken joins the words inside [...] with a private-use rune
// (not a space to strings.Fields), for fill to keep them on one line.
func bracketsUnbroken(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '[':
			depth++
		case r == ']' && depth > 0:
			depth--
		case r == ' ' && depth > 0:
			r = '\ue000'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (h helpPrinter) description(data any) string {
	s := subject(data)
	if s.descr == "" {
		return ""
	}
	var paras []string
	for _, p := range strings.Split(s.descr, "\n\n") {
		paras = append(paras, h.fill("", 0, p))
	}
	return strings.Join(paras, "\n\n")
}

// commandUsage is a command's one line in COMMANDS: urfave's own help
// command is described in the words of the others.
func commandUsage(c *cli.Command) string {
	if c.Name == "help" {
		return "show the help of a command (the same as COMMAND --help)"
	}
	return c.Usage
}

func (h helpPrinter) commands(data any) string {
	s := subject(data)
	if len(s.commands) == 0 {
		return ""
	}
	col := 0
	for _, c := range s.commands {
		col = max(col, len(c.Name))
	}
	col += 4
	var rows []string
	for _, c := range s.commands {
		rows = append(rows, h.column("  "+c.Name, col, commandUsage(c)))
	}
	return strings.Join(rows, "\n")
}

// column writes left, then text from column col on (wrapped, continuation
// lines indented to col); when the width leaves text too little room, or
// left is wider than col, text goes on the next lines instead.
func (h helpPrinter) column(left string, col int, text string) string {
	if h.width-col < 30 {
		return left + "\n" + h.fill(strings.Repeat(" ", 8), 8, text)
	}
	if utf8.RuneCountInString(left) > col-2 {
		return left + "\n" + h.fill(strings.Repeat(" ", col), col, text)
	}
	return h.fill(left+strings.Repeat(" ", col-utf8.RuneCountInString(left)), col, text)
}

// flagSection is one titled list of flags.
type flagSection struct{ Title, Body string }

// groupTitles are the headings of the settings' groups.
var groupTitles = map[config.Group]string{
	config.GroupTarget:      "TARGET",
	config.GroupCredentials: "CREDENTIALS",
	config.GroupGraphQL:     "GRAPHQL",
	config.GroupTLS:         "TLS AND CONNECTION",
	config.GroupOutput:      "OUTPUT",
	config.GroupRun:         "CHECKS AND EXIT POLICY",
	config.GroupAdmin:       "ADMIN ACCESS (events and role mappings)",
}

// flagGroups splits a command's flags into sections: the settings by group
// in the order of config.Groups, and the command's own flags under FLAGS,
// first when it has any besides --help, else last.
func flagGroups(flags []cli.Flag) (titles []string, sections [][]cli.Flag) {
	byGroup := map[string][]cli.Flag{}
	var own []cli.Flag
	var help cli.Flag
	for _, f := range flags {
		switch {
		case f == cli.HelpFlag:
			help = f
		case groupTitles[config.Group(flagCategory(f))] != "":
			byGroup[flagCategory(f)] = append(byGroup[flagCategory(f)], f)
		default:
			own = append(own, f)
		}
	}
	if help != nil {
		own = append(own, help)
	}
	ownFirst := len(own) > 1 || len(byGroup) == 0
	if ownFirst && len(own) > 0 {
		titles, sections = append(titles, "FLAGS"), append(sections, own)
	}
	for _, g := range config.Groups() {
		if fs := byGroup[string(g)]; len(fs) > 0 {
			titles, sections = append(titles, groupTitles[g]), append(sections, fs)
		}
	}
	if !ownFirst && len(own) > 0 {
		titles, sections = append(titles, "FLAGS"), append(sections, own)
	}
	return titles, sections
}

func flagCategory(f cli.Flag) string {
	if c, ok := f.(cli.CategorizableFlag); ok {
		return c.GetCategory()
	}
	return ""
}

func (h helpPrinter) flagSections(data any) []flagSection {
	s := subject(data)
	titles, sections := flagGroups(s.flags)
	col := 0
	for _, fs := range sections {
		for _, f := range fs {
			col = max(col, utf8.RuneCountInString(flagLeft(f)))
		}
	}
	col = min(col+2, 36)
	var out []flagSection
	for i, fs := range sections {
		var rows []string
		for _, f := range fs {
			rows = append(rows, h.column(flagLeft(f), col, flagDescription(f)))
		}
		out = append(out, flagSection{Title: titles[i], Body: strings.Join(rows, "\n")})
	}
	return out
}

// flagInfo is what the help, the man page and the completion say of a flag.
type flagInfo struct {
	long, short  string
	value        string // placeholder of its value, "" for a switch
	optional     bool   // the value is optional: --tls or --tls=VALUE
	usage        string
	defaultValue string
	envVar       string
	repeatable   bool
	file         bool // its value is a file's path
}

// describeFlag reads a flag: the settings' flags (they carry their group
// as category) from the settings table; the commands' own flags from
// urfave/cli, with a `PLACEHOLDER` in back quotes in the usage as urfave
// reads it.
func describeFlag(f cli.Flag) flagInfo {
	var fi flagInfo
	for _, n := range f.Names() {
		if len(n) == 1 {
			fi.short = n
		} else if fi.long == "" {
			fi.long = n
		}
	}
	if st, ok := settingOfFlag(f); ok {
		fi.value, fi.envVar = st.ValueName(), st.EnvVar
		// "HOST:PORT:ADDRESS: connect to ..." does not repeat the value's name.
		fi.usage = strings.TrimPrefix(st.Usage, fi.value+": ")
		if st.Kind != config.KindBool {
			fi.defaultValue = st.Default
		}
		fi.repeatable = st.Kind == config.KindList
		fi.file = fi.value == "FILE"
		return fi
	}
	doc, _ := f.(cli.DocGenerationFlag)
	if doc != nil {
		fi.usage = doc.GetUsage()
	}
	if before, rest, ok := strings.Cut(fi.usage, "`"); ok {
		if name, after, ok := strings.Cut(rest, "`"); ok {
			fi.value, fi.usage = name, strings.TrimPrefix(before+name+after, name+": ")
		}
	}
	switch v := f.(type) {
	case *cli.BoolFlag:
		fi.value = ""
	case *cli.GenericFlag:
		if b, ok := v.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			fi.optional = true
		}
	case *cli.DurationFlag:
		if v.Value != 0 {
			fi.defaultValue = shortDurationText(v.Value)
		}
		if fi.value == "" {
			fi.value = "DURATION"
		}
	case *cli.IntFlag:
		if v.Value != 0 {
			fi.defaultValue = strconv.Itoa(v.Value)
		}
		if fi.value == "" {
			fi.value = "N"
		}
	case *cli.StringSliceFlag:
		fi.repeatable = true
	case *cli.StringFlag:
		fi.defaultValue = v.Value
		fi.file = v.TakesFile
	}
	if _, isBool := f.(*cli.BoolFlag); !isBool && fi.value == "" {
		fi.value = strings.ToUpper(fi.long[strings.LastIndex(fi.long, "-")+1:])
		if fi.long == "output" {
			fi.value = "FORMAT"
		}
	}
	return fi
}

// settingOfFlag finds the setting a flag was made from (settingFlags gives
// those, and only those, a category).
func settingOfFlag(f cli.Flag) (config.Setting, bool) {
	if flagCategory(f) == "" {
		return config.Setting{}, false
	}
	for _, st := range config.Settings() {
		if st.Name == f.Names()[0] {
			return st, true
		}
	}
	return config.Setting{}, false
}

// shortDurationText writes 1h0m0s as 1h, 1m30s as 1m30s.
func shortDurationText(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// flagLeft is the flag's names and value, as typed: "  -o, --output FORMAT".
func flagLeft(f cli.Flag) string {
	fi := describeFlag(f)
	left := "      --" + fi.long
	if fi.short != "" {
		left = "  -" + fi.short + ", --" + fi.long
	}
	switch {
	case fi.value == "":
	case fi.optional:
		left += "[=" + fi.value + "]"
	default:
		left += " " + fi.value
	}
	return left
}

func flagDescription(f cli.Flag) string {
	fi := describeFlag(f)
	if f == cli.HelpFlag {
		return "show this help"
	}
	d := fi.usage
	if fi.defaultValue != "" {
		d += " (default: " + fi.defaultValue + ")"
	}
	if fi.envVar != "" {
		d += " [$" + fi.envVar + "]"
	}
	return d
}

// example is a comment and the command lines it explains.
type example struct {
	comment string
	lines   []string
}

// examples are shown at the end of the help of the app ("") and of each
// command. TestHelpExamplesAreRealCommands runs each line's command and
// flags through the parser.
var helpExamples = map[string][]example{
	"": {
		{"A healthy run: settings from the environment, ./.env or flags", []string{
			"export KEYCLOAK_URL=https://sso.example.com CLIENT_ID=admin-portal",
			"export TENANT_ID=3f6c0b9e USERNAME=ana PASSWORD='…'",
			"authdoctor check --require-role admin-user",
		}},
		{"In CI: exit 1 on a failed check; JUnit for the CI, Markdown for people", []string{
			"authdoctor check -o short --report authdoctor.xml --report authdoctor.md",
		}},
		{"A report for a support ticket, with every HTTP exchange (redacted)", []string{
			"authdoctor check -v --report support.md 2> exchanges.txt",
		}},
		{"No Keycloak at hand? The sandbox has healthy and broken accounts to try", []string{
			"authdoctor sandbox",
			"authdoctor sandbox --tls=expired",
		}},
		{"The server's own account of failed logins (needs admin access)", []string{
			"authdoctor events --tenant-id 3f6c0b9e --admin-username admin --since 24h",
		}},
	},
	"check": {
		{"A healthy run: settings from the environment, ./.env or flags", []string{
			"authdoctor check --keycloak-url https://sso.example.com \\",
			"    --tenant-id 3f6c0b9e --client-id admin-portal --require-role admin-user",
		}},
		{"In CI: exit 1 on a failed check; JUnit for the CI, Markdown for people", []string{
			"authdoctor check -o short --report authdoctor.xml --report authdoctor.md",
		}},
		{"A report for a support ticket, with every HTTP exchange (redacted)", []string{
			"authdoctor check -v --report support.md 2> exchanges.txt",
		}},
		{"A private CA, and a host name that does not resolve from here", []string{
			"authdoctor check --ca-file ca.pem --resolve sso.example.com:443:10.0.0.7",
		}},
	},
	"events": {
		{"Who failed to log in during the last day, and why", []string{
			"authdoctor events --tenant-id 3f6c0b9e --admin-username admin --since 24h",
		}},
		{"One user's failed logins and refreshes, as JSON", []string{
			"authdoctor events --type LOGIN_ERROR --type REFRESH_TOKEN_ERROR --user ana \\",
			"    --since 24h -o json",
		}},
	},
	"explain": {
		{"Every code, then one of them", []string{"authdoctor explain", "authdoctor explain TLS_UNTRUSTED"}},
		{"A code's page as Markdown (as in docs/codes/)", []string{"authdoctor explain -o markdown TLS_UNTRUSTED"}},
	},
	"sandbox": {
		{"Serve the emulator, then follow the guide it prints", []string{"authdoctor sandbox"}},
		{"Over HTTPS with a generated CA, then a broken certificate", []string{
			"authdoctor sandbox --tls",
			"authdoctor sandbox --tls=expired",
		}},
		{"A legacy Keycloak under /auth", []string{"authdoctor sandbox --profile 19 --relative-path /auth"}},
	},
	"demo": {
		{"Three runs against the built-in sandbox", []string{"authdoctor demo", "authdoctor demo -o markdown"}},
	},
	"version": {
		{"The version, commit and build date", []string{"authdoctor version", "authdoctor version -o json"}},
	},
	"completion": {
		{"bash: now, or for every new shell", []string{
			"source <(authdoctor completion bash)",
			"authdoctor completion bash > /etc/bash_completion.d/authdoctor",
		}},
		{"zsh: into a directory of $fpath", []string{"authdoctor completion zsh > \"${fpath[1]}/_authdoctor\""}},
		{"fish", []string{"authdoctor completion fish > ~/.config/fish/completions/authdoctor.fish"}},
	},
	"man": {
		{"Read it, or install it", []string{
			"authdoctor man | man -l -",
			"authdoctor man > /usr/local/share/man/man1/authdoctor.1",
		}},
	},
}

func (h helpPrinter) examples(data any) string {
	exs := helpExamples[subject(data).name]
	var blocks []string
	for _, ex := range exs {
		block := h.fill("  # ", 4, ex.comment)
		for _, l := range ex.lines {
			if strings.HasPrefix(l, "    ") {
				block += "\n      " + strings.TrimSpace(l) // continuation of the line before
				continue
			}
			block += "\n  $ " + l
		}
		blocks = append(blocks, block)
	}
	return strings.Join(blocks, "\n\n")
}

// exitCodeLines are the exit codes, the signals' from stopSignals.
func exitCodeLines() [][2]string {
	lines := [][2]string{
		{strconv.Itoa(exitOK), "no check failed (warnings allowed)"},
		{strconv.Itoa(exitFailed), "a check failed, or a warning or skipped check under --fail-on or --strict"},
		{strconv.Itoa(exitUsage), "bad input (a missing or invalid setting, an unknown command or flag): nothing was sent to any server"},
	}
	names := map[syscall.Signal]string{
		syscall.SIGHUP:  "SIGHUP (the terminal closed)",
		syscall.SIGINT:  "Ctrl-C (SIGINT)",
		syscall.SIGQUIT: "SIGQUIT (Ctrl-\\)",
		syscall.SIGTERM: "SIGTERM (e.g. a cancelled CI job)",
	}
	var sigs []syscall.Signal
	for _, s := range stopSignals {
		if sig, ok := s.(syscall.Signal); ok {
			sigs = append(sigs, sig)
		}
	}
	sort.Slice(sigs, func(i, j int) bool { return sigs[i] < sigs[j] })
	for _, sig := range sigs {
		name := names[sig]
		if name == "" {
			name = sig.String()
		}
		lines = append(lines, [2]string{strconv.Itoa(interrupted{sig: sig}.exitCode()), "stopped by " + name + "; no report written"})
	}
	return lines
}

// commandsWithExitCodes show EXIT CODES in their help.
var commandsWithExitCodes = map[string]bool{"": true, "check": true}

func (h helpPrinter) exitCodes(data any) string {
	if !commandsWithExitCodes[subject(data).name] {
		return ""
	}
	var rows []string
	for _, l := range exitCodeLines() {
		rows = append(rows, h.column("  "+l[0], 7, l[1]))
	}
	return strings.Join(rows, "\n")
}

func (h helpPrinter) footer(data any) string {
	switch subject(data).name {
	case "":
		return h.fill("", 0, "Run 'authdoctor COMMAND --help' for the flags of a command, and 'authdoctor explain' for every diagnosis code; each has a page under "+docsCodesURL+".")
	case "check":
		return h.fill("", 0, "Each finding has a code: 'authdoctor explain CODE' says what it means and how to fix it.")
	}
	return ""
}

// docsCodesURL is the folder of the codes' pages.
const docsCodesURL = "https://github.com/authdoctor/authdoctor/tree/main/docs/codes"

// flagNames lists the names a command accepts, as typed (--name, -n).
func flagNames(flags []cli.Flag) []string {
	var out []string
	for _, f := range flags {
		for _, n := range f.Names() {
			if len(n) == 1 {
				out = append(out, "-"+n)
			} else {
				out = append(out, "--"+n)
			}
		}
	}
	return out
}

// outputFormats are the values of each command's -o/--output.
func outputFormats(command string) []string {
	switch command {
	case "check", "demo":
		var out []string
		for _, f := range report.Formats() {
			out = append(out, string(f))
		}
		return out
	case "events":
		return []string{string(report.FormatTable), string(report.FormatJSON), string(report.FormatMarkdown)}
	case "version":
		return versionFormats
	case "explain":
		return explainFormats
	}
	return nil
}
