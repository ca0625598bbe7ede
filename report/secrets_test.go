package report

import (
	"strings"
	"testing"
)

// leakyReport breaks the model's promise on purpose: its secret settings
// carry values. The renderers must still never print them.
func leakyReport() (Report, []string) {
	r := failingReport()
	secrets := []string{"s3cr3t-client-value", "hunter2-password-value"}
	for i, s := range r.Environment.Settings {
		switch s.Name {
		case "client-secret":
			r.Environment.Settings[i].Value = secrets[0]
		case "password":
			r.Environment.Settings[i].Value = secrets[1]
		}
	}
	return r, secrets
}

func TestSecretSettingValuesNeverRendered(t *testing.T) {
	r, secrets := leakyReport()
	for _, v := range goldenVariants() {
		t.Run(v.suffix, func(t *testing.T) {
			out := string(render(t, r, v.format, v.opts))
			for _, s := range secrets {
				if strings.Contains(out, s) {
					t.Errorf("output contains the secret %q", s)
				}
			}
		})
	}
}

func TestMarkdownShowsOnlyWhetherASecretIsSet(t *testing.T) {
	r, _ := leakyReport()
	out := string(render(t, r, FormatMarkdown, Options{}))
	for _, want := range []string{
		"| `client-secret` | `CLIENT_SECRET` | unset | not set |",
		"| `password` | `PASSWORD` | environment | set (hidden) |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
}

func TestSettingValueCell(t *testing.T) {
	tests := []struct {
		name    string
		setting Setting
		want    string
	}{
		{"secret set", Setting{Secret: true, Source: "flag", Value: "x"}, "set (hidden)"},
		{"secret from .env", Setting{Secret: true, Source: ".env file"}, "set (hidden)"},
		{"secret unset", Setting{Secret: true, Source: "unset"}, "not set"},
		{"plain value", Setting{Source: "flag", Value: "tenant-acme"}, "`tenant-acme`"},
		{"plain unset", Setting{Source: "unset"}, "not set"},
		{"plain empty", Setting{Source: "environment"}, "(empty)"},
		{"pipe in value", Setting{Source: "flag", Value: "a|b"}, "`a\\|b`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := settingValueCell(tt.setting); got != tt.want {
				t.Errorf("settingValueCell = %q, want %q", got, tt.want)
			}
		})
	}
}
