package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/checks"
	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/report"
)

// completionScript writes `authdoctor completion SHELL` to a file.
func completionScript(t *testing.T, shell string) string {
	t.Helper()
	run := runCLI(t, nil, "completion", shell)
	if run.code != exitOK || run.stderr != "" || len(run.stdout) < 500 {
		t.Fatalf("completion %s: exit %d\n%s", shell, run.code, run.stderr)
	}
	path := filepath.Join(t.TempDir(), "authdoctor."+shell)
	if err := os.WriteFile(path, []byte(run.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func codeIDs(prefix string) []string {
	var out []string
	for _, c := range checks.Codes() {
		if strings.HasPrefix(c.ID, prefix) && !c.Retired {
			out = append(out, c.ID)
		}
	}
	return out
}

func formatNames() []string {
	var out []string
	for _, f := range report.Formats() {
		out = append(out, string(f))
	}
	return out
}

// bash completes as a person would see it: the script is run by bash with
// the words typed so far (COMP_WORDS split as bash splits them, '='
// included).
func TestBashCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	script := completionScript(t, "bash")
	files := t.TempDir()
	for _, name := range []string{"ca.pem", "creds.env"} {
		if err := os.WriteFile(filepath.Join(files, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		words []string // the last is the word being completed
		want  []string // exactly
	}{
		{[]string{"ch"}, []string{"check"}},
		{[]string{""}, []string{"check", "completion", "demo", "events", "explain", "help", "man", "sandbox", "serve", "version"}},
		{[]string{"--v"}, []string{"--version"}},
		{[]string{"check", "--requ"}, []string{"--require-field", "--require-role"}},
		{[]string{"check", "--keycloak-url", "https://sso", "--tenant-id", "t", "--no"}, []string{"--no-color"}},
		{[]string{"check", "-o", ""}, formatNames()},
		{[]string{"check", "--output", "=", "j"}, []string{"json", "junit"}},
		{[]string{"check", "--keycloak-url", ""}, nil},
		{[]string{"check", "--ca-file", files + "/c"}, []string{files + "/ca.pem", files + "/creds.env"}},
		{[]string{"check", "--env-file", files + "/cr"}, []string{files + "/creds.env"}},
		{[]string{"events", "-o", ""}, []string{"table", "json", "markdown"}},
		{[]string{"events", "--si"}, []string{"--since"}},
		{[]string{"explain", "TLS_EXP"}, codeIDs("TLS_EXP")},
		{[]string{"explain", "-o", ""}, explainFormats},
		{[]string{"version", "-o", ""}, versionFormats},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish"}},
		{[]string{"help", "s"}, []string{"sandbox", "serve"}},
		{[]string{"sandbox", "--profile", ""}, sandboxProfiles},
		{[]string{"sandbox", "--tls", "=", "ex"}, []string{"expired", "expiring"}},
		{[]string{"sandbox", "--tls", "--a"}, []string{"--addr"}},
		{[]string{"demo", "-o", "m"}, []string{"markdown"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.words, " "), func(t *testing.T) {
			words := append([]string{"authdoctor"}, tt.words...)
			var quoted []string
			for _, w := range words {
				quoted = append(quoted, shellQuote(w))
			}
			prog := "source " + shellQuote(script) + "\nCOMP_WORDS=(" + strings.Join(quoted, " ") + ")\nCOMP_CWORD=" + strconv.Itoa(len(words)-1) +
				"\n_authdoctor\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
			out, err := exec.Command(bash, "--norc", "--noprofile", "-c", prog).CombinedOutput()
			if err != nil {
				t.Fatalf("bash: %v\n%s", err, out)
			}
			got := strings.Fields(string(out))
			sort.Strings(got)
			want := append([]string(nil), tt.want...)
			sort.Strings(want)
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Fatalf("got  %v\nwant %v", got, want)
			}
		})
	}
}

// zsh: the script parses and registers itself with compinit.
func TestZshCompletion(t *testing.T) {
	zsh, err := exec.LookPath("zsh")
	if err != nil {
		t.Skip("no zsh")
	}
	script := completionScript(t, "zsh")
	if out, err := exec.Command(zsh, "-n", script).CombinedOutput(); err != nil {
		t.Fatalf("zsh -n: %v\n%s", err, out)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "_authdoctor"), mustRead(t, script), 0o644); err != nil {
		t.Fatal(err)
	}
	prog := "fpath=(" + shellQuote(dir) + " $fpath); autoload -Uz compinit; compinit -u -d " + shellQuote(filepath.Join(dir, "dump")) + "; print -r -- $_comps[authdoctor]"
	out, err := exec.Command(zsh, "-f", "-c", prog).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "_authdoctor" {
		t.Fatalf("zsh does not register the completion: %v\n%s", err, out)
	}
}

// fish: its own `complete -C` completes the typed words with the script.
func TestFishCompletion(t *testing.T) {
	fish, err := exec.LookPath("fish")
	if err != nil {
		t.Skip("no fish")
	}
	script := completionScript(t, "fish")
	if out, err := exec.Command(fish, "-n", script).CombinedOutput(); err != nil {
		t.Fatalf("fish -n: %v\n%s", err, out)
	}
	tests := []struct {
		line string
		want []string // among the candidates
		not  []string
	}{
		{"authdoctor ch", []string{"check"}, []string{"explain"}},
		{"authdoctor check --requ", []string{"--require-role", "--require-field"}, nil},
		{"authdoctor check -o ", formatNames(), []string{"text"}},
		{"authdoctor explain TLS_EXP", codeIDs("TLS_EXP"), []string{"UNREACHABLE"}},
		{"authdoctor completion ", []string{"bash", "zsh", "fish"}, nil},
		{"authdoctor sandbox --profile ", sandboxProfiles, nil},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			out, err := exec.Command(fish, "--no-config", "-c", "source "+fishQuote(script)+"; complete -C "+fishQuote(tt.line)).CombinedOutput()
			if err != nil {
				t.Fatalf("fish: %v\n%s", err, out)
			}
			var got []string
			for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				got = append(got, strings.SplitN(l, "\t", 2)[0])
			}
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("%q: %s not among %v", tt.line, w, got)
				}
			}
			for _, w := range tt.not {
				if slices.Contains(got, w) {
					t.Errorf("%q: %s among %v", tt.line, w, got)
				}
			}
		})
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The values the completion offers are the values the commands accept.
func TestCompletionValuesAreAccepted(t *testing.T) {
	for _, f := range outputFormats("events") {
		if run := runCLI(t, nil, "events", "-o", f); strings.Contains(run.stderr, "-o/--output") {
			t.Errorf("events -o %s is refused: %s", f, run.stderr)
		}
	}
	for _, f := range outputFormats("check") {
		if _, err := report.ParseFormat(f); err != nil {
			t.Errorf("check -o %s: %v", f, err)
		}
	}
	for _, cmd := range []string{"version", "explain"} {
		for _, f := range outputFormats(cmd) {
			if run := runCLI(t, nil, cmd, "-o", f); run.code != exitOK {
				t.Errorf("%s -o %s: exit %d %s", cmd, f, run.code, run.stderr)
			}
		}
	}
	for _, p := range sandboxProfiles {
		if _, err := fixtures.New(fixtures.Options{Profile: p}); err != nil {
			t.Errorf("sandbox --profile %s: %v", p, err)
		}
	}
	if _, err := fixtures.New(fixtures.Options{Profile: "18"}); err == nil {
		t.Error("the sandbox accepts any profile: the list above proves nothing")
	}
	for _, v := range tlsVariantNames() {
		if err := (&tlsFlag{}).Set(v); err != nil {
			t.Errorf("--tls=%s: %v", v, err)
		}
	}
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		run := runCLI(t, nil, "completion", shell)
		if want := slices.Contains(completionShells, shell); (run.code == exitOK) != want {
			t.Errorf("completion %s: exit %d", shell, run.code)
		}
	}
}
