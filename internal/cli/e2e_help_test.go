package cli

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/urfave/cli/v2"

	"github.com/authdoctor/authdoctor/checks"
	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/config"
	"github.com/authdoctor/authdoctor/internal/iostreams"
)

// runOnTerminal runs the CLI with stdout a terminal of the given width.
func runOnTerminal(t *testing.T, width int, env map[string]string, args ...string) cliResult {
	t.Helper()
	var out, errOut bytes.Buffer
	s := iostreams.Streams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, OutTTY: true, OutWidth: width}
	code := newApp(s, env, t.TempDir()).execute(context.Background(), append([]string{"authdoctor"}, args...))
	return cliResult{code: code, stdout: out.String(), stderr: errOut.String()}
}

// helpTopics are the app and every command, as `--help` reaches them.
func helpTopics(t *testing.T) [][]string {
	topics := [][]string{{"--help"}}
	for _, c := range newApp(iostreams.Streams{}, nil, "").newCLIApp().Commands {
		topics = append(topics, []string{c.Name, "--help"})
	}
	if len(topics) < 9 {
		t.Fatalf("only %d help topics", len(topics))
	}
	return topics
}

func longestLine(s string) (int, string) {
	n, longest := 0, ""
	for _, l := range strings.Split(s, "\n") {
		if w := utf8.RuneCountInString(l); w > n {
			n, longest = w, l
		}
	}
	return n, longest
}

// Every help fits the width: the terminal's on a terminal, $COLUMNS in a
// pipe, 80 otherwise (at most 120, at least 40). At 80 columns and more
// nothing sticks out; narrower, only a word that cannot be broken (a URL)
// or an example's command line may.
func TestHelpFitsTheWidth(t *testing.T) {
	for _, topic := range helpTopics(t) {
		for _, tc := range []struct {
			name     string
			terminal int    // 0: a pipe
			columns  string // $COLUMNS
			want     int    // the width it must fit
		}{
			{"pipe, no COLUMNS", 0, "", 80},
			{"pipe, COLUMNS=100", 0, "100", 100},
			{"pipe, COLUMNS=60", 0, "60", 60},
			{"pipe, COLUMNS=40", 0, "40", 40},
			{"pipe, COLUMNS=20", 0, "20", 40},
			{"pipe, COLUMNS=200", 0, "200", 120},
			{"pipe, COLUMNS=junk", 0, "wide", 80},
			{"terminal of 90, COLUMNS=60 ignored", 90, "60", 90},
			{"terminal of 170", 170, "", 120},
		} {
			t.Run(strings.Join(topic, " ")+"/"+tc.name, func(t *testing.T) {
				env := map[string]string{}
				if tc.columns != "" {
					env["COLUMNS"] = tc.columns
				}
				var run cliResult
				if tc.terminal > 0 {
					run = runOnTerminal(t, tc.terminal, env, topic...)
				} else {
					run = runCLI(t, env, topic...)
				}
				if run.code != exitOK || run.stderr != "" || !strings.Contains(run.stdout, "USAGE") {
					t.Fatalf("exit %d\n%s%s", run.code, run.stdout, run.stderr)
				}
				for _, line := range strings.Split(run.stdout, "\n") {
					if utf8.RuneCountInString(line) <= tc.want {
						continue
					}
					unbreakable := len(strings.Fields(line)) == 1
					example := strings.HasPrefix(line, "  $ ") || strings.HasPrefix(line, "      ")
					if tc.want >= 80 || !(unbreakable || example) {
						t.Errorf("line of %d columns, want at most %d:\n%s", utf8.RuneCountInString(line), tc.want, line)
					}
				}
				// The width is used, not merely respected.
				if n, _ := longestLine(run.stdout); tc.want <= 100 && n < tc.want-15 && topic[0] == "check" {
					t.Errorf("longest line %d columns at a width of %d", n, tc.want)
				}
			})
		}
	}
}

