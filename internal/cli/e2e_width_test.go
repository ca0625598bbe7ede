package cli

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/internal/iostreams"
)

// The table fits the width it is given: the terminal's, else $COLUMNS in a
// pipe; a failure's message is printed once (in its block, the row names
// the diagnosis), and every finding links to its code's page.
func TestTableWidth(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	sc := scenarioNamed(t, "missing-admin-role")
	rep, _ := checkJSON(t, srv.env(sc.Env), sc.Args...)
	_, code, message, _ := rep.check(t, sc.WantCheck)

	tests := []struct {
		name     string
		columns  string // $COLUMNS
		tty      int    // the terminal's width; 0: a pipe
		width    int    // the width every line must stay under; 0: none
		wideCode bool   // CODE is a column of its own
	}{
		{"pipe", "", 0, 0, true},
		{"pipe COLUMNS=80", "80", 0, 80, false},
		{"pipe COLUMNS=120", "120", 0, 120, true},
		{"pipe COLUMNS=junk", "wide", 0, 0, true},
		{"terminal 80", "", 80, 80, false},
		{"terminal 80 wins over COLUMNS", "200", 80, 80, false},
		{"terminal 100", "", 100, 100, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := srv.env(sc.Env)
			if tt.columns != "" {
				env["COLUMNS"] = tt.columns
			}
			var out, errOut bytes.Buffer
			s := iostreams.Streams{In: strings.NewReader(""), Out: &out, OutTTY: tt.tty > 0, OutWidth: tt.tty, ErrOut: &errOut}
			a := newApp(s, withEnv(env, "NO_COLOR", "1"), t.TempDir())
			a.onReport = recordCodes
			if got := a.execute(context.Background(), append([]string{"authdoctor", "check"}, sc.Args...)); got != exitFailed {
				t.Fatalf("exit %d\n%s%s", got, out.String(), errOut.String())
			}
			table := out.String()
			header := strings.Fields(strings.SplitN(table, "\n", 2)[0])
			if got := strings.Join(header, " ") == "CHECK STATUS CODE MESSAGE"; got != tt.wideCode {
				t.Errorf("header %v: want a CODE column %v", header, tt.wideCode)
			}
			inRun := false
			for _, line := range strings.Split(table, "\n") {
				// A fix's commands are never cut, like links, so that each
				// can be copied whole.
				inRun = strings.HasPrefix(line, "  Run: ") || (inRun && strings.HasPrefix(line, "       "))
				if n := utf8.RuneCountInString(line); tt.width > 0 && n >= tt.width && !oneLink(line) && !inRun {
					t.Errorf("line of %d columns at %d: %q", n, tt.width, line)
				}
			}
			flat := strings.Join(strings.Fields(table), " ")
			if n := strings.Count(flat, strings.Join(strings.Fields(message), " ")); n != 1 {
				t.Errorf("the failure's message is printed %d times, want once:\n%s", n, table)
			}
			if !strings.Contains(table, "  Docs: https://github.com/authdoctor/authdoctor/blob/main/docs/codes/"+code+".md\n") {
				t.Errorf("no link to %s's page:\n%s", code, table)
			}
		})
	}
}

// oneLink: the line is one link, after a label or not: a link is never cut.
func oneLink(line string) bool {
	f := strings.Fields(line)
	if len(f) == 2 && strings.HasSuffix(f[0], ":") {
		f = f[1:]
	}
	return len(f) == 1 && strings.Contains(f[0], "://")
}

// `demo` lays out each report as `check` does in the same pipe: with
// COLUMNS=80 the verdict (the exit reason, the explain commands) is the
// one check prints, not a 140-column line.
func TestDemoVerdictLikeCheck(t *testing.T) {
	verdict := func(out string) string {
		i := strings.LastIndex(out, " — exit code ")
		if i < 0 {
			t.Fatalf("no verdict:\n%s", out)
		}
		v := out[strings.LastIndex(out[:i], "\n")+1:]
		v, _, _ = strings.Cut(v, "\nTry it yourself")
		// The wall time differs from run to run.
		return regexp.MustCompile(` in [^ ]+ — `).ReplaceAllString(strings.TrimSpace(v), " — ")
	}
	srv := startSandbox(t, fixtures.Options{})
	names := demoScenarios()
	sc := scenarioNamed(t, names[len(names)-1])
	check := runCLI(t, withEnv(srv.env(sc.Env), "COLUMNS", "80", "NO_COLOR", "1"), append([]string{"check"}, sc.Args...)...)
	demo := runCLI(t, map[string]string{"COLUMNS": "80", "NO_COLOR": "1"}, "demo")
	if demo.code != exitOK {
		t.Fatalf("demo exit %d\n%s", demo.code, demo.stderr)
	}
	want, got := verdict(check.stdout), verdict(demo.stdout)
	if got != want {
		t.Errorf("demo's verdict:\n%s\ncheck's:\n%s", got, want)
	}
	for _, l := range strings.Split(got, "\n") {
		if utf8.RuneCountInString(l) > 80 {
			t.Errorf("line of %d columns: %s", utf8.RuneCountInString(l), l)
		}
	}
	if !strings.Contains(got, "For details, run:") {
		t.Errorf("verdict:\n%s", got)
	}
}
