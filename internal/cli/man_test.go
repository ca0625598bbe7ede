package cli

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/internal/config"
	"github.com/authdoctor/authdoctor/internal/iostreams"
)

// docs/authdoctor.1 is `authdoctor man` (go test ./internal/cli -run Man
// -update rewrites it), and says every command, flag, variable and exit
// code.
func TestManPage(t *testing.T) {
	run := runCLI(t, nil, "man")
	if run.code != exitOK || run.stderr != "" {
		t.Fatalf("exit %d: %s", run.code, run.stderr)
	}
	assertGenerated(t, "../../docs/authdoctor.1", run.stdout)
	page := run.stdout
	for _, c := range newApp(iostreams.Streams{}, nil, "").newCLIApp().Commands {
		if !strings.Contains(page, `.SS "authdoctor `+roff(c.Name)) {
			t.Errorf("no section for %s", c.Name)
		}
	}
	for _, s := range config.Settings() {
		for _, want := range []string{`\fB\-\-` + roff(s.Name) + `\fR`, ".B " + roff(s.EnvVar) + "\n"} {
			if !strings.Contains(page, want) {
				t.Errorf("the man page lacks %q", want)
			}
		}
	}
	for _, l := range exitCodeLines() {
		if !strings.Contains(page, ".B "+l[0]+"\n") {
			t.Errorf("EXIT STATUS lacks %s", l[0])
		}
	}
}

// The page is valid roff: groff renders it without a warning.
func TestManPageRenders(t *testing.T) {
	groff, err := exec.LookPath("groff")
	if err != nil {
		t.Skip("no groff")
	}
	cmd := exec.Command(groff, "-man", "-Tutf8", "-ww", "-z")
	cmd.Stdin = strings.NewReader(runCLI(t, nil, "man").stdout)
	out, err := cmd.CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Fatalf("groff: %v\n%s", err, out)
	}
	cmd = exec.Command(groff, "-man", "-Tascii")
	cmd.Stdin = strings.NewReader(runCLI(t, nil, "man").stdout)
	text, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	plain := regexp.MustCompile(".\b").ReplaceAllString(string(text), "") // bold and underline are overstrikes
	for _, want := range []string{"--keycloak-url", "KEYCLOAK_URL", "EXIT STATUS", "authdoctor sandbox --tls=expired"} {
		if !strings.Contains(plain, want) {
			t.Errorf("the rendered page lacks %q", want)
		}
	}
}