// The help of check lists its flags by group, each with its environment
// variable and default, from the one settings table.
func TestCheckHelpGroupsFlagsWithTheirVariables(t *testing.T) {
	run := runCLI(t, map[string]string{"COLUMNS": "120"}, "check", "--help")
	out := run.stdout
	var pos []int
	for _, title := range []string{"\nTARGET\n", "\nCREDENTIALS\n", "\nGRAPHQL\n", "\nTLS AND CONNECTION\n", "\nOUTPUT\n", "\nCHECKS AND EXIT POLICY\n", "\nADMIN ACCESS", "\nFLAGS\n", "\nEXAMPLES\n", "\nEXIT CODES\n"} {
		i := strings.Index(out, title)
		if i < 0 {
			t.Fatalf("no section %q:\n%s", strings.TrimSpace(title), out)
		}
		pos = append(pos, i)
	}
	for i := 1; i < len(pos); i++ {
		if pos[i] < pos[i-1] {
			t.Fatalf("sections out of order:\n%s", out)
		}
	}
	sectionOf := func(i int) string {
		titles := []string{"TARGET", "CREDENTIALS", "GRAPHQL", "TLS", "OUTPUT", "RUN", "ADMIN"}
		s := ""
		for k, p := range pos[:7] {
			if i > p {
				s = titles[k]
			}
		}
		return s
	}
	wantSection := map[config.Group]string{config.GroupTarget: "TARGET", config.GroupCredentials: "CREDENTIALS", config.GroupGraphQL: "GRAPHQL",
		config.GroupTLS: "TLS", config.GroupOutput: "OUTPUT", config.GroupRun: "RUN", config.GroupAdmin: "ADMIN"}
	for _, s := range config.Settings() {
		i := strings.Index(out, "--"+s.Name+" ")
		if i < 0 {
			i = strings.Index(out, "--"+s.Name+"\n")
		}
		if i < 0 {
			t.Errorf("--%s is not in the help", s.Name)
			continue
		}
		if got := sectionOf(i); got != wantSection[s.Group] {
			t.Errorf("--%s is under %s, want %s", s.Name, got, wantSection[s.Group])
		}
		// The flag's entry: up to the next flag or section.
		entry := out[i:]
		if end := regexp.MustCompile(`\n(  -|      --|\n)`).FindStringIndex(entry); end != nil {
			entry = entry[:end[0]]
		}
		entry = collapse(entry)
		if !strings.HasSuffix(entry, " [$"+s.EnvVar+"]") {
			t.Errorf("--%s does not show $%s: %s", s.Name, s.EnvVar, entry)
		}
		if s.Default != "" && s.Kind != config.KindBool && !strings.Contains(entry, "(default: "+s.Default+")") {
			t.Errorf("--%s does not show its default %s: %s", s.Name, s.Default, entry)
		}
	}
}

// The top-level help ends with the examples the issue asks for and every
// exit code, the signals' included.
func TestHelpEndsWithExamplesAndExitCodes(t *testing.T) {
	out := runCLI(t, nil, "--help").stdout
	examples := out[strings.Index(out, "\nEXAMPLES\n"):strings.Index(out, "\nEXIT CODES\n")]
	for _, want := range []string{"$ authdoctor check --require-role", "--report authdoctor.xml", "-v --report support.md", "$ authdoctor sandbox", "$ authdoctor events"} {
		if !strings.Contains(examples, want) {
			t.Errorf("EXAMPLES lacks %q:\n%s", want, examples)
		}
	}
	exits := out[strings.Index(out, "\nEXIT CODES\n"):]
	for _, code := range []string{"0", "1", "2", "129", "130", "131", "143"} {
		if !strings.Contains(exits, "\n  "+code+" ") {
			t.Errorf("EXIT CODES lacks %s:\n%s", code, exits)
		}
	}
	// What the help promises is what the signals give.
	for _, l := range exitCodeLines()[3:] {
		if !strings.Contains(l[1], "stopped by") {
			t.Errorf("exit %s: %s", l[0], l[1])
		}
	}
}

