package cli

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/internal/config"
	"github.com/authdoctor/authdoctor/internal/iostreams"
)

// The CI examples in docs/ci/ are real: they parse as YAML, install the
// module's main package, run an authdoctor command whose flags exist, take
// the secrets from the CI's secret store, publish the JUnit report and keep
// the Markdown one, and the command they run passes against the sandbox
// with the reports where the publishing steps look for them.

type githubWorkflow struct {
	Jobs map[string]struct {
		Steps []struct {
			Name string            `yaml:"name"`
			If   string            `yaml:"if"`
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			Env  map[string]string `yaml:"env"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

type gitlabJob struct {
	Image     string            `yaml:"image"`
	Variables map[string]string `yaml:"variables"`
	Script    []string          `yaml:"script"`
	Artifacts struct {
		When    string   `yaml:"when"`
		Paths   []string `yaml:"paths"`
		Reports struct {
			JUnit string `yaml:"junit"`
		} `yaml:"reports"`
	} `yaml:"artifacts"`
}

func readYAML(t *testing.T, path string, into any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, into); err != nil {
		t.Fatalf("%s is not valid YAML: %v", path, err)
	}
}

// ciRun is what a CI file runs: the install line and the authdoctor
// command, with the reports it writes.
type ciRun struct {
	install  string
	command  []string
	junit    string // the --report .xml
	markdown string // the --report .md
}

// ciCommands reads the shell lines of a CI file.
func ciCommands(t *testing.T, lines []string) ciRun {
	t.Helper()
	var r ciRun
	for _, script := range lines {
		for _, line := range joinContinuations(strings.Split(script, "\n")) {
			words := shellWords(strings.TrimSpace(line))
			switch {
			case len(words) >= 3 && words[0] == "go" && words[1] == "install":
				r.install = words[2]
			case len(words) > 0 && words[0] == "authdoctor":
				if r.command != nil {
					t.Fatalf("two authdoctor commands: %q and %q", r.command, words)
				}
				r.command = words
			}
		}
	}
	if r.command == nil || r.install == "" {
		t.Fatalf("no go install or no authdoctor command in %q", lines)
	}
	for i, w := range r.command {
		if w == "--report" && i+1 < len(r.command) {
			switch filepath.Ext(r.command[i+1]) {
			case ".xml":
				r.junit = r.command[i+1]
			case ".md":
				r.markdown = r.command[i+1]
			}
		}
	}
	if r.junit == "" || r.markdown == "" {
		t.Fatalf("%q does not write a JUnit and a Markdown report", r.command)
	}
	return r
}

// checkInstall: `go install <this module>@latest` builds this repository's
// main package, whose binary is named authdoctor.
func checkInstall(t *testing.T, install string) {
	t.Helper()
	gomod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	module := regexp.MustCompile(`(?m)^module (\S+)$`).FindSubmatch(gomod)
	if module == nil || install != string(module[1])+"@latest" || !strings.HasSuffix(install, "/authdoctor@latest") {
		t.Fatalf("go install %s: want %s@latest", install, module[1])
	}
	main, err := os.ReadFile("../../main.go")
	if err != nil || !regexp.MustCompile(`(?m)^package main$`).Match(main) {
		t.Fatalf("the module's root is not a main package: %v", err)
	}
}

func settingByVariable(name string) (config.Setting, bool) {
	for _, s := range config.Settings() {
		if s.EnvVar == name {
			return s, true
		}
	}
	return config.Setting{}, false
}

// runCIAgainstSandbox runs the CI's command with env (the CI secret store
// played by the healthy-admin scenario) and checks the reports it leaves.
func runCIAgainstSandbox(t *testing.T, r ciRun, env map[string]string) {
	t.Helper()
	app := newApp(iostreams.Streams{}, nil, "").newCLIApp()
	if err := validateCommandLine(app, r.command); err != nil {
		t.Fatalf("%q: %v", r.command, err)
	}
	run := runCLI(t, env, r.command[1:]...)
	if run.code != exitOK {
		t.Fatalf("%q against the sandbox: exit %d\n%s%s", r.command, run.code, run.stdout, run.stderr)
	}
	junit, err := os.ReadFile(filepath.Join(run.dir, r.junit))
	if err != nil {
		t.Fatalf("no JUnit report where it is published: %v", err)
	}
	var suites struct {
		Suites []struct {
			Tests int `xml:"tests,attr"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(junit, &suites); err != nil || len(suites.Suites) != 1 || suites.Suites[0].Tests < 6 {
		t.Fatalf("the JUnit report: %v %+v", err, suites)
	}
	md, err := os.ReadFile(filepath.Join(run.dir, r.markdown))
	if err != nil || !strings.Contains(string(md), "# ") || strings.Contains(string(md), anaPassword) {
		t.Fatalf("the Markdown report: %v", err)
	}
}

func TestGitHubActionsExample(t *testing.T) {
	var wf githubWorkflow
	readYAML(t, "../../docs/ci/github-actions.yml", &wf)
	if len(wf.Jobs) != 1 {
		t.Fatalf("%d jobs", len(wf.Jobs))
	}
	for _, job := range wf.Jobs {
		var scripts []string
		var env map[string]string
		var junitPaths, artifactPaths []string
		for _, st := range job.Steps {
			scripts = append(scripts, st.Run)
			if strings.Contains(st.Run, "authdoctor check") {
				env = st.Env
			}
			if strings.Contains(st.Uses, "junit") {
				junitPaths = append(junitPaths, st.With["report_paths"])
				if !strings.Contains(st.If, "cancelled()") && !strings.Contains(st.If, "always()") {
					t.Errorf("step %q does not run after a failed check (if: %q)", st.Name, st.If)
				}
			}
			if strings.HasPrefix(st.Uses, "actions/upload-artifact@") {
				artifactPaths = append(artifactPaths, st.With["path"])
				if !strings.Contains(st.If, "cancelled()") && !strings.Contains(st.If, "always()") {
					t.Errorf("step %q does not run after a failed check (if: %q)", st.Name, st.If)
				}
			}
		}
		r := ciCommands(t, scripts)
		checkInstall(t, r.install)
		if !slices.Contains(junitPaths, r.junit) || !slices.Contains(artifactPaths, r.markdown) {
			t.Fatalf("JUnit published from %v, artifacts %v; the command writes %s and %s", junitPaths, artifactPaths, r.junit, r.markdown)
		}
		srv := startSandbox(t, fixtures.Options{})
		scenario := srv.env(anaEnv())
		run := map[string]string{}
		for k, v := range env {
			s, ok := settingByVariable(k)
			if !ok {
				t.Errorf("env %s is no setting's variable", k)
				continue
			}
			templated := strings.HasPrefix(v, "${{")
			if s.Secret && !strings.HasPrefix(v, "${{ secrets.") {
				t.Errorf("%s (a secret) does not come from the secret store: %s", k, v)
			}
			if !templated {
				run[k] = v
				continue
			}
			if scenario[k] == "" {
				t.Fatalf("%s: the sandbox scenario has no value to play the CI's", k)
			}
			run[k] = scenario[k]
		}
		if _, ok := env["PASSWORD"]; !ok {
			t.Fatal("the workflow gives no PASSWORD from the secret store")
		}
		runCIAgainstSandbox(t, r, run)
	}
}

func TestGitLabCIExample(t *testing.T) {
	var jobs map[string]gitlabJob
	readYAML(t, "../../docs/ci/gitlab-ci.yml", &jobs)
	job, ok := jobs["authdoctor"]
	if !ok || len(jobs) != 1 {
		t.Fatalf("want one job named authdoctor, got %v", jobs)
	}
	r := ciCommands(t, job.Script)
	checkInstall(t, r.install)
	if !strings.HasPrefix(job.Image, "golang:") {
		t.Errorf("image %s has no go", job.Image)
	}
	if job.Artifacts.When != "always" || job.Artifacts.Reports.JUnit != r.junit || !slices.Contains(job.Artifacts.Paths, r.markdown) {
		t.Fatalf("artifacts %+v; the command writes %s and %s", job.Artifacts, r.junit, r.markdown)
	}
	srv := startSandbox(t, fixtures.Options{})
	env := srv.env(anaEnv()) // the CI/CD variables
	for k, v := range job.Variables {
		s, ok := settingByVariable(k)
		if !ok || s.Secret {
			t.Errorf("variables: %s is no setting's variable, or a secret written in the file", k)
		}
		env[k] = v
	}
	runCIAgainstSandbox(t, r, env)
}