// The help at 80 and 60 columns, as a person reads it (go test
// ./internal/cli -run HelpGolden -update rewrites the files).
func TestHelpGolden(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		columns string
		file    string
	}{
		{[]string{"--help"}, "80", "app-80.golden"},
		{[]string{"check", "--help"}, "80", "check-80.golden"},
		{[]string{"check", "--help"}, "60", "check-60.golden"},
		{[]string{"sandbox", "--help"}, "80", "sandbox-80.golden"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			run := runCLI(t, map[string]string{"COLUMNS": tc.columns}, tc.args...)
			assertGenerated(t, filepath.Join("testdata", "help", tc.file), run.stdout)
		})
	}
}

// `help COMMAND`, `COMMAND --help`, `COMMAND -h` and `COMMAND help` are
// the same help.
func TestHelpSpellings(t *testing.T) {
	want := runCLI(t, nil, "check", "--help").stdout
	for _, args := range [][]string{{"help", "check"}, {"check", "-h"}, {"check", "help"}} {
		if got := runCLI(t, nil, args...); got.code != exitOK || got.stdout != want {
			t.Errorf("%v: exit %d, differs from check --help:\n%s", args, got.code, got.stdout)
		}
	}
	if bare := runCLI(t, nil); bare.code != exitOK || bare.stdout != runCLI(t, nil, "--help").stdout {
		t.Errorf("authdoctor alone: exit %d\n%s", bare.code, bare.stdout)
	}
}

// Every example in the help is a real command line: its command exists,
// its flags are the command's, its values are accepted.
func TestHelpExamplesAreRealCommands(t *testing.T) {
	app := newApp(iostreams.Streams{}, nil, "").newCLIApp()
	n := 0
	for topic, exs := range helpExamples {
		for _, ex := range exs {
			for _, line := range joinContinuations(ex.lines) {
				words := shellWords(line)
				if len(words) > 0 && words[0] == "export" {
					for _, kv := range words[1:] {
						name, _, _ := strings.Cut(kv, "=")
						if !isSettingVariable(name) {
							t.Errorf("%q: %s is no setting's variable", line, name)
						}
					}
					continue
				}
				if err := validateCommandLine(app, words); err != nil {
					t.Errorf("example of %q: %q: %v", topic, line, err)
				}
				n++
			}
		}
	}
	if n < 15 {
		t.Fatalf("only %d example commands", n)
	}
}

func isSettingVariable(name string) bool {
	for _, s := range config.Settings() {
		if s.EnvVar == name {
			return true
		}
	}
	return false
}

// joinContinuations joins lines ending in a backslash with the next.
func joinContinuations(lines []string) []string {
	var out []string
	cur := ""
	for _, l := range lines {
		if strings.HasSuffix(l, "\\") {
			cur += strings.TrimSuffix(l, "\\")
			continue
		}
		out = append(out, cur+l)
		cur = ""
	}
	return out
}

// shellWords splits a command line as sh does, for the simple lines of
// examples and CI files: quotes, and nothing after a redirection or a pipe.
func shellWords(line string) []string {
	var words []string
	var cur strings.Builder
	inWord := false
	quote := rune(0)
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	for i, w := range words {
		if w == "|" || w == ">" || w == ">>" || strings.HasPrefix(w, "2>") || w == "<" || strings.HasPrefix(w, ">") {
			return words[:i]
		}
	}
	return words
}

// validateCommandLine checks a command line of authdoctor against the
// command definitions: the program is authdoctor (possibly after `source
// <(`), the command exists, every flag is one of its flags, a flag's value
// is one of its values when they are a fixed list, and explain's CODE and
// completion's shell exist.
func validateCommandLine(app *cli.App, words []string) error {
	for len(words) > 0 && words[0] != "authdoctor" && !strings.HasSuffix(words[0], "/authdoctor") {
		if strings.HasSuffix(words[0], "(authdoctor") { // source <(authdoctor completion bash)
			words[0] = "authdoctor"
			break
		}
		words = words[1:]
	}
	if len(words) < 2 {
		return fmt.Errorf("no authdoctor command in %q", words)
	}
	var cmd *cli.Command
	for _, c := range app.Commands {
		if c.Name == words[1] {
			cmd = c
		}
	}
	if cmd == nil {
		return fmt.Errorf("no command %q", words[1])
	}
	byName := map[string]flagInfo{}
	for _, f := range cmd.Flags {
		fi := describeFlag(f)
		for _, n := range f.Names() {
			byName[n] = fi
		}
	}
	var positional []string
	for i := 2; i < len(words); i++ {
		w := words[i]
		if !strings.HasPrefix(w, "-") || w == "-" {
			positional = append(positional, strings.TrimSuffix(w, ")"))
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(w, "-"), "=")
		fi, ok := byName[name]
		if !ok {
			return fmt.Errorf("%s is not a flag of %s", w, cmd.Name)
		}
		if fi.value == "" && hasValue {
			return fmt.Errorf("%s: a switch takes no value", w)
		}
		if fi.value != "" && !fi.optional && !hasValue {
			if i+1 >= len(words) {
				return fmt.Errorf("%s needs a value", w)
			}
			i++
			value, hasValue = words[i], true
		}
		if allowed := flagValues(cmd.Name, fi.long); hasValue && len(allowed) > 0 && !strings.HasPrefix(value, "$") {
			found := false
			for _, a := range allowed {
				found = found || a == value
			}
			if !found {
				return fmt.Errorf("%s %s: not one of %v", w, value, allowed)
			}
		}
	}
	switch cmd.Name {
	case "explain":
		for _, p := range positional {
			if _, ok := codes.Lookup(p); !ok {
				return fmt.Errorf("explain %s: no such code", p)
			}
		}
	case "completion":
		if len(positional) != 1 || !strings.Contains(" bash zsh fish ", " "+positional[0]+" ") {
			return fmt.Errorf("completion %v: want one shell", positional)
		}
	default:
		if len(positional) > 0 {
			return fmt.Errorf("%s takes no argument %v", cmd.Name, positional)
		}
	}
	return nil
}

// Every flag a command accepts is in its --help: a flag whose category the
// help does not know must land under FLAGS, never vanish (serve's --listen
// and --interval once did).
func TestHelpListsEveryFlag(t *testing.T) {
	for _, c := range newApp(iostreams.Streams{}, nil, "").newCLIApp().Commands {
		run := runOnTerminal(t, 100, nil, c.Name, "--help")
		for _, f := range c.Flags {
			name := f.Names()[0]
			if !strings.Contains(run.stdout, "--"+name) {
				t.Errorf("authdoctor %s --help does not list --%s", c.Name, name)
			}
		}
	}
}

// The check command's summary and the man page's description name every
// check of the catalogue, in report order (the hand-written list lacked
// clock, claims and events).
func TestHelpNamesEveryCheck(t *testing.T) {
	var ids []string
	for _, c := range checks.Catalog() {
		ids = append(ids, string(c.ID))
	}
	want := strings.Join(ids, ", ")
	for _, args := range [][]string{{"--help"}, {"check", "--help"}, {"man"}} {
		run := runCLI(t, map[string]string{"COLUMNS": "120"}, args...)
		// Help wraps lines and indents them; compare the words.
		got := strings.Join(strings.Fields(run.stdout), " ")
		if !strings.Contains(got, want) {
			t.Errorf("%v does not list the checks %q:\n%s", args, want, run.stdout)
		}
	}
	if !strings.Contains(want, "clock") || !strings.Contains(want, "events") {
		t.Fatalf("catalogue: %s", want)
	}
}
